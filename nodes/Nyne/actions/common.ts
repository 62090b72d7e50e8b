import type { INodeProperties } from 'n8n-workflow';

import type { JobKind } from '../jobs/types';

/** Reads one node parameter of the current item. */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

/** What a submitting operation sends: the endpoint's kind and Nyne's snake_case body (only fields that are set). */
export interface SubmitRequest {
	kind: JobKind;
	body: Record<string, unknown>;
}

export interface SubmitOperation {
	value: string;
	kind: JobKind;
	properties: INodeProperties[];
	/** Validates the item's fields and builds the body; throws FieldError before anything is sent. */
	buildBody(read: ParameterReader): Record<string, unknown>;
}

export function showFor(operations: string[]) {
	return { show: { resource: ['person'], operation: operations } };
}

/** Defaults of the Options collection, in seconds. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 3;
export const DEFAULT_TIMEOUT_SECONDS = 900;
export const MAX_TIMEOUT_SECONDS = 24 * 3600;

/** Mode and Options, shown for the operations that submit a job. */
export function submitProperties(submitOperations: string[]): INodeProperties[] {
	return [modeProperty(submitOperations), optionsProperty(submitOperations)];
}

function modeProperty(submitOperations: string[]): INodeProperties {
	return {
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		displayOptions: showFor(submitOperations),
		options: [
			{
				name: 'Wait for Result',
				value: 'wait',
				description: 'Submit the job and poll Nyne until it finishes; output the result',
			},
			{
				name: 'Submit Only',
				value: 'submit',
				description:
					'Submit the job and output its request ID at once; get the result later with Get Job or a Nyne Trigger',
			},
		],
		default: 'wait',
	};
}

function optionsProperty(submitOperations: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(submitOperations),
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://your-n8n.example.com/webhook/nyne-results?token=…',
				description:
					"URL Nyne POSTs the finished result to. Paste a Nyne Trigger node's webhook URL here to continue another workflow when the result arrives.",
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 300, numberPrecision: 1 },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				description:
					'How long to wait before the first status check. Later checks back off (×1.5, at most every 30 s), as Nyne advises.',
				displayOptions: { show: { '/mode': ['wait'] } },
			},
			{
				displayName: 'Split Results',
				name: 'splitResults',
				type: 'boolean',
				default: true,
				description:
					'Whether to output one item per lead or interaction. Turn off to get one item with Nyne’s whole answer.',
				displayOptions: { show: { '/operation': ['getInteractions', 'searchLeads'], '/mode': ['wait'] } },
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					'How long to wait for results before failing the item with its request ID (fetch it later with Get Job)',
				displayOptions: { show: { '/mode': ['wait'] } },
			},
		],
	};
}

import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_POLLING,
	FIRST_POLL_DELAY_BOUNDS_MS,
	REACH_TIMEOUT_BOUNDS_MS,
	TIMEOUT_BOUNDS_MS,
} from '../jobs/limits';
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

const seconds = (ms: number) => ms / 1000;

/** Defaults and bounds of the Options collection, in seconds: the engine's own (jobs/limits.ts). */
export const POLL_INTERVAL_SECONDS = {
	default: seconds(DEFAULT_POLLING.firstPollDelayMs),
	min: seconds(FIRST_POLL_DELAY_BOUNDS_MS.min),
	max: seconds(FIRST_POLL_DELAY_BOUNDS_MS.max),
};
export const TIMEOUT_SECONDS = {
	default: seconds(DEFAULT_POLLING.timeoutMs),
	min: seconds(TIMEOUT_BOUNDS_MS.min),
	max: seconds(TIMEOUT_BOUNDS_MS.max),
};
export const SUBMIT_TIMEOUT_SECONDS = {
	default: seconds(DEFAULT_POLLING.reachTimeoutMs),
	min: seconds(REACH_TIMEOUT_BOUNDS_MS.min),
	max: seconds(REACH_TIMEOUT_BOUNDS_MS.max),
};

// Plain names for the description's defaults: the community-package scanner's lint reads a member
// expression (`X.default`) as a missing default.
const POLL_INTERVAL_DEFAULT = POLL_INTERVAL_SECONDS.default;
const TIMEOUT_DEFAULT = TIMEOUT_SECONDS.default;
const SUBMIT_TIMEOUT_DEFAULT = SUBMIT_TIMEOUT_SECONDS.default;

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
				typeOptions: {
					minValue: POLL_INTERVAL_SECONDS.min,
					maxValue: POLL_INTERVAL_SECONDS.max,
					numberPrecision: 1,
				},
				default: POLL_INTERVAL_DEFAULT,
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
				displayOptions: {
					show: { '/operation': ['getInteractions', 'searchLeads'], '/mode': ['wait'] },
				},
			},
			{
				displayName: 'Submit Timeout (Seconds)',
				name: 'submitTimeout',
				type: 'number',
				typeOptions: { minValue: SUBMIT_TIMEOUT_SECONDS.min, maxValue: SUBMIT_TIMEOUT_SECONDS.max },
				default: SUBMIT_TIMEOUT_DEFAULT,
				description:
					'How long to keep trying to reach Nyne (refused connections, 503, rate limit) before failing the item. A job that may have been accepted is never sent twice.',
				displayOptions: { show: { '/mode': ['submit'] } },
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: TIMEOUT_SECONDS.min, maxValue: TIMEOUT_SECONDS.max },
				default: TIMEOUT_DEFAULT,
				description:
					'How long to wait for results before failing the item with its request ID (fetch it later with Get Job). Items the rate limit cannot also collect in this time are not sent.',
				displayOptions: { show: { '/mode': ['wait'] } },
			},
		],
	};
}

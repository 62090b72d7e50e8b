import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { JobKind } from '../../shared/nyneApi';
import {
	DEFAULT_POLLING,
	FIRST_POLL_DELAY_BOUNDS_MS,
	REACH_TIMEOUT_BOUNDS_MS,
	TIMEOUT_BOUNDS_MS,
} from '../engine/limits';
import type { ItemParameters, JobPlan } from './types';
import { httpUrl, oneOf, secondsBetween, text } from './validation';

/**
 * Mode and Options of the operations that submit a job: their fields and how an item's values become the
 * job's plan. Defaults and bounds are the engine's own (engine/limits.ts), shown in seconds.
 */

const seconds = (ms: number) => ms / 1000;

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
const BACKOFF = `×${DEFAULT_POLLING.backoffFactor}, at most every ${seconds(DEFAULT_POLLING.maxPollDelayMs)} s`;

type Mode = 'wait' | 'submit';
const MODES: readonly Mode[] = ['wait', 'submit'];

/** Mode and Options, shown for the operations that submit a job. */
export function jobOptionsDescription(submitOperations: string[]): INodeProperties[] {
	const displayOptions = { show: { resource: ['person'], operation: submitOperations } };
	return [
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			noDataExpression: true,
			displayOptions,
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
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
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
					description: `How long to wait before the first status check. Later checks back off (${BACKOFF}), as Nyne advises.`,
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
					typeOptions: {
						minValue: SUBMIT_TIMEOUT_SECONDS.min,
						maxValue: SUBMIT_TIMEOUT_SECONDS.max,
					},
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
		},
	];
}

function secondsOption(value: unknown, field: string, bounds: typeof TIMEOUT_SECONDS): number {
	return secondsBetween(field, value ?? bounds.default, bounds.min, bounds.max);
}

/**
 * The plan of a job an operation submits: its body plus what Mode and Options ask (callback, waiting or
 * not, poll interval, timeouts, output shape). Throws FieldError before anything is sent.
 */
export function submitJob(
	item: ItemParameters,
	kind: JobKind,
	fields: Record<string, unknown>,
): JobPlan {
	const body = { ...fields };
	const options = (item.read('options', {}) ?? {}) as IDataObject;
	const callbackUrl = text('Callback URL', options.callbackUrl);
	if (httpUrl('Callback URL', callbackUrl)) body.callback_url = callbackUrl;
	// An AI agent needs the answer, not a request ID, so as a tool the node always waits.
	const mode = item.asTool ? 'wait' : oneOf('Mode', item.read('mode', 'wait'), MODES);
	if (mode === 'submit') {
		const submitTimeout = secondsOption(
			options.submitTimeout,
			'Submit Timeout',
			SUBMIT_TIMEOUT_SECONDS,
		);
		return {
			spec: {
				action: 'submit',
				kind,
				body,
				wait: false,
				reachTimeoutMs: Math.round(submitTimeout * 1000),
			},
			output: 'raw',
		};
	}
	const pollInterval = secondsOption(options.pollInterval, 'Poll Interval', POLL_INTERVAL_SECONDS);
	const timeout = secondsOption(options.timeout, 'Timeout', TIMEOUT_SECONDS);
	return {
		spec: {
			action: 'submit',
			kind,
			body,
			wait: {
				firstPollDelayMs: Math.round(pollInterval * 1000),
				timeoutMs: Math.round(timeout * 1000),
			},
		},
		output: options.splitResults === false ? 'result' : 'split',
	};
}

import {
	deepCopy,
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { DEFAULT_POLLING, JobEngine } from '../jobs/engine';
import type { JobError, JobSpec } from '../jobs/types';
import { jobResultItems } from '../shared/jobOutput';
import { createSender, normaliseBaseUrl, ratePacerFor } from '../transport';
import {
	POLL_INTERVAL_SECONDS,
	SUBMIT_TIMEOUT_SECONDS,
	TIMEOUT_SECONDS,
	type ParameterReader,
} from './common';
import { readGetJob } from './person/getJob.operation';
import { SUBMIT_OPERATIONS } from './person';
import { FieldError, oneOf, secondsBetween, text, httpUrl } from './validation';

interface PlannedItem {
	itemIndex: number;
	spec: JobSpec;
	/**
	 * How the job becomes items: `raw` outputs Nyne's `data` as it is (Submit Only, Get Job); `result`
	 * and `split` shape a finished job, `split` with one item per lead / interaction.
	 */
	output: 'raw' | 'result' | 'split';
}

/** Reads and checks one item's parameters into a job spec; nothing is sent yet. */
function planItem(context: IExecuteFunctions, itemIndex: number, asTool: boolean): PlannedItem {
	const read: ParameterReader = (name, fallback) =>
		context.getNodeParameter(name, itemIndex, fallback);
	const operation = String(read('operation'));
	if (operation === 'getJob') {
		const { kind, requestId } = readGetJob(read);
		return { itemIndex, spec: { action: 'get', kind, requestId }, output: 'raw' };
	}
	const submitOperation = SUBMIT_OPERATIONS[operation];
	if (!submitOperation) throw new FieldError('Operation', `"${operation}" is not supported`);
	const body = submitOperation.buildBody(read);
	const options = (read('options', {}) ?? {}) as IDataObject;
	const callbackUrl = text('Callback URL', options.callbackUrl);
	if (httpUrl('Callback URL', callbackUrl)) body.callback_url = callbackUrl;
	// An AI agent needs the answer, not a request ID, so as a tool the node always waits.
	const mode = asTool ? 'wait' : oneOf('Mode', read('mode', 'wait'), ['wait', 'submit'] as const);
	if (mode === 'submit') {
		const { default: fallback, min, max } = SUBMIT_TIMEOUT_SECONDS;
		const submitTimeout = secondsBetween(
			'Submit Timeout',
			options.submitTimeout ?? fallback,
			min,
			max,
		);
		return {
			itemIndex,
			spec: {
				action: 'submit',
				kind: submitOperation.kind,
				body,
				wait: false,
				reachTimeoutMs: submitTimeout * 1000,
			},
			output: 'raw',
		};
	}
	const pollInterval = secondsBetween(
		'Poll Interval',
		options.pollInterval ?? POLL_INTERVAL_SECONDS.default,
		POLL_INTERVAL_SECONDS.min,
		POLL_INTERVAL_SECONDS.max,
	);
	const timeout = secondsBetween(
		'Timeout',
		options.timeout ?? TIMEOUT_SECONDS.default,
		TIMEOUT_SECONDS.min,
		TIMEOUT_SECONDS.max,
	);
	return {
		itemIndex,
		spec: {
			action: 'submit',
			kind: submitOperation.kind,
			body,
			wait: { firstPollDelayMs: pollInterval * 1000, timeoutMs: timeout * 1000 },
		},
		output: options.splitResults === false ? 'result' : 'split',
	};
}

function inputError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `Invalid input: ${message}`, {
		itemIndex,
		description:
			error instanceof FieldError
				? `Fix the "${error.field}" field of item ${itemIndex}. Nothing was sent to Nyne for this item.`
				: undefined,
	});
}

/** What the user can do about errors the engine reports by reason, in the node's own terms. */
const ADVICE: Partial<Record<JobError['reason'], string>> = {
	notAdmitted:
		'To get it: raise the Timeout option, split the input into smaller batches, or use Mode "Submit Only" with a Callback URL to a Nyne Trigger (no polling, so every request submits a job).',
	quota: 'Upgrade the plan or wait for the reset; the next run asks Nyne again.',
};

function describe(error: JobError): string | undefined {
	const advice = ADVICE[error.reason];
	return advice ? [error.description, advice].filter(Boolean).join(' ') : error.description;
}

function apiError(context: IExecuteFunctions, error: JobError, itemIndex: number): NodeApiError {
	const response: JsonObject = {
		...((error.responseBody ?? {}) as JsonObject),
		...(error.errorCode ? { code: error.errorCode } : {}),
		...(error.requestId ? { request_id: error.requestId } : {}),
	};
	const nodeError = new NodeApiError(context.getNode(), response, {
		message: error.message,
		description: describe(error),
		httpCode: error.httpCode ? String(error.httpCode) : undefined,
		itemIndex,
	});
	// NodeApiError swaps a message that names a Node error code (ECONNRESET, ECONNREFUSED, …) for n8n's
	// generic text about it ("perhaps it is offline"); ours says whether the job can have been accepted.
	nodeError.message = error.message;
	return nodeError;
}

/**
 * The error item Continue On Fail outputs: `error` (the message) and `details` (what lets the user act on
 * it: description, Nyne's code, HTTP status, request ID). Only these two keys, because that is how n8n
 * recognises an error item and routes it to the error output when On Error is "Continue (using error
 * output)"; setting `item.error` instead would make n8n drop everything but the message.
 */
function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
	jobError?: JobError,
): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	if (jobError?.errorCode) details.error_code = jobError.errorCode;
	if (jobError?.httpCode) details.http_code = jobError.httpCode;
	if (jobError?.requestId) details.request_id = jobError.requestId;
	if (jobError?.resetsAt) details.resets_at = jobError.resetsAt;
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const asTool = typeof this.isToolExecution === 'function' && this.isToolExecution();

	// 1. Check every item before sending anything: a bad item costs no credits and no rate budget.
	const planned: PlannedItem[] = [];
	const failures = new Map<number, INodeExecutionData>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			planned.push(planItem(this, itemIndex, asTool));
		} catch (error) {
			const nodeError = inputError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			failures.set(itemIndex, errorItem(nodeError, itemIndex));
		}
	}

	// 2. Run all jobs at once within the key's shared rate budget.
	let outcomes: Awaited<ReturnType<JobEngine['runAll']>> = [];
	const cancelSignal = this.getExecutionCancelSignal?.();
	const credentials = planned.length > 0 ? await this.getCredentials('nyneApi') : undefined;
	let baseUrl = '';
	try {
		baseUrl = normaliseBaseUrl(credentials?.baseUrl);
	} catch (error) {
		// normaliseBaseUrl throws only InvalidBaseUrlError, whose message names the credential and the rule.
		const description = 'Nothing was sent to Nyne. Edit the Base URL in the Nyne API credential.';
		const message = error instanceof Error ? error.message : String(error);
		const nodeError = new NodeOperationError(this.getNode(), message, {
			description,
			itemIndex: planned[0].itemIndex,
		});
		if (!continueOnFail) throw nodeError;
		for (const item of planned) failures.set(item.itemIndex, errorItem(nodeError, item.itemIndex));
		planned.length = 0;
	}
	if (credentials && planned.length > 0) {
		const engine = new JobEngine({
			send: createSender(this, baseUrl),
			pacer: ratePacerFor(baseUrl, String(credentials.apiKey ?? '')),
			sleep,
			polling: DEFAULT_POLLING,
			signal: cancelSignal,
		});
		outcomes = await engine.runAll(planned.map((item) => item.spec));
	}
	if (cancelSignal?.aborted) {
		// n8n marks the execution "canceled" (not failed) from this wording.
		throw new NodeOperationError(
			this.getNode(),
			'The execution was canceled while waiting for Nyne.',
			{
				description:
					'Jobs Nyne already accepted keep running there; fetch them later with the Get Job operation.',
			},
		);
	}

	// 3. One result or one error per input, in input order, each paired with its input.
	const results = new Map<number, INodeExecutionData[]>();
	planned.forEach((item, position) => {
		const outcome = outcomes[position];
		if (outcome.ok) {
			// Identical inputs share one outcome: each gets its own copy, so a later node editing one item
			// cannot change another.
			const data = deepCopy(outcome.data) as IDataObject;
			const json =
				item.output === 'raw'
					? [data]
					: jobResultItems(item.spec.kind, data, item.output === 'split');
			results.set(
				item.itemIndex,
				json.map((entry) => ({ json: entry, pairedItem: { item: item.itemIndex } })),
			);
			return;
		}
		const nodeError = apiError(this, outcome.error, item.itemIndex);
		if (!continueOnFail) {
			const finished = planned.filter((_, other) => outcomes[other].ok).length;
			if (finished > 0) {
				nodeError.description =
					`${nodeError.description ?? ''} ${finished} other item(s) finished in this run; turn on Continue On Fail (Settings) to keep their results when one item fails.`.trim();
			}
			throw nodeError;
		}
		failures.set(item.itemIndex, errorItem(nodeError, item.itemIndex, outcome.error));
	});

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = failures.get(itemIndex);
		if (failure) output.push(failure);
		else output.push(...(results.get(itemIndex) ?? []));
	}
	return [output];
}

import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { NYNE_BASE_URL } from '../../shared/nyneApi';
import type { JobError } from '../engine/errors';
import { FieldError } from './validation';

/**
 * The node's words for what went wrong: the engine reports facts (engine/errors.ts), this turns them into
 * the message and description a user reads in n8n, and into n8n's errors and error items.
 */

const CHECK_BASE_URL = `Check the Base URL of the Nyne API credential (Nyne's is ${NYNE_BASE_URL}).`;

/** What a user should do about an HTTP error, by status. */
const HTTP_ADVICE: Record<number, string> = {
	400: 'Nyne rejected the request as invalid.',
	401: 'Nyne rejected the credentials: check the API key and secret in the Nyne API credential.',
	402: 'Your Nyne account is out of credits: top up in the Nyne dashboard.',
	403: 'Nyne refused access: check that your subscription includes this API and that this server’s IP is on the key’s allow-list.',
	429: 'Nyne’s rate limit was still exceeded when the timeout ran out.',
	500: 'Nyne had an internal error.',
	503: 'Nyne is temporarily unavailable.',
};

const NOT_NYNE_ANSWERS: Record<NonNullable<JobError['answer']>, string> = {
	html: 'an HTML page',
	text: 'text that is not JSON',
	noEndpoint: 'no such endpoint',
	noEnvelope: "JSON without Nyne's envelope",
	no404Code: "a 404 without Nyne's error code",
};

/** ISO 8601 to the second, as Nyne's reset times are. */
export function isoTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const wholeSeconds = (ms = 0) => Math.round(ms / 1000);

/** The bound that ran out, as a user set it: the Timeout, or the Submit Timeout's retrying. */
function boundText(error: JobError): string {
	const seconds = wholeSeconds(error.boundMs);
	return error.retrying
		? `the ${seconds} s this item may spend retrying`
		: `this item's ${seconds} s timeout`;
}

function admissionText(error: JobError): string {
	const seconds = wholeSeconds(error.boundMs);
	const { cause, available, reserved, longestRunMs } = error.admission ?? { cause: 'waited' };
	if (cause === 'budget') {
		return `the rate budget left before this item's ${seconds} s timeout (about ${available ?? 0} requests, ${reserved ?? 0} of them held to collect jobs already running) cannot also collect this job's result`;
	}
	if (cause === 'tooLate') {
		return `less time is left before this item's ${seconds} s timeout than jobs of this run took to finish (up to ${Math.ceil((longestRunMs ?? 0) / 1000)} s)`;
	}
	return `${boundText(error)} ran out while the job waited for its turn in the rate budget`;
}

/** What the user reads: the error's message, and what they can do about it. */
export function jobErrorText(error: JobError): { message: string; description?: string } {
	const id = error.requestId;
	const nyneSays = error.nyneMessage ? ` Nyne says: ${error.nyneMessage}` : '';
	switch (error.reason) {
		case 'http': {
			const advice =
				HTTP_ADVICE[error.httpCode ?? 0] ?? `Nyne answered with HTTP ${error.httpCode}.`;
			return {
				message: `${advice}${nyneSays}`,
				description: id
					? `The job ${id} was accepted by Nyne; fetch it later with the Get Job operation.`
					: undefined,
			};
		}
		case 'notNyne': {
			const what =
				error.answer === 'noEndpoint' && error.nyneMessage
					? `"${error.nyneMessage.slice(0, 100)}"`
					: NOT_NYNE_ANSWERS[error.answer ?? 'text'];
			const request = error.request ? `${error.request.method} ${error.request.path}` : 'Nyne';
			return {
				message: `The Base URL does not look like Nyne's API: ${request} answered HTTP ${error.httpCode} with ${what}. ${CHECK_BASE_URL}`,
				description:
					error.request?.method === 'POST' ? 'No Nyne job was created by this request.' : undefined,
			};
		}
		case 'network': {
			const { stage, message } = error.network ?? { stage: 'lost', message: 'network error' };
			if (stage === 'notSent') return { message: `${message} The job was not submitted.` };
			if (stage === 'sent') {
				return {
					message: `The connection to Nyne failed (${error.errorCode}) after the job was sent, so Nyne may have accepted it. It was not sent again, to avoid creating and paying for it twice.`,
					description:
						'Check your recent jobs in Nyne, or run this item again if you are sure it was not accepted.',
				};
			}
			if (stage === 'unreachable') {
				return {
					message: `Nyne could not be reached before the timeout ran out, so the job was not submitted: ${message}`,
				};
			}
			if (stage === 'lost' && error.errorCode)
				return { message: `Nyne could not be reached: ${message}` };
			return { message };
		}
		case 'jobFailed':
			return {
				message: `The Nyne job ${id} failed: ${error.nyneMessage ?? 'Nyne gave no reason'}.`,
			};
		case 'expired':
			return error.waiting
				? {
						message: `Nyne no longer knows the job ${id}: the request expired or was not found while waiting for it.`,
						description: error.nyneMessage,
					}
				: {
						message: `Nyne has no job ${id} for this API key: the id is wrong, belongs to another key, or has expired.`,
						// A Base URL with a wrong path answers 404 too.
						description: `${error.nyneMessage ? `Nyne says: ${error.nyneMessage}. ` : ''}If the id is right, ${CHECK_BASE_URL.replace('Check', 'check')}`,
					};
		case 'deadline':
			return {
				message: `The Nyne job ${id} did not finish within the ${wholeSeconds(error.boundMs)} s timeout.`,
				description: `The job may still finish: fetch it later with the Get Job operation and request ID ${id}, or raise the Timeout option.`,
			};
		case 'cancelled':
			return { message: 'The execution was cancelled before the Nyne job finished.' };
		case 'notAdmitted':
			return {
				message: `Not sent to Nyne: ${admissionText(error)}. Nothing was sent or charged for it.`,
				description:
					'To get it: raise the Timeout option, split the input into smaller batches, or use Mode "Submit Only" with a Callback URL to a Nyne Trigger (no polling, so every request submits a job).',
			};
		case 'rateLimited': {
			const resetsAt = isoTime(error.resetsAt ?? 0);
			const inSeconds = Math.max(0, Math.ceil((error.resetsInMs ?? 0) / 1000));
			const limited = `Nyne's rate limit for this API key is used up until ${resetsAt} (in ${inSeconds} s), after ${boundText(error)}`;
			return id
				? {
						message: `${limited}, so the Nyne job ${id} could not be checked again in time.`,
						description: `The job may still finish: fetch it after ${resetsAt} with the Get Job operation and request ID ${id}.`,
					}
				: { message: `${limited}, so the job was not sent. Nothing was sent to Nyne or charged.` };
		}
		case 'quota': {
			const { limit, used } = error.quota ?? {};
			const usage = limit !== undefined ? ` (${used ?? limit} of ${limit})` : '';
			const when = error.resetsAt
				? `it resets at ${isoTime(error.resetsAt)}`
				: 'Nyne did not say when it resets';
			const accepted = id
				? `The job ${id} was accepted by Nyne; fetch it with the Get Job operation once the quota allows.`
				: 'The job was not accepted, so nothing was charged.';
			return {
				message: `Nyne's monthly quota for this API key is used up${usage}; ${when}.${nyneSays}`,
				description: `${accepted} Upgrade the plan or wait for the reset; the next run asks Nyne again.`,
			};
		}
		case 'invalidResponse':
			return {
				message:
					error.missing === 'status'
						? `Nyne's status answer for ${id} had no status.`
						: 'Nyne accepted the job but its answer had no request_id.',
			};
	}
}

/** An input error with the item it belongs to; a FieldError says which field to fix. */
export function inputError(
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

/** A job's failure as n8n's NodeApiError, with Nyne's answer, code and request ID in its details. */
export function apiError(
	context: IExecuteFunctions,
	error: JobError,
	itemIndex: number,
): NodeApiError {
	const { message, description } = jobErrorText(error);
	const response: JsonObject = {
		...((error.responseBody ?? {}) as JsonObject),
		...(error.errorCode ? { code: error.errorCode } : {}),
		...(error.requestId ? { request_id: error.requestId } : {}),
	};
	const nodeError = new NodeApiError(context.getNode(), response, {
		message,
		description,
		httpCode: error.httpCode ? String(error.httpCode) : undefined,
		itemIndex,
	});
	// NodeApiError swaps a message that names a Node error code (ECONNRESET, ECONNREFUSED, …) for n8n's
	// generic text about it ("perhaps it is offline"); ours says whether the job can have been accepted.
	nodeError.message = message;
	return nodeError;
}

/**
 * The error item Continue On Fail outputs: `error` (the message) and `details` (what lets the user act on
 * it: description, Nyne's code, HTTP status, request ID). Only these two keys, because that is how n8n
 * recognises an error item and routes it to the error output when On Error is "Continue (using error
 * output)"; setting `item.error` instead would make n8n drop everything but the message.
 */
export function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
	jobError?: JobError,
): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	if (jobError?.errorCode) details.error_code = jobError.errorCode;
	if (jobError?.httpCode) details.http_code = jobError.httpCode;
	if (jobError?.requestId) details.request_id = jobError.requestId;
	if (jobError?.resetsAt) details.resets_at = isoTime(jobError.resetsAt);
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

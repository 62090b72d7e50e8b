/**
 * Types shared by the job engine and its callers. Nothing here depends on n8n, so the engine can be
 * unit-tested with any `send` function and reused by scripts.
 */

/** Nyne's own API address: the credential's default Base URL. */
export const NYNE_BASE_URL = 'https://api.nyne.ai';

export type JobKind = 'interests' | 'interactions' | 'leads';

export const JOB_KINDS: readonly JobKind[] = ['interests', 'interactions', 'leads'];

/** The endpoint of each job kind; POST submits, GET `?request_id=` polls. */
export const JOB_PATHS: Record<JobKind, string> = {
	interests: '/person/interests',
	interactions: '/person/interactions',
	leads: '/person/leads',
};

export type HeaderValue = string | string[] | number | undefined;

export interface ApiRequest {
	method: 'GET' | 'POST';
	path: string;
	query?: Record<string, string>;
	body?: Record<string, unknown>;
}

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, HeaderValue>;
	body: unknown;
}

/**
 * Sends one HTTP request and resolves with whatever status came back, or with a {@link NetworkError}
 * when no HTTP response arrived. Failures are values, not exceptions: the engine decides what each means.
 */
export type SendRequest = (
	request: ApiRequest,
	signal?: AbortSignal,
) => Promise<ApiResponse | NetworkError>;

/** Abortable sleep: n8n-workflow's `sleep` in the node, anything equivalent in tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Why no HTTP response arrived, as far as the client can tell:
 * - `invalidUrl`: the URL could not be used (bad syntax, unsupported protocol); nothing was sent.
 * - `dns`: the host name did not resolve; nothing was sent.
 * - `connect`: the connection was refused or the host unreachable; nothing was sent.
 * - `tls`: the TLS handshake failed (http server behind an https:// URL, untrusted certificate); the
 *   request is only written after the handshake, so nothing was sent.
 * - `noAnswer`: connected and the request was written, then the connection broke or timed out before an
 *   answer; the server may have processed it.
 * - `cancelled`: the execution was cancelled.
 */
export type NetworkFailure = 'invalidUrl' | 'dns' | 'connect' | 'tls' | 'noAnswer' | 'cancelled';

/** Failures that a retry may cure: the server restarting, a DNS hiccup, a dropped connection. */
const RETRYABLE_FAILURES: ReadonlySet<NetworkFailure> = new Set(['connect', 'noAnswer']);

/**
 * No HTTP response arrived. `requestMayHaveArrived` is false only when the request was certainly not
 * written (see {@link NetworkFailure}): then a submit can be retried without risk of creating the job twice.
 */
export class NetworkError extends Error {
	readonly code: string;

	readonly failure: NetworkFailure;

	readonly requestMayHaveArrived: boolean;

	/** Whether sending again can help (whether it is safe is `requestMayHaveArrived`'s question). */
	readonly retryable: boolean;

	constructor(code: string, message: string, failure: NetworkFailure = failureOfCode(code)) {
		super(message);
		this.name = 'NetworkError';
		this.code = code;
		this.failure = failure;
		this.requestMayHaveArrived = failure === 'noAnswer';
		// A name that does not resolve is a wrong Base URL far more often than a DNS outage; EAI_AGAIN is
		// the resolver saying "try again".
		this.retryable = RETRYABLE_FAILURES.has(failure) || code === 'EAI_AGAIN';
	}
}

/** The failure a bare error code implies, for callers that have nothing more than the code. */
function failureOfCode(code: string): NetworkFailure {
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
	if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return 'connect';
	return 'noAnswer';
}

export type JobErrorReason =
	/** Nyne answered with an HTTP error (4xx/5xx) that retrying cannot fix. */
	| 'http'
	/** No response, and retrying was unsafe or did not help before the deadline. */
	| 'network'
	/** The job ran and ended with status `failed`. */
	| 'jobFailed'
	/** A poll answered 404: the request id is unknown or has expired. */
	| 'expired'
	/** The `timeout` option ran out before the job finished. */
	| 'deadline'
	/** The execution was cancelled. */
	| 'cancelled'
	/** Never sent: the rate budget until the deadline could not also collect this job's result. */
	| 'notAdmitted'
	/** Nyne's rate limit is used up until after the deadline (Retry-After or the window's reset). */
	| 'rateLimited'
	/** Nyne's monthly quota for the key is used up (429 `monthly_limit_exceeded`). */
	| 'quota'
	/** Nyne answered 2xx with a body that is not what its API documents. */
	| 'invalidResponse';

export interface JobErrorDetails {
	reason: JobErrorReason;
	httpCode?: number;
	/** Nyne's own error code, e.g. `insufficient_credits`. */
	errorCode?: string;
	/** Set once Nyne accepted the job, so the user can fetch it later with Get Job. */
	requestId?: string;
	/** Nyne's response body, for the error's details (never contains credentials). */
	responseBody?: Record<string, unknown>;
	description?: string;
	/** When the rate limit or the monthly quota frees up again, ISO 8601 (rateLimited, quota). */
	resetsAt?: string;
}

export class JobError extends Error {
	readonly reason: JobErrorReason;

	readonly httpCode?: number;

	readonly errorCode?: string;

	readonly requestId?: string;

	readonly responseBody?: Record<string, unknown>;

	readonly description?: string;

	readonly resetsAt?: string;

	constructor(message: string, details: JobErrorDetails) {
		super(message);
		this.name = 'JobError';
		this.reason = details.reason;
		this.httpCode = details.httpCode;
		this.errorCode = details.errorCode;
		this.requestId = details.requestId;
		this.responseBody = details.responseBody;
		this.description = details.description;
		this.resetsAt = details.resetsAt;
	}
}

/** How long to wait for one job; the engine's defaults fill in what is not set. */
export interface WaitOptions {
	/** Wait before the first poll, in ms. */
	firstPollDelayMs?: number;
	/** Give up this long after the run started, in ms. */
	timeoutMs?: number;
}

/** What one input asks the engine to do. `wait: false` submits only. */
export type JobSpec =
	| {
			action: 'submit';
			kind: JobKind;
			body: Record<string, unknown>;
			wait: false | WaitOptions;
			/** Submit only: give up reaching Nyne this long after the run started, in ms. */
			reachTimeoutMs?: number;
	  }
	| { action: 'get'; kind: JobKind; requestId: string; timeoutMs?: number };

/** Nyne's `data` object for the job: the 202 answer for a submit-only job, the final poll otherwise. */
export type JobData = Record<string, unknown>;

export type JobOutcome = { ok: true; data: JobData } | { ok: false; error: JobError };

import type { NetworkFailure } from './types';

/** Failures that a retry may cure: the server restarting, a DNS hiccup, a dropped connection. */
const RETRYABLE_FAILURES: ReadonlySet<NetworkFailure> = new Set(['connect', 'noAnswer']);

/**
 * No HTTP response arrived. `requestMayHaveArrived` is false only when the request was certainly not
 * written (see {@link NetworkFailure}): then a submit can be retried without risk of creating the job twice.
 * The message is the sender's (it knows the Base URL); the engine passes it on unchanged.
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
	/** The answer is not one any Nyne endpoint gives: the Base URL points elsewhere. */
	| 'notNyne'
	/** No response, and retrying was unsafe or did not help before the deadline (see `network.stage`). */
	| 'network'
	/** The job ran and ended as failed. */
	| 'jobFailed'
	/** A status request answered 404: the request id is unknown or has expired. */
	| 'expired'
	/** The item's timeout ran out before the job finished. */
	| 'deadline'
	/** The execution was cancelled. */
	| 'cancelled'
	/** Never sent: the rate budget until the deadline could not also collect this job's result. */
	| 'notAdmitted'
	/** Nyne's rate limit is used up until after the deadline (Retry-After or the window's reset). */
	| 'rateLimited'
	/** Nyne's monthly quota for the key is used up (429 `monthly_limit_exceeded`). */
	| 'quota'
	/** Nyne answered 2xx with a body that lacks what its API documents (see `missing`). */
	| 'invalidResponse';

/**
 * What went wrong with one job, as facts: the engine says why, the caller words it for its users (the
 * node: nodes/Nyne/actions/errors.ts).
 */
export interface JobErrorDetails {
	reason: JobErrorReason;
	httpCode?: number;
	/** Nyne's own error code, e.g. `insufficient_credits`. */
	errorCode?: string;
	/** Nyne's own words: its error message, or the reason a failed job gives. */
	nyneMessage?: string;
	/** Set once Nyne accepted the job, so the user can fetch it later. */
	requestId?: string;
	/** Nyne's response body, for the error's details (never contains credentials). */
	responseBody?: Record<string, unknown>;
	/** When the rate limit or the monthly quota frees up again, ms since the epoch (rateLimited, quota). */
	resetsAt?: number;
	/** How long that was from the failure, in ms (rateLimited). */
	resetsInMs?: number;
	/** The request that got the answer (notNyne). */
	request?: { method: 'GET' | 'POST'; path: string };
	/** What came back instead of Nyne's answer (notNyne). */
	answer?: 'html' | 'text' | 'noEndpoint' | 'noEnvelope' | 'no404Code';
	/**
	 * Where the network failure struck (network): `notSent` nothing was sent and retrying cannot help;
	 * `sent` the submit was written, so Nyne may have accepted it; `unreachable` retries ran out before the
	 * deadline; `status` a status request failed; `lost` anything else.
	 */
	network?: { stage: 'notSent' | 'sent' | 'unreachable' | 'status' | 'lost'; message: string };
	/** Whether a 404 came while waiting for a job this run submitted (expired), not for a single status check. */
	waiting?: boolean;
	/** The bound that ran out, in ms: the item's timeout, or its retry budget when `retrying`. */
	boundMs?: number;
	retrying?: boolean;
	/** Why the rate budget did not admit the job (notAdmitted). */
	admission?: {
		cause: 'budget' | 'tooLate' | 'waited';
		/** budget: requests estimated left until the deadline, and how many are held for running jobs. */
		available?: number;
		reserved?: number;
		/** tooLate: the longest a job of this run took, in ms. */
		longestRunMs?: number;
	};
	/** The quota headers (quota). */
	quota?: { limit?: string; used?: string };
	/** The documented field the 2xx answer lacked (invalidResponse). */
	missing?: 'request_id' | 'status';
}

export class JobError extends Error implements JobErrorDetails {
	readonly reason: JobErrorReason;

	readonly httpCode?: number;

	readonly errorCode?: string;

	readonly nyneMessage?: string;

	readonly requestId?: string;

	readonly responseBody?: Record<string, unknown>;

	readonly resetsAt?: number;

	readonly resetsInMs?: number;

	readonly request?: JobErrorDetails['request'];

	readonly answer?: JobErrorDetails['answer'];

	readonly network?: JobErrorDetails['network'];

	readonly waiting?: boolean;

	readonly boundMs?: number;

	readonly retrying?: boolean;

	readonly admission?: JobErrorDetails['admission'];

	readonly quota?: JobErrorDetails['quota'];

	readonly missing?: JobErrorDetails['missing'];

	constructor(details: JobErrorDetails) {
		super(`Nyne job error: ${details.reason}${details.requestId ? ` (${details.requestId})` : ''}`);
		this.name = 'JobError';
		Object.assign(this, details);
		this.reason = details.reason;
	}
}

/**
 * The job engine's types. Nothing here depends on n8n, so the engine can be unit-tested with any `send`
 * function and reused by scripts.
 */
import type { HeaderValue, JobData, JobKind } from '../../shared/nyneApi';
import type { JobError, NetworkError } from './errors';

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
	| { action: 'get'; kind: JobKind; requestId: string };

export type JobOutcome = { ok: true; data: JobData } | { ok: false; error: JobError };

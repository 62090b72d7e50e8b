import { createHash } from 'crypto';
import type { IExecuteFunctions, IHttpRequestOptions, IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { NYNE_BASE_URL } from '../../shared/nyneApi';
import { NetworkError } from '../engine/errors';
import { RatePacer } from '../engine/ratePacer';
import type { ApiResponse, NetworkFailure, SendRequest } from '../engine/types';

export const CREDENTIAL_TYPE = 'nyneApi';

/** Per-request timeout: a slow answer is retried (polls) or reported (submits) instead of hanging. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One rate budget per key and base URL, shared by every execution in this n8n process, so two workflows
 * using the same key pace together instead of tripping each other's 429s. Keyed by a hash: the map never
 * holds the key itself.
 */
const pacers = new Map<string, RatePacer>();
const MAX_PACERS = 200;

export function ratePacerFor(baseUrl: string, apiKey: string): RatePacer {
	const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let pacer = pacers.get(id);
	if (!pacer) {
		if (pacers.size >= MAX_PACERS) pacers.delete(pacers.keys().next().value as string);
		pacer = new RatePacer({ sleep });
		pacers.set(id, pacer);
	}
	return pacer;
}

/** The credential's Base URL cannot be used; nothing was sent. */
export class InvalidBaseUrlError extends Error {
	constructor(rule: string) {
		super(`The Base URL of the Nyne API credential ${rule}.`);
		this.name = 'InvalidBaseUrlError';
	}
}

/**
 * The credential's Base URL without trailing slashes (empty means Nyne's own). It must be an http(s) URL
 * without user name, password, query or fragment, because request paths are appended to it.
 */
export function normaliseBaseUrl(baseUrl: unknown): string {
	const text = typeof baseUrl === 'string' ? baseUrl.trim() : '';
	if (!text) return NYNE_BASE_URL;
	const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
		throw new InvalidBaseUrlError(
			`must be an http:// or https:// URL such as ${NYNE_BASE_URL}, but is "${url?.username || url?.password ? 'a URL with a password' : shown}"`,
		);
	}
	if (url.username || url.password)
		throw new InvalidBaseUrlError('must not contain a user name or password');
	if (url.search || url.hash)
		throw new InvalidBaseUrlError(
			`must not contain "?" or "#" (it is "${url.origin}${url.pathname}" plus more)`,
		);
	return text.replace(/\/+$/, '');
}

interface ErrorLevel {
	code?: string;
	syscall?: string;
	message?: string;
	/** Axios sets `request` once it created the HTTP request. */
	hasRequest: boolean;
}

/** The error and its causes: n8n's NodeApiError → AxiosError → Node's system error. */
function errorLevels(error: unknown): ErrorLevel[] {
	const levels: ErrorLevel[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const record = current as Record<string, unknown>;
		// NodeApiError keeps the code as `httpCode` (e.g. "ECONNREFUSED", "ERR_INVALID_URL"), nothing as `code`.
		const code = [record.code, record.httpCode].find(
			(value) => typeof value === 'string' && /^[A-Z][A-Z0-9_]+$/.test(value),
		);
		levels.push({
			code: code as string | undefined,
			syscall: typeof record.syscall === 'string' ? record.syscall : undefined,
			message: typeof record.message === 'string' ? record.message : undefined,
			hasRequest: record.request !== undefined,
		});
		current = record.cause;
	}
	return levels;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CONNECT_CODES = new Set([
	'ECONNREFUSED',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EHOSTDOWN',
	'ENETDOWN',
	'EADDRNOTAVAIL',
]);
/** OpenSSL's certificate verdicts (Node passes them through as codes) and Node's own TLS codes. */
const TLS_CODE = /^(EPROTO|ERR_SSL_\w+|ERR_TLS_\w+|\w*CERT\w*|UNABLE_TO_\w+|HOSTNAME_MISMATCH)$/;

/**
 * What the failure tells about the request, from how n8n-core's HTTP client (axios) reports it. Measured
 * against local servers (test/integration/transport-errors.test.ts):
 * - no scheme → NodeApiError `ERR_INVALID_URL`, no cause; `ftp://` → AxiosError `ERR_BAD_REQUEST`
 *   "Unsupported protocol", no request;
 * - closed port → `ECONNREFUSED` (syscall connect); unknown host → `ENOTFOUND` (syscall getaddrinfo);
 * - `https://` against an http server → `EPROTO` "wrong version number"; a self-signed certificate →
 *   `DEPTH_ZERO_SELF_SIGNED_CERT`; a server closing during the handshake → `ECONNRESET` "…before secure
 *   TLS connection was established";
 * - a server that read the request (or only accepted the connection) and then closed it → `ECONNRESET`
 *   "socket hang up"; no answer within the timeout → `ECONNABORTED`. Axios's request state cannot tell these
 *   apart (it reports the body as written even for a refused connection), so every failure after connecting
 *   counts as "the request may have arrived".
 */
export function classifyNetworkError(error: unknown): { code: string; failure: NetworkFailure } {
	const levels = errorLevels(error);
	const code =
		levels.find((level) => level.code && level.code !== 'ERR_BAD_REQUEST')?.code ??
		levels.find((level) => level.code)?.code ??
		'EUNKNOWN';
	const codes = new Set(levels.map((level) => level.code));
	const messages = levels.map((level) => level.message ?? '').join(' | ');
	if (codes.has('ERR_CANCELED')) return { code, failure: 'cancelled' };
	// Axios's option errors come before any request exists (n8n's legacy `request` helper clears `request`
	// on every error, so its absence alone proves nothing).
	if (
		codes.has('ERR_INVALID_URL') ||
		([...codes].some((value) => value?.startsWith('ERR_BAD_')) &&
			!levels.some((level) => level.hasRequest))
	) {
		return { code, failure: 'invalidUrl' };
	}
	if (
		[...codes].some((value) => value && DNS_CODES.has(value)) ||
		levels.some((level) => level.syscall === 'getaddrinfo')
	) {
		return { code, failure: 'dns' };
	}
	if (
		[...codes].some((value) => value && CONNECT_CODES.has(value)) ||
		levels.some((level) => level.syscall === 'connect')
	) {
		return { code, failure: 'connect' };
	}
	if (
		[...codes].some((value) => value && TLS_CODE.test(value)) ||
		/before secure TLS connection was established/i.test(messages)
	) {
		return { code, failure: 'tls' };
	}
	return { code, failure: 'noAnswer' };
}

/** Scheme, host and port of the Base URL: what a user compares with what they meant. */
function serverOf(baseUrl: string): string {
	const url = new URL(baseUrl);
	return `${url.protocol}//${url.host}`;
}

const CHECK_BASE_URL = `Nothing was sent to Nyne. Check the Base URL of the Nyne API credential (Nyne's is ${NYNE_BASE_URL}).`;

/** A message that names the cause and, when the request cannot have arrived, what to fix. */
export function networkFailureMessage(
	code: string,
	failure: NetworkFailure,
	baseUrl: string,
): string {
	const server = serverOf(baseUrl);
	switch (failure) {
		case 'invalidUrl':
			return `The request URL built from the Base URL ${server} could not be used (${code}). ${CHECK_BASE_URL}`;
		case 'dns':
			return `The host name ${new URL(baseUrl).hostname} could not be resolved (${code}). ${CHECK_BASE_URL}`;
		case 'connect':
			return `Nothing answered at ${server}: the connection was refused or the host is unreachable (${code}). ${CHECK_BASE_URL}`;
		case 'tls':
			return code === 'EPROTO' && baseUrl.startsWith('https:')
				? `The secure connection to ${server} failed (${code}): the server does not seem to speak https (if it is plain http, the Base URL must start with http://). ${CHECK_BASE_URL}`
				: `The secure connection to ${server} failed (${code}): the server's TLS certificate or protocol was not accepted. ${CHECK_BASE_URL}`;
		case 'cancelled':
			return 'The request was cancelled.';
		case 'noAnswer':
			return `The connection to ${server} broke or timed out after the request was sent, before an answer came (${code}).`;
	}
}

/**
 * The engine's `send`: every Nyne request of the node goes through here, authenticated by n8n from the
 * `nyneApi` credential. HTTP errors come back as responses and a missing response as a NetworkError that
 * carries the code and nothing of the request; the engine decides what each means.
 */
export function createSender(context: IExecuteFunctions, baseUrl: string): SendRequest {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.query,
			body: request.body as IDataObject | undefined,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
		};
		try {
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			)) as { statusCode: number; headers: ApiResponse['headers']; body: unknown };
			return {
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: response.body,
			};
		} catch (error) {
			// Only the classification is kept: the error n8n threw carries the request, headers included.
			const { code, failure } = classifyNetworkError(error);
			return new NetworkError(code, networkFailureMessage(code, failure, baseUrl), failure);
		}
	};
}

import { createHash } from 'crypto';
import type { IExecuteFunctions, IHttpRequestOptions, IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RatePacer } from '../jobs/ratePacer';
import { NetworkError, type ApiResponse, type SendRequest } from '../jobs/types';

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

export function normaliseBaseUrl(baseUrl: unknown): string {
	const url = typeof baseUrl === 'string' && baseUrl.trim() ? baseUrl.trim() : 'https://api.nyne.ai';
	return url.replace(/\/+$/, '');
}

/** The connection-level error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, …) inside whatever n8n threw. */
function networkCodeOf(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		if (typeof code === 'string' && code === 'ERR_CANCELED') return 'ABORTED';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
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
			return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
		} catch (error) {
			// Only the code is kept: the error n8n threw carries the request, headers included.
			const code = networkCodeOf(error) ?? 'EUNKNOWN';
			return new NetworkError(code, `No response from Nyne (${code}).`);
		}
	};
}

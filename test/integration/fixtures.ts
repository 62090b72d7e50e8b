import type { INodeParameters } from 'n8n-workflow';

import {
	DEFAULT_KEY,
	DEFAULT_SECRET,
	startSimulator,
	type NyneSimulator,
	type SimulatorOptions,
} from '../simulator';

/**
 * A simulator tuned for node tests: jobs take tens of milliseconds instead of seconds, and the rate limits
 * are high enough that pacing does not shape results unless a test asks for it (tests of pacing set them).
 */
export async function fastSimulator(options: SimulatorOptions = {}): Promise<NyneSimulator> {
	return await startSimulator({
		timeScale: 0.01,
		rateWindowScale: 1,
		rateLimit: { perMinute: 10_000, perHour: 100_000 },
		...options,
	});
}

/** Nyne's answer to a status poll, fetched over HTTP as any client would: what the node should output. */
export async function pollData(
	sim: NyneSimulator,
	path: string,
	requestId: string,
): Promise<Record<string, unknown>> {
	const response = await fetch(`${sim.url}${path}?request_id=${encodeURIComponent(requestId)}`, {
		headers: { 'X-API-Key': DEFAULT_KEY, 'X-API-Secret': DEFAULT_SECRET },
	});
	const body = (await response.json()) as { data: Record<string, unknown> };
	return body.data;
}

/** The JSON bodies the simulator received on submits, by request id (what the node actually sent). */
export function recordSubmittedBodies(): {
	bodies: Map<string, Record<string, unknown>>;
	behaviour: NonNullable<SimulatorOptions['behaviour']>;
} {
	const bodies = new Map<string, Record<string, unknown>>();
	return {
		bodies,
		behaviour: (job) => {
			bodies.set(job.requestId, job.rawBody);
		},
	};
}

export function credentialsFor(
	sim: NyneSimulator,
	overrides: { apiKey?: string; apiSecret?: string } = {},
) {
	return {
		apiKey: overrides.apiKey ?? DEFAULT_KEY,
		apiSecret: overrides.apiSecret ?? DEFAULT_SECRET,
		baseUrl: sim.url,
	};
}

/** Poll quickly: the fast simulator finishes jobs in well under a second. */
export const FAST_WAIT: INodeParameters = { pollInterval: 0.1 };

export { DEFAULT_KEY, DEFAULT_SECRET };

/** The fields of a node error as n8n stores it in run data (NodeApiError or NodeOperationError). */
export interface StoredNodeError {
	name?: string;
	message?: string;
	description?: string | null;
	httpCode?: string | null;
	context?: { itemIndex?: number };
	errorResponse?: Record<string, unknown>;
}

export function storedError(error: unknown): StoredNodeError | undefined {
	return error as StoredNodeError | undefined;
}

export type Options = INodeParameters;

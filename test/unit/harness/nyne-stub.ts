/**
 * A few lines of fake Nyne for the harness tests (the full simulator lives in test/simulator): the leads
 * endpoint only. POST /person/leads accepts a job (202, pending); GET /person/leads?request_id= answers
 * pending for the first `pendingPolls` polls, then completed with `leadsPerJob` leads.
 */
import { createHash } from 'node:crypto';

import {
	startRecordingServer,
	type HandlerResponse,
	type RecordedRequest,
	type RecordingServer,
} from '../../harness';

export interface NyneStubOptions {
	pendingPolls?: number;
	leadsPerJob?: number;
	/** Answers for POST instead of accepting the job (e.g. a 401). */
	submitAnswer?: HandlerResponse;
	/** Delay of every GET answer, in ms. */
	pollDelayMs?: number;
	/** Never complete jobs. */
	neverComplete?: boolean;
}

export interface NyneStub extends RecordingServer {
	submits(): RecordedRequest[];
	polls(): RecordedRequest[];
}

export function requestIdFor(description: string): string {
	return createHash('sha256').update(description).digest('hex');
}

export function leadsFor(requestId: string, count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, index) => ({
		full_name: `Lead ${index + 1} of ${requestId.slice(0, 6)}`,
		company: `Company ${index + 1}`,
		score: 0.9 - index / 10,
	}));
}

export async function startNyneStub(options: NyneStubOptions = {}): Promise<NyneStub> {
	const polls = new Map<string, number>();
	const server = await startRecordingServer((request) => {
		if (request.path !== '/person/leads') {
			return {
				status: 404,
				body: { success: false, error: { code: 'not_found', message: 'No such endpoint' } },
			};
		}
		if (request.method === 'POST') {
			if (options.submitAnswer) return options.submitAnswer;
			const description = String(
				(request.body as { search_description?: unknown }).search_description ?? '',
			);
			const requestId = requestIdFor(description);
			return {
				status: 202,
				body: { success: true, data: { request_id: requestId, status: 'pending' } },
			};
		}
		const requestId = request.query.request_id;
		const count = (polls.get(requestId) ?? 0) + 1;
		polls.set(requestId, count);
		const done = !options.neverComplete && count > (options.pendingPolls ?? 0);
		const data = done
			? {
					request_id: requestId,
					status: 'completed',
					results: leadsFor(requestId, options.leadsPerJob ?? 2),
				}
			: { request_id: requestId, status: 'pending' };
		return { status: 200, body: { success: true, data }, delayMs: options.pollDelayMs };
	});
	return {
		...server,
		submits: () => server.requests.filter((request) => request.method === 'POST'),
		polls: () => server.requests.filter((request) => request.method === 'GET'),
	};
}

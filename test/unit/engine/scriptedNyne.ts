import { NetworkError } from '../../../nodes/Nyne/engine/errors';
import type { ApiRequest, ApiResponse } from '../../../nodes/Nyne/engine/types';
import type { VirtualClock } from '../../support/virtualTime';

/** One answer of the scripted API: a response, or a connection failure with its code. */
export type ScriptedAnswer = Partial<ApiResponse> | { networkError: string };

/**
 * A stand-in for Nyne at the engine's `send` boundary, for unit tests that need exact control of each
 * answer and of time. The node's real HTTP path is tested against the simulator in test/integration.
 */
export class ScriptedNyne {
	readonly calls: Array<ApiRequest & { at: number }> = [];

	private readonly handler: (request: ApiRequest, index: number) => ScriptedAnswer;

	private readonly clock: VirtualClock;

	constructor(
		clock: VirtualClock,
		handler: (request: ApiRequest, index: number) => ScriptedAnswer,
	) {
		this.clock = clock;
		this.handler = handler;
	}

	readonly send = async (request: ApiRequest): Promise<ApiResponse | NetworkError> => {
		this.calls.push({ ...request, at: this.clock.now });
		const answer = this.handler(request, this.calls.length - 1);
		if ('networkError' in answer)
			return new NetworkError(answer.networkError, `scripted ${answer.networkError}`);
		return {
			statusCode: answer.statusCode ?? 200,
			headers: answer.headers ?? {},
			body: answer.body ?? {},
		};
	};

	count(method: 'GET' | 'POST'): number {
		return this.calls.filter((call) => call.method === method).length;
	}
}

export const accepted = (requestId: string): ScriptedAnswer => ({
	statusCode: 202,
	body: { success: true, data: { request_id: requestId, status: 'queued' } },
});

export const status = (
	requestId: string,
	state: string,
	extra: Record<string, unknown> = {},
): ScriptedAnswer => ({
	statusCode: 200,
	body: { success: true, data: { request_id: requestId, status: state, ...extra } },
});

export const nyneError = (
	statusCode: number,
	code: string,
	headers: Record<string, string> = {},
): ScriptedAnswer => ({
	statusCode,
	headers,
	body: { success: false, error: { code, message: `scripted ${code}` } },
});

import {
	envelopeData,
	isMonthlyQuota,
	jobState,
	nyneErrorOf,
	quotaHeaders,
	rateLimitHeaders,
} from '../../../nodes/shared/nyneApi';

describe("Nyne's API as the package reads it", () => {
	it('reads rate-limit headers in any letter case, and X-RateLimit-Reset as an epoch time', () => {
		const mixed = { 'RateLimit-Remaining': '4', 'X-RateLimit-Limit': '5', 'Retry-After': '7' };
		expect(rateLimitHeaders(mixed, 0)).toEqual({
			limit: 5,
			remaining: 4,
			resetInSeconds: undefined,
			retryAfterSeconds: 7,
		});
		expect(rateLimitHeaders({ 'X-RATELIMIT-RESET': '1030' }, 1_000_000).resetInSeconds).toBe(30);
		// RateLimit-Reset (seconds from now) wins over the epoch form.
		expect(
			rateLimitHeaders({ 'ratelimit-reset': '12', 'x-ratelimit-reset': '1030' }, 1_000_000)
				.resetInSeconds,
		).toBe(12);
	});

	it('tells a monthly-quota 429 from a rate-limit 429, by code or by X-Quota-Remaining: 0', () => {
		const body = (code: string) => ({ success: false, error: { code, message: code } });
		expect(
			isMonthlyQuota({ statusCode: 429, headers: {}, body: body('monthly_limit_exceeded') }),
		).toBe(true);
		expect(
			isMonthlyQuota({ statusCode: 429, headers: { 'X-Quota-Remaining': '0' }, body: {} }),
		).toBe(true);
		expect(
			isMonthlyQuota({ statusCode: 429, headers: {}, body: body('rate_limit_exceeded') }),
		).toBe(false);
		expect(
			isMonthlyQuota({ statusCode: 402, headers: {}, body: body('monthly_limit_exceeded') }),
		).toBe(false);
		expect(
			quotaHeaders({
				'X-Quota-Limit': '5000',
				'X-Quota-Used': '5000',
				'X-Quota-Reset': '1767225600',
			}),
		).toEqual({ limit: '5000', used: '5000', resetsAt: 1_767_225_600_000 });
	});

	it.each([
		[{ status: 'completed' }, 'completed'],
		[{ status: ' Complete ' }, 'completed'],
		[{ status: 'done', completed: true }, 'completed'],
		[{ status: 'failed' }, 'failed'],
		[{ status: 'error', completed: false, error: 'profile is private' }, 'failed'],
		[{ status: 'processing', completed: false }, 'running'],
		[{ status: 'aggregating' }, 'running'],
		[{ status: 'something new' }, 'running'],
	])('job status %p is %s', (data, state) => {
		expect(jobState(data)).toBe(state);
	});

	it("reads Nyne's error body in its nested and flat shapes, and only an object as the envelope's data", () => {
		expect(
			nyneErrorOf({ success: false, error: { code: 'not_found', message: 'No such job' } }),
		).toEqual({ code: 'not_found', message: 'No such job' });
		expect(nyneErrorOf({ error: 'invalid_request', message: 'Bad' })).toEqual({
			code: 'invalid_request',
			message: 'Bad',
		});
		expect(nyneErrorOf('<html>oops</html>')).toEqual({ message: '<html>oops</html>' });
		expect(envelopeData({ success: true, data: { request_id: 'x' } })).toEqual({ request_id: 'x' });
		expect(envelopeData({ success: true, data: ['x'] })).toBeUndefined();
	});
});

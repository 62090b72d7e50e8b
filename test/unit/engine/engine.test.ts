import { jobErrorText } from '../../../nodes/Nyne/actions/errors';
import { JobEngine } from '../../../nodes/Nyne/engine/engine';
import { DEFAULT_POLLING, type PollingOptions } from '../../../nodes/Nyne/engine/limits';
import { RatePacer } from '../../../nodes/Nyne/engine/ratePacer';
import type { ApiRequest, JobSpec, WaitOptions } from '../../../nodes/Nyne/engine/types';
import { VirtualClock } from '../../support/virtualTime';
import { accepted, nyneError, ScriptedNyne, status, type ScriptedAnswer } from './scriptedNyne';

function setup(
	handler: (request: ApiRequest, index: number) => ScriptedAnswer,
	polling: Partial<PollingOptions> = {},
	signal?: AbortSignal,
) {
	const clock = new VirtualClock();
	const nyne = new ScriptedNyne(clock, handler);
	const pacer = new RatePacer({ sleep: clock.sleep, now: clock.clock });
	const engine = new JobEngine({
		send: nyne.send,
		pacer,
		sleep: clock.sleep,
		now: clock.clock,
		random: () => 0.5,
		polling: { ...DEFAULT_POLLING, firstPollDelayMs: 1000, ...polling },
		signal,
	});
	const run = async (specs: JobSpec[]) => await clock.run(engine.runAll(specs));
	return { clock, nyne, run };
}

const leads = (description: string, wait: false | WaitOptions = {}): JobSpec => ({
	action: 'submit',
	kind: 'leads',
	body: { search_description: description },
	wait,
});

describe('JobEngine: waiting for a job', () => {
	it('polls after the poll interval, then backs off ×1.5 until the job completes', async () => {
		const { nyne, run } = setup((request, index) => {
			if (request.method === 'POST') return accepted('r1');
			return index < 4
				? status('r1', 'searching')
				: status('r1', 'completed', { results: [{ platform: 'x' }] });
		});
		const [outcome] = await run([
			leads('founders raising a seed round', { firstPollDelayMs: 2000 }),
		]);
		expect(outcome).toEqual({
			ok: true,
			data: { request_id: 'r1', status: 'completed', results: [{ platform: 'x' }] },
		});
		expect(nyne.calls.map((call) => [call.method, call.at])).toEqual([
			['POST', 0],
			['GET', 2000],
			['GET', 5000],
			['GET', 9500],
			['GET', 16250],
		]);
		expect(nyne.calls[1].query).toEqual({ request_id: 'r1' });
		expect(nyne.calls[1].path).toBe('/person/leads');
	});

	it('caps the pause between polls at 30 seconds', async () => {
		const { nyne, run } = setup((request, index) =>
			request.method === 'POST'
				? accepted('r1')
				: index < 12
					? status('r1', 'processing')
					: status('r1', 'completed'),
		);
		await run([leads('a long running search', { firstPollDelayMs: 10_000 })]);
		const gaps = nyne.calls
			.slice(1)
			.map((call, i, all) => (i === 0 ? call.at : call.at - all[i - 1].at));
		expect(Math.max(...gaps)).toBe(30_000);
		expect(gaps.slice(0, 3)).toEqual([10_000, 15_000, 22_500]);
	});

	it('fails a job that ends as failed with Nyne’s reason and its request id, without polling again', async () => {
		const { nyne, run } = setup((request) =>
			request.method === 'POST'
				? accepted('r9')
				: status('r9', 'failed', { error: 'search backend unavailable' }),
		);
		const [outcome] = await run([leads('founders raising a seed round', {})]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error.reason).toBe('jobFailed');
		expect(outcome.error.requestId).toBe('r9');
		expect(jobErrorText(outcome.error).message).toContain('search backend unavailable');
		expect(nyne.count('GET')).toBe(1);
	});

	it('stops at the deadline with an error that names the request id, never looping on', async () => {
		const { nyne, clock, run } = setup((request) =>
			request.method === 'POST' ? accepted('slow-1') : status('slow-1', 'processing'),
		);
		const [outcome] = await run([leads('a job that never finishes', { timeoutMs: 60_000 })]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error.reason).toBe('deadline');
		expect(outcome.error.requestId).toBe('slow-1');
		expect(jobErrorText(outcome.error).message).toContain('slow-1');
		expect(jobErrorText(outcome.error).description).toContain('Get Job');
		expect(clock.now).toBe(60_000);
		expect(nyne.calls.every((call) => call.at <= 60_000)).toBe(true);
	});

	it('reports an expired request (404 while polling) with its id', async () => {
		const { run } = setup((request, index) =>
			request.method === 'POST'
				? accepted('gone-1')
				: index === 1
					? status('gone-1', 'processing')
					: nyneError(404, 'request_not_found'),
		);
		const [outcome] = await run([leads('founders raising a seed round', {})]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error).toMatchObject({
			reason: 'expired',
			httpCode: 404,
			requestId: 'gone-1',
			errorCode: 'request_not_found',
		});
		expect(jobErrorText(outcome.error).message).toContain('expired');
	});

	it('stops promptly when the execution is cancelled', async () => {
		const controller = new AbortController();
		const { nyne, clock, run } = setup(
			(request) => {
				if (request.method === 'GET' && clock.now >= 5000) controller.abort();
				return request.method === 'POST' ? accepted('c1') : status('c1', 'processing');
			},
			{},
			controller.signal,
		);
		const [outcome] = await run([leads('founders raising a seed round', {})]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error.reason).toBe('cancelled');
		const callsAtCancel = nyne.calls.length;
		expect(nyne.calls[callsAtCancel - 1].at).toBeLessThan(10_000);
	});
});

describe('JobEngine: retries', () => {
	it('retries polls through 503s, 500s and dropped connections', async () => {
		const answers: ScriptedAnswer[] = [
			accepted('r2'),
			nyneError(503, 'service_unavailable'),
			{ networkError: 'ECONNRESET' },
			nyneError(500, 'internal_error'),
			status('r2', 'completed', { results: [] }),
		];
		const { nyne, run } = setup((_request, index) => answers[index]);
		const [outcome] = await run([leads('founders raising a seed round', {})]);
		expect(outcome).toEqual({
			ok: true,
			data: { request_id: 'r2', status: 'completed', results: [] },
		});
		expect(nyne.count('POST')).toBe(1);
		expect(nyne.count('GET')).toBe(4);
	});

	it('resubmits after 503 and refused connections, which cannot have created the job', async () => {
		const answers: ScriptedAnswer[] = [
			nyneError(503, 'service_unavailable'),
			{ networkError: 'ECONNREFUSED' },
			accepted('r3'),
			status('r3', 'completed'),
		];
		const { nyne, run } = setup((_request, index) => answers[index]);
		const [outcome] = await run([leads('founders raising a seed round', {})]);
		expect(outcome.ok).toBe(true);
		expect(nyne.count('POST')).toBe(3);
	});

	it('never resubmits when the job may have been accepted (connection reset, 500)', async () => {
		for (const answer of [
			{ networkError: 'ECONNRESET' },
			nyneError(500, 'internal_error'),
		] as ScriptedAnswer[]) {
			const { nyne, run } = setup(() => answer);
			const [outcome] = await run([leads('founders raising a seed round', {})]);
			expect(outcome.ok).toBe(false);
			expect(nyne.count('POST')).toBe(1);
			expect(nyne.count('GET')).toBe(0);
		}
	});

	it('waits Retry-After on 429 before sending again, and holds back every other job meanwhile', async () => {
		let limited = false;
		const { nyne, run } = setup((request) => {
			if (request.method === 'POST' && !limited) {
				limited = true;
				return nyneError(429, 'rate_limit_exceeded', { 'retry-after': '7' });
			}
			return request.method === 'POST'
				? accepted(`id-${String(request.body?.search_description)}`)
				: status(String(request.query?.request_id), 'completed');
		});
		const outcomes = await run([
			leads('first search text', false),
			leads('second search text', false),
		]);
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
		const posts = nyne.calls.filter((call) => call.method === 'POST');
		expect(posts).toHaveLength(3);
		// The two jobs went out together; the one refused was resent only after Retry-After.
		expect(posts[2].at).toBeGreaterThanOrEqual(7000);
	});

	it('after a 429 that leaves budget in the window, resumes after Retry-After, not at the window’s reset', async () => {
		let calls = 0;
		const { nyne, run } = setup((request) => {
			calls++;
			const headers = {
				'ratelimit-limit': '60',
				'ratelimit-remaining': String(60 - calls),
				'ratelimit-reset': '60',
			};
			if (calls === 1)
				return { ...nyneError(429, 'rate_limit_exceeded', { ...headers, 'retry-after': '2' }) };
			const answer = request.method === 'POST' ? accepted('r5') : status('r5', 'completed');
			return { ...answer, headers };
		});
		const [outcome] = await run([leads('founders raising a seed round', false)]);
		expect(outcome.ok).toBe(true);
		expect(nyne.calls[1].at).toBeGreaterThanOrEqual(2000);
		expect(nyne.calls[1].at).toBeLessThan(3000);
	});

	it('gives up on a 429 whose Retry-After passes the deadline, with Nyne’s code', async () => {
		const { nyne, run } = setup(() =>
			nyneError(429, 'rate_limit_exceeded', { 'retry-after': '3600' }),
		);
		const [outcome] = await run([leads('founders raising a seed round', { timeoutMs: 60_000 })]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error).toMatchObject({
			reason: 'rateLimited',
			httpCode: 429,
			errorCode: 'rate_limit_exceeded',
		});
		expect(jobErrorText(outcome.error).message).toContain('1970-01-01T01:00:00Z');
		expect(nyne.count('POST')).toBe(1);
	});

	it('does not retry 4xx answers, and explains each', async () => {
		const cases: Array<[number, string, string]> = [
			[400, 'invalid_search_description', 'invalid'],
			[401, 'invalid_credentials', 'API key and secret'],
			[402, 'insufficient_credits', 'out of credits'],
			[403, 'ip_not_allowed', 'allow-list'],
		];
		for (const [code, nyneCode, advice] of cases) {
			const { nyne, run } = setup(() => nyneError(code, nyneCode));
			const [outcome] = await run([leads('founders raising a seed round', {})]);
			expect(outcome.ok).toBe(false);
			if (outcome.ok) continue;
			expect(outcome.error).toMatchObject({ reason: 'http', httpCode: code, errorCode: nyneCode });
			expect(jobErrorText(outcome.error).message).toContain(advice);
			expect(jobErrorText(outcome.error).message).toContain(`scripted ${nyneCode}`);
			expect(nyne.calls).toHaveLength(1);
		}
	});
});

describe('JobEngine: many jobs', () => {
	it('sends identical jobs once and gives every item the same outcome', async () => {
		const { nyne, run } = setup((request) =>
			request.method === 'POST'
				? accepted('same')
				: status('same', 'completed', { results: [{ n: 1 }] }),
		);
		const specs: JobSpec[] = [
			{
				action: 'submit',
				kind: 'leads',
				body: { search_description: 'ctos at fintechs', callback_url: 'https://a.example' },
				wait: {},
			},
			{
				action: 'submit',
				kind: 'leads',
				body: { callback_url: 'https://a.example', search_description: 'ctos at fintechs' },
				wait: {},
			},
			{
				action: 'submit',
				kind: 'leads',
				body: { search_description: 'ctos at fintechs' },
				wait: {},
			},
		];
		const outcomes = await run(specs);
		expect(nyne.count('POST')).toBe(2);
		expect(outcomes[0]).toEqual(outcomes[1]);
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
	});

	it('runs jobs concurrently: 30 jobs of 5 s finish in about one job’s time', async () => {
		const submittedAt = new Map<string, number>();
		const { clock, nyne, run } = setup((request) => {
			if (request.method === 'POST') {
				const id = `job-${String(request.body?.search_description)}`;
				submittedAt.set(id, clock.now);
				return accepted(id);
			}
			const id = String(request.query?.request_id);
			return clock.now - (submittedAt.get(id) ?? 0) >= 5000
				? status(id, 'completed')
				: status(id, 'processing');
		});
		const specs = Array.from({ length: 30 }, (_, i) =>
			leads(`search number ${i}`, { firstPollDelayMs: 5000 }),
		);
		const outcomes = await run(specs);
		expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(30);
		expect(clock.now).toBe(5000);
		expect(nyne.count('GET')).toBe(30);
	});

	it('when the budget is short, sends every submit before any poll, and polls the oldest jobs first', async () => {
		let windowStart = -1;
		let used = 0;
		const acceptedAt = new Map<string, number>();
		const { clock, nyne, run } = setup((request) => {
			if (windowStart < 0 || clock.now >= windowStart + 10_000) {
				windowStart = clock.now;
				used = 0;
			}
			used++;
			const resetIn = Math.ceil((windowStart + 10_000 - clock.now) / 1000);
			const headers = {
				'ratelimit-limit': '10',
				'ratelimit-remaining': String(10 - used),
				'ratelimit-reset': String(resetIn),
			};
			if (request.method === 'POST') {
				const id = `j-${String(request.body?.search_description)}`;
				acceptedAt.set(id, clock.now);
				return { ...accepted(id), headers };
			}
			return { ...status(String(request.query?.request_id), 'completed'), headers };
		});
		const outcomes = await run(
			Array.from({ length: 25 }, (_, i) => leads(`search number ${i}`, { firstPollDelayMs: 1000 })),
		);
		expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(25);
		const methods = nyne.calls.map((call) => call.method);
		expect(methods.lastIndexOf('POST')).toBeLessThan(methods.indexOf('GET'));
		const polled = nyne.calls
			.filter((call) => call.method === 'GET')
			.map((call) => acceptedAt.get(String(call.query?.request_id)) ?? -1);
		expect(polled).toEqual([...polled].sort((a, b) => a - b));
		// 25 submits + 25 polls at 10 per window: five windows, no request wasted.
		expect(nyne.calls).toHaveLength(50);
	});

	it('paces by the rate-limit headers: spends the window, waits for its reset, sees no 429', async () => {
		// A tiny Nyne: 10 requests per 10 s window, with the documented headers.
		let windowStart = -1;
		let used = 0;
		let rejected = 0;
		const { clock, nyne, run } = setup((request) => {
			if (windowStart < 0 || clock.now >= windowStart + 10_000) {
				windowStart = clock.now;
				used = 0;
			}
			const resetIn = Math.ceil((windowStart + 10_000 - clock.now) / 1000);
			if (used >= 10) {
				rejected++;
				return nyneError(429, 'rate_limit_exceeded', { 'retry-after': String(resetIn) });
			}
			used++;
			const headers = {
				'ratelimit-limit': '10',
				'ratelimit-remaining': String(10 - used),
				'ratelimit-reset': String(resetIn),
			};
			const answer =
				request.method === 'POST'
					? accepted(`j-${String(request.body?.search_description)}`)
					: status(String(request.query?.request_id), 'completed');
			return { ...answer, headers };
		});
		const outcomes = await run(
			Array.from({ length: 25 }, (_, i) => leads(`search number ${i}`, false)),
		);
		expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(25);
		expect(rejected).toBe(0);
		expect(nyne.count('POST')).toBe(25);
		// 25 requests at 10 per window need three windows: 0 s, 10 s, 20 s.
		expect(clock.now).toBeGreaterThanOrEqual(20_000);
		expect(clock.now).toBeLessThan(21_000);
	});
});

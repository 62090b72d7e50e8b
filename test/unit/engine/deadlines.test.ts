/**
 * Issue 9 on virtual time: deadline-aware admission, no wait past a deadline, the monthly quota and
 * timeouts that mean what they say. Nyne is scripted at the engine's `send` boundary.
 */
import { isoTime, jobErrorText } from '../../../nodes/Nyne/actions/errors';
import { JobEngine } from '../../../nodes/Nyne/engine/engine';
import {
	DEFAULT_POLLING,
	MAX_TIMER_MS,
	type PollingOptions,
} from '../../../nodes/Nyne/engine/limits';
import { PacerRefusal, RatePacer } from '../../../nodes/Nyne/engine/ratePacer';
import type {
	ApiRequest,
	JobOutcome,
	JobSpec,
	WaitOptions,
} from '../../../nodes/Nyne/engine/types';
import { VirtualClock } from '../../support/virtualTime';
import { accepted, nyneError, ScriptedNyne, status, type ScriptedAnswer } from './scriptedNyne';

function setup(
	handler: (request: ApiRequest, index: number, clock: VirtualClock) => ScriptedAnswer,
	polling: Partial<PollingOptions> = {},
	shared?: { clock: VirtualClock; pacer: RatePacer },
) {
	const clock = shared?.clock ?? new VirtualClock();
	const nyne = new ScriptedNyne(clock, (request, index) => handler(request, index, clock));
	const pacer = shared?.pacer ?? new RatePacer({ sleep: clock.sleep, now: clock.clock });
	const engine = new JobEngine({
		send: nyne.send,
		pacer,
		sleep: clock.sleep,
		now: clock.clock,
		random: () => 0.5,
		polling: { ...DEFAULT_POLLING, ...polling },
	});
	const run = async (specs: JobSpec[]) => await clock.run(engine.runAll(specs));
	return { clock, nyne, pacer, run };
}

const leads = (
	description: string,
	wait: false | WaitOptions = {},
	reachTimeoutMs?: number,
): JobSpec => ({
	action: 'submit',
	kind: 'leads',
	body: { search_description: description },
	wait,
	reachTimeoutMs,
});

const failures = (outcomes: JobOutcome[]) =>
	outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));

/**
 * Nyne with fixed windows of `limit` requests per `windowMs` (opened by the first request after the last
 * one ended), the documented headers, 429 with Retry-After beyond the limit, and each job finishing
 * `latencyMs(index)` after its submit.
 */
function windowedNyne(limit: number, windowMs: number, latencyMs: (jobIndex: number) => number) {
	let windowStart = -Infinity;
	let used = 0;
	const stats = { rejected: 0, accepted: new Map<string, number>(), collected: new Set<string>() };
	const dueAt = new Map<string, number>();
	const handler = (request: ApiRequest, _index: number, clock: VirtualClock): ScriptedAnswer => {
		if (clock.now >= windowStart + windowMs) {
			windowStart = clock.now;
			used = 0;
		}
		const resetIn = Math.ceil((windowStart + windowMs - clock.now) / 1000);
		if (used >= limit) {
			stats.rejected++;
			return nyneError(429, 'rate_limit_exceeded', {
				'retry-after': String(resetIn),
				'ratelimit-limit': String(limit),
				'ratelimit-remaining': '0',
				'ratelimit-reset': String(resetIn),
			});
		}
		used++;
		const headers = {
			'ratelimit-limit': String(limit),
			'ratelimit-remaining': String(limit - used),
			'ratelimit-reset': String(resetIn),
		};
		if (request.method === 'POST') {
			const id = `job-${stats.accepted.size}`;
			stats.accepted.set(id, clock.now);
			dueAt.set(id, clock.now + latencyMs(stats.accepted.size - 1));
			return { ...accepted(id), headers };
		}
		const id = String(request.query?.request_id);
		if (clock.now >= (dueAt.get(id) ?? Infinity)) {
			stats.collected.add(id);
			return { ...status(id, 'completed', { results: [] }), headers };
		}
		return { ...status(id, 'searching'), headers };
	};
	return { handler, stats };
}

describe('admission: never submit a job the budget cannot also collect before the deadline', () => {
	it('150 jobs, 20 requests per 1 s window, 10 s timeout: every accepted job is collected, the rest are not sent', async () => {
		// Latencies 2–6 s, spread evenly (the workload).
		const nyneSide = windowedNyne(20, 1000, (i) => 2000 + ((i * 37) % 41) * 100);
		const { nyne, run } = setup(nyneSide.handler);
		const specs = Array.from({ length: 150 }, (_, i) =>
			leads(`search number ${i}`, { firstPollDelayMs: 3000, timeoutMs: 10_000 }),
		);
		const outcomes = await run(specs);

		const results = outcomes.filter((outcome) => outcome.ok).length;
		const errors = failures(outcomes);
		// Accepted but never collected: charged by Nyne, lost to the user. Must be none.
		const acceptedUncollected = [...nyneSide.stats.accepted.keys()].filter(
			(id) => !nyneSide.stats.collected.has(id),
		);
		expect(acceptedUncollected).toEqual([]);
		expect(results).toBe(nyneSide.stats.accepted.size);
		expect(
			errors.every((error) => error.reason === 'notAdmitted' && error.requestId === undefined),
		).toBe(true);
		expect(jobErrorText(errors[0]).message).toContain('Nothing was sent or charged');
		expect(results + errors.length).toBe(150);
		// 10 windows of 20 = 200 requests; each job needs a submit and a poll: at most 100 results. Most of
		// that budget is used (jobs submitted late cannot finish before the deadline).
		expect(results).toBeGreaterThanOrEqual(55);
		expect(nyneSide.stats.rejected).toBe(0);
		expect(nyne.calls.every((call) => call.at <= 10_000)).toBe(true);
	});

	it('when nothing binds, submits all jobs first and polls once each (unchanged fast path)', async () => {
		const nyneSide = windowedNyne(60, 6000, () => 4000);
		const { nyne, run } = setup(nyneSide.handler);
		const outcomes = await run(
			Array.from({ length: 25 }, (_, i) => leads(`search number ${i}`, { firstPollDelayMs: 4000 })),
		);
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
		const methods = nyne.calls.map((call) => call.method);
		expect(methods.lastIndexOf('POST')).toBeLessThan(methods.indexOf('GET'));
		expect(nyne.calls).toHaveLength(50);
	});

	it('Submit Only needs one request per job: a budget of 20 submits 20 jobs and turns away the rest', async () => {
		const nyneSide = windowedNyne(20, 3_600_000, () => 1000);
		const { nyne, run } = setup(nyneSide.handler);
		const outcomes = await run(
			Array.from({ length: 30 }, (_, i) => leads(`search number ${i}`, false, 60_000)),
		);
		expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(20);
		expect(failures(outcomes).map((error) => error.reason)).toEqual(Array(10).fill('rateLimited'));
		expect(jobErrorText(failures(outcomes)[0]).message).toContain(
			'Nothing was sent to Nyne or charged',
		);
		expect(nyne.count('POST')).toBe(20);
		expect(nyneSide.stats.rejected).toBe(0);
	});

	it('polls of running jobs are not held back behind submits the budget cannot carry', async () => {
		// 6 requests per 1 s window, 5 s timeout: room for ~15 jobs; the polls of the first jobs go as soon as
		// admission stops, not after 100 queued submits.
		const nyneSide = windowedNyne(6, 1000, () => 1500);
		const { nyne, run } = setup(nyneSide.handler);
		const outcomes = await run(
			Array.from({ length: 100 }, (_, i) =>
				leads(`search number ${i}`, { firstPollDelayMs: 1500, timeoutMs: 5000 }),
			),
		);
		const collected = outcomes.filter((outcome) => outcome.ok).length;
		expect(collected).toBe(nyneSide.stats.accepted.size);
		expect(collected).toBeGreaterThanOrEqual(8);
		// Each job's first poll went out within about a window of being due, though 70+ submits were queued
		// ahead of it (submits go first while the budget has room).
		const lateness = [...nyneSide.stats.accepted].map(([id, submittedAt]) => {
			const firstPoll = nyne.calls.find(
				(call) => call.method === 'GET' && call.query?.request_id === id,
			);
			return (firstPoll?.at ?? Infinity) - (submittedAt + 1500);
		});
		expect(Math.max(...lateness)).toBeLessThanOrEqual(1200);
		expect(failures(outcomes).every((error) => error.reason === 'notAdmitted')).toBe(true);
	});
});

describe('no wait outlives its deadline', () => {
	it('a request waiting for a slot gives up when its deadline passes', async () => {
		const clock = new VirtualClock();
		const pacer = new RatePacer({ sleep: clock.sleep, now: clock.clock, maxInFlight: 1 });
		const held = await pacer.acquire(undefined, { kind: 'poll' });
		const waiting = pacer.acquire(undefined, { kind: 'poll', deadline: 5000 }).then(
			() => 'granted',
			(error: unknown) => error,
		);
		const refusal = await clock.run(waiting);
		expect(refusal).toBeInstanceOf(PacerRefusal);
		expect((refusal as PacerRefusal).reason).toBe('deadline');
		expect(clock.now).toBe(5001);
		held.release();
	});

	it('a Retry-After past the deadline fails every waiting item at once, with the reset time', async () => {
		const { nyne, clock, run } = setup(() =>
			nyneError(429, 'rate_limit_exceeded', { 'retry-after': '3600' }),
		);
		const outcomes = await run([
			leads('first search text', { timeoutMs: 60_000 }),
			leads('second search text', { timeoutMs: 60_000 }),
		]);
		const errors = failures(outcomes);
		expect(errors.map((error) => error.reason)).toEqual(['rateLimited', 'rateLimited']);
		expect(jobErrorText(errors[0]).message).toContain('rate limit');
		expect(jobErrorText(errors[0]).message).toContain('1970-01-01T01:00:00Z');
		expect(isoTime(errors[0].resetsAt ?? 0)).toBe('1970-01-01T01:00:00Z');
		// The first asked alone (nothing known about the window yet); its answer failed the second before it
		// was sent; nothing waited for the hour.
		expect(nyne.count('POST')).toBe(1);
		expect(clock.now).toBe(0);
	});

	it('an exhausted window that resets after the deadline fails the item at once', async () => {
		const headers = {
			'ratelimit-limit': '1000',
			'ratelimit-remaining': '0',
			'ratelimit-reset': '3600',
		};
		const { nyne, clock, run } = setup((request) => ({
			...(request.method === 'POST' ? accepted('h1') : status('h1', 'searching')),
			headers,
		}));
		const outcomes = await run([
			leads('first search text', { timeoutMs: 20_000 }),
			leads('second search text', { timeoutMs: 20_000 }),
		]);
		// The first submit learned the hourly window is spent: its poll and the second submit cannot go.
		expect(nyne.count('POST')).toBeLessThanOrEqual(2);
		const errors = failures(outcomes);
		expect(errors).toHaveLength(2);
		expect(errors.every((error) => error.reason === 'rateLimited')).toBe(true);
		const polled = errors.find((error) => error.requestId === 'h1');
		expect(polled && jobErrorText(polled).description).toContain('Get Job');
		expect(clock.now).toBeLessThanOrEqual(20_000);
	});

	it('asks for no sleep longer than a timer can take, and does not spin, after a 30-day Retry-After', async () => {
		const clock = new VirtualClock();
		const sleeps: number[] = [];
		const sleep = async (ms: number, signal?: AbortSignal) => {
			sleeps.push(ms);
			await clock.sleep(ms, signal);
		};
		const pacer = new RatePacer({ sleep, now: clock.clock });
		const first = await pacer.acquire(undefined, { kind: 'submit' });
		first.release({ statusCode: 429, headers: { 'retry-after': '2592000' } });
		// A waiter with no deadline of its own: the pacer must wake in steps a timer can take.
		const waiting = pacer.acquire(undefined, { kind: 'submit' });
		const slot = await clock.run(waiting);
		slot.release();
		expect(clock.now).toBeGreaterThanOrEqual(2_592_000_000);
		expect(Math.max(...sleeps)).toBeLessThanOrEqual(MAX_TIMER_MS);
		expect(sleeps.length).toBeLessThanOrEqual(3);
	});

	it('Submit Only gives up reaching Nyne after its own short deadline', async () => {
		const { nyne, clock, run } = setup(() => ({ networkError: 'ECONNREFUSED' }));
		const [outcome] = await run([leads('founders raising a seed round', false, 60_000)]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error.reason).toBe('network');
		expect(jobErrorText(outcome.error).message).toContain('ECONNREFUSED');
		expect(clock.now).toBeLessThanOrEqual(60_000);
		expect(nyne.calls.at(-1)!.at).toBeGreaterThan(20_000);
	});

	it('Submit Only paces a batch longer than its retry deadline: waiting for the next window is not retrying', async () => {
		const nyneSide = windowedNyne(60, 60_000, () => 1000);
		const { clock, run } = setup(nyneSide.handler);
		const outcomes = await run(
			Array.from({ length: 150 }, (_, i) => leads(`search number ${i}`, false, 60_000)),
		);
		expect(failures(outcomes)).toEqual([]);
		expect(nyneSide.stats.accepted.size).toBe(150);
		expect(nyneSide.stats.rejected).toBe(0);
		// Three windows: the last submits went after two minutes, past the 60 s of retries.
		expect(clock.now).toBeGreaterThan(120_000);
	});

	it('Submit Only uses the engine’s reach timeout by default, not the 15-minute wait timeout', async () => {
		const { clock, run } = setup(() => nyneError(503, 'service_unavailable'));
		const [outcome] = await run([leads('founders raising a seed round', false)]);
		expect(outcome.ok).toBe(false);
		expect(clock.now).toBeLessThanOrEqual(DEFAULT_POLLING.reachTimeoutMs);
	});
});

describe('monthly quota', () => {
	const quotaHeaders = (withRetryAfter: boolean) => ({
		'x-quota-limit': '5000',
		'x-quota-used': '5000',
		'x-quota-remaining': '0',
		'x-quota-reset': '1767225600', // 2026-01-01T00:00:00Z
		'ratelimit-limit': '60',
		'ratelimit-remaining': '59',
		'ratelimit-reset': '60',
		...(withRetryAfter ? { 'retry-after': '2592000' } : {}),
	});

	it.each([true, false])(
		'fails at once without retrying (Retry-After sent: %s), saying when the quota resets',
		async (withRetryAfter) => {
			const { nyne, clock, run } = setup(() =>
				nyneError(429, 'monthly_limit_exceeded', quotaHeaders(withRetryAfter)),
			);
			const outcomes = await run([
				leads('first search text', {}),
				leads('second search text', {}),
				leads('third search text', {}),
			]);
			const errors = failures(outcomes);
			expect(errors).toHaveLength(3);
			expect(
				errors.every(
					(error) => error.reason === 'quota' && error.errorCode === 'monthly_limit_exceeded',
				),
			).toBe(true);
			expect(jobErrorText(errors[0]).message).toContain('monthly quota');
			expect(jobErrorText(errors[0]).message).toContain('2026-01-01T00:00:00Z');
			expect(jobErrorText(errors[0]).message).toContain('5000 of 5000');
			expect(jobErrorText(errors[0]).message).not.toContain('per-minute');
			// Never retried; items not sent yet when the answer came are failed without asking again.
			expect(nyne.count('POST')).toBeLessThanOrEqual(3);
			expect(clock.now).toBe(0);
		},
	);

	it('does not block the shared budget: the next execution asks again at once and works if the plan was upgraded', async () => {
		let quotaUsedUp = true;
		const handler = (request: ApiRequest): ScriptedAnswer => {
			if (quotaUsedUp) return nyneError(429, 'monthly_limit_exceeded', quotaHeaders(true));
			return request.method === 'POST'
				? accepted('after-upgrade')
				: status('after-upgrade', 'completed');
		};
		const first = setup(handler, { firstPollDelayMs: 1000 });
		const [before] = await first.run([leads('founders raising a seed round', {})]);
		expect(before.ok).toBe(false);
		quotaUsedUp = false;
		const second = setup(
			handler,
			{ firstPollDelayMs: 1000 },
			{ clock: first.clock, pacer: first.pacer },
		);
		const [after] = await second.run([leads('founders raising a seed round', {})]);
		expect(after.ok).toBe(true);
		expect(second.nyne.calls[0].at).toBe(0);
		expect(first.clock.now).toBe(1000);
	});
});

describe('timeouts that mean what they say', () => {
	it('checks once more at the deadline: a job finished at 3.5 s is delivered with Poll Interval 3 s and Timeout 7 s', async () => {
		const { nyne, run } = setup((request, _index, clock) =>
			request.method === 'POST'
				? accepted('t1')
				: clock.now >= 3500
					? status('t1', 'completed')
					: status('t1', 'searching'),
		);
		const [outcome] = await run([
			leads('founders raising a seed round', { firstPollDelayMs: 3000, timeoutMs: 7000 }),
		]);
		expect(outcome.ok).toBe(true);
		expect(nyne.calls.map((call) => [call.method, call.at])).toEqual([
			['POST', 0],
			['GET', 3000],
			['GET', 7000],
		]);
	});

	it('polls at the deadline when the Timeout is shorter than the Poll Interval', async () => {
		const { nyne, run } = setup((request) =>
			request.method === 'POST' ? accepted('t2') : status('t2', 'searching'),
		);
		const [outcome] = await run([
			leads('founders raising a seed round', { firstPollDelayMs: 3000, timeoutMs: 2000 }),
		]);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error).toMatchObject({ reason: 'deadline', requestId: 't2' });
		expect(nyne.calls.map((call) => [call.method, call.at])).toEqual([
			['POST', 0],
			['GET', 2000],
		]);
	});

	it('treats completed: true as finished whatever the status text says', async () => {
		const { nyne, run } = setup((request) =>
			request.method === 'POST'
				? accepted('t3')
				: status('t3', 'done', { completed: true, result: { core_profile: {} } }),
		);
		const [outcome] = await run([
			leads('founders raising a seed round', { firstPollDelayMs: 1000 }),
		]);
		expect(outcome).toEqual({
			ok: true,
			data: { request_id: 't3', status: 'done', completed: true, result: { core_profile: {} } },
		});
		expect(nyne.count('GET')).toBe(1);
	});

	it('treats completed: false with an error as failed, and an unknown status as still running', async () => {
		const failed = setup((request) =>
			request.method === 'POST'
				? accepted('t4')
				: status('t4', 'errored', { completed: false, error: 'profile is private' }),
		);
		const [failedOutcome] = await failed.run([
			leads('founders raising a seed round', { firstPollDelayMs: 1000 }),
		]);
		expect(failedOutcome.ok).toBe(false);
		if (!failedOutcome.ok) {
			expect(failedOutcome.error).toMatchObject({ reason: 'jobFailed', requestId: 't4' });
			expect(jobErrorText(failedOutcome.error).message).toContain('profile is private');
		}

		const unknown = setup((request) =>
			request.method === 'POST' ? accepted('t5') : status('t5', 'enriching'),
		);
		const [unknownOutcome] = await unknown.run([
			leads('founders raising a seed round', { firstPollDelayMs: 1000, timeoutMs: 10_000 }),
		]);
		expect(unknownOutcome.ok).toBe(false);
		if (!unknownOutcome.ok)
			expect(unknownOutcome.error).toMatchObject({ reason: 'deadline', requestId: 't5' });
		expect(unknown.nyne.count('GET')).toBeGreaterThan(2);
		expect(unknown.clock.now).toBe(10_000);
	});
});

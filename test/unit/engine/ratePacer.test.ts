/**
 * RatePacer on its own, on virtual time: who gets a slot when, what the rate-limit headers and 429s do to
 * the budget, and which requests are refused before anything is sent. The engine tests reach the pacer
 * only through jobs; these pin its own contract.
 */
import { MAX_IN_FLIGHT, MAX_TIMER_MS, RESET_MARGIN_MS } from '../../../nodes/Nyne/engine/limits';
import {
	PacerRefusal,
	RatePacer,
	type Slot,
	type SlotPriority,
} from '../../../nodes/Nyne/engine/ratePacer';
import { DOCUMENTED_RATE_LIMITS } from '../../../nodes/shared/nyneApi';
import { VirtualClock } from '../../support/virtualTime';

const { perMinute, perHour } = DOCUMENTED_RATE_LIMITS;

function setup(options: { maxInFlight?: number; start?: number } = {}) {
	const clock = new VirtualClock();
	clock.now = options.start ?? 0;
	const sleeps: number[] = [];
	const sleep = async (ms: number, signal?: AbortSignal) => {
		sleeps.push(ms);
		await clock.sleep(ms, signal);
	};
	const pacer = new RatePacer({ sleep, now: clock.clock, maxInFlight: options.maxInFlight });
	return { clock, pacer, sleeps };
}

/** Lets every pending promise callback run (no virtual time passes). */
const settle = async () => await new Promise((resolve) => setImmediate(resolve));

/**
 * The value of a promise that must settle without any virtual time passing. Fails the test at once
 * (rather than hanging it) when it is still waiting.
 */
async function immediately<T>(promise: Promise<T>): Promise<T> {
	let done = false;
	promise.then(
		() => (done = true),
		() => (done = true),
	);
	await settle();
	if (!done) throw new Error('still waiting, expected it to settle at once');
	return await promise;
}

/** What became of a request: the moment it was granted, or the refusal. */
type Outcome = { granted: number; slot: Slot } | { refused: unknown; at: number };

function request(
	clock: VirtualClock,
	pacer: RatePacer,
	priority?: SlotPriority,
	signal?: AbortSignal,
): Promise<Outcome> {
	return pacer.acquire(signal, priority).then(
		(slot) => ({ granted: clock.now, slot }),
		(refused: unknown) => ({ refused, at: clock.now }),
	);
}

function grantedAt(outcome: Outcome): number {
	if (!('granted' in outcome)) throw new Error(`refused: ${String(outcome.refused)}`);
	return outcome.granted;
}

function refusalOf(outcome: Outcome): PacerRefusal {
	if (!('refused' in outcome)) throw new Error(`granted at ${outcome.granted}`);
	expect(outcome.refused).toBeInstanceOf(PacerRefusal);
	return outcome.refused as PacerRefusal;
}

/** Opens a known window: one request answered with these rate-limit headers, at the current time. */
async function answerFirst(pacer: RatePacer, headers: Record<string, string>, statusCode = 200) {
	const slot = await immediately(pacer.acquire(undefined, { kind: 'submit' }));
	slot.release({ statusCode, headers });
}

const rateHeaders = (limit: number, remaining: number, resetSeconds: number) => ({
	'ratelimit-limit': String(limit),
	'ratelimit-remaining': String(remaining),
	'ratelimit-reset': String(resetSeconds),
});

/** Queues `n` polls; each slot is pushed to `granted` as it is granted. */
const polls = (pacer: RatePacer, n: number, granted: Slot[]) =>
	Array.from({ length: n }, () =>
		pacer.acquire(undefined, { kind: 'poll' }).then((slot) => granted.push(slot)),
	);

describe('priority', () => {
	it('grants submits before polls, polls oldest order first, ties in arrival order', async () => {
		const { pacer } = setup({ maxInFlight: 1 });
		const held = await immediately(pacer.acquire(undefined, { kind: 'poll', order: 0 }));
		const granted: string[] = [];
		const queue = (name: string, priority: SlotPriority) =>
			pacer.acquire(undefined, priority).then((slot) => {
				granted.push(name);
				slot.release();
			});
		const all = Promise.all([
			queue('poll order 5', { kind: 'poll', order: 5 }),
			queue('poll order 1', { kind: 'poll', order: 1 }),
			queue('submit a', { kind: 'submit' }),
			queue('poll order 3 (first)', { kind: 'poll', order: 3 }),
			queue('submit b', { kind: 'submit', order: 0 }),
			queue('poll order 3 (second)', { kind: 'poll', order: 3 }),
		]);
		await settle();
		expect(granted).toEqual([]); // the only slot is held
		held.release();
		await immediately(all);
		expect(granted).toEqual([
			'submit a',
			'submit b',
			'poll order 1',
			'poll order 3 (first)',
			'poll order 3 (second)',
			'poll order 5',
		]);
	});
});

describe('rate windows from the headers', () => {
	it.each([
		['RateLimit-* (reset in seconds)', (): Record<string, string> => rateHeaders(5, 4, 10)],
		[
			'X-RateLimit-* (reset as epoch seconds)',
			(now: number): Record<string, string> => ({
				'x-ratelimit-limit': '5',
				'x-ratelimit-remaining': '4',
				'x-ratelimit-reset': String(now / 1000 + 10),
			}),
		],
	])(
		'%s: spends what is left of the window at once, then waits for its reset',
		async (_name, headersAt) => {
			const start = 1_700_000_000_000;
			const { clock, pacer } = setup({ start });
			await answerFirst(pacer, headersAt(start));
			const resetsAt = start + 10_000 + RESET_MARGIN_MS;

			const requests = Array.from({ length: 6 }, () =>
				request(clock, pacer, { kind: 'poll' }).then((outcome) => {
					if ('slot' in outcome) outcome.slot.release();
					return outcome;
				}),
			);
			await settle();
			// The 4 left go at once; the window is then spent until its reset.
			expect(pacer.nextFreeAt()).toBe(resetsAt);
			const outcomes = await clock.run(Promise.all(requests));
			expect(outcomes.map(grantedAt)).toEqual([start, start, start, start, resetsAt, resetsAt]);
		},
	);

	it('an answer saying the window is spent holds every request until the reset', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(10, 0, 30));
		const resetsAt = 30_000 + RESET_MARGIN_MS;
		expect(pacer.nextFreeAt()).toBe(resetsAt);
		const outcome = await clock.run(request(clock, pacer, { kind: 'submit' }));
		expect(grantedAt(outcome)).toBe(resetsAt);
	});
});

describe('after a 429', () => {
	it('holds every waiter until Retry-After has passed, also one arriving during the wait', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, { 'retry-after': '7' }, 429);
		const freeAt = 7000 + RESET_MARGIN_MS;
		expect(pacer.nextFreeAt()).toBe(freeAt);
		expect(pacer.availableUntil(freeAt - 1)).toBe(0);

		const outcomes = await clock.run(
			Promise.all([
				request(clock, pacer, { kind: 'submit' }),
				request(clock, pacer, { kind: 'poll', order: 1 }),
				clock.sleep(1000).then(async () => {
					expect(pacer.nextFreeAt()).toBe(freeAt);
					return await request(clock, pacer, { kind: 'submit' });
				}),
			]),
		);
		expect(outcomes.map(grantedAt)).toEqual([freeAt, freeAt, freeAt]);
		expect(pacer.nextFreeAt()).toBe(freeAt);
	});

	it('refuses at once, with the reset time, a waiter whose deadline comes before it', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, { 'retry-after': '7' }, 429);
		const freeAt = 7000 + RESET_MARGIN_MS;

		const early = request(clock, pacer, { kind: 'submit', deadline: freeAt - 1 });
		// A request at its deadline still goes.
		const onTime = request(clock, pacer, { kind: 'poll', deadline: freeAt });
		const refusal = refusalOf(await immediately(early));
		expect(refusal.reason).toBe('rateLimited');
		expect(refusal.resetsAt).toBe(freeAt);
		expect(clock.now).toBe(0);

		expect(grantedAt(await clock.run(onTime))).toBe(freeAt);
	});

	it('refuses a waiter whose deadline comes before an exhausted window resets', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(1000, 0, 3600));
		const resetsAt = 3_600_000 + RESET_MARGIN_MS;
		const refusal = refusalOf(
			await immediately(request(clock, pacer, { kind: 'poll', deadline: 20_000 })),
		);
		expect(refusal.reason).toBe('rateLimited');
		expect(refusal.resetsAt).toBe(resetsAt);
		expect(clock.now).toBe(0);
	});

	it('keeps no timer once every waiter has been refused (an hour-long wake-up kept the process alive)', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(1000, 0, 3600));
		const refused = await immediately(request(clock, pacer, { kind: 'submit', deadline: 20_000 }));
		expect(refusalOf(refused).reason).toBe('rateLimited');
		expect(clock.pendingTimers).toBe(0);

		// A waiter that can wait for the reset still gets its wake-up.
		const patient = request(clock, pacer, { kind: 'submit', deadline: 4_000_000 });
		await settle();
		expect(clock.pendingTimers).toBe(1);
		expect(grantedAt(await clock.run(patient))).toBe(3_600_000 + RESET_MARGIN_MS);
	});

	it('a monthly-quota 429 does not hold the budget back; a rate-limit 429 does', async () => {
		const headers = { 'retry-after': '86400', ...rateHeaders(60, 0, 50) };
		const quota = setup();
		const slot = await immediately(quota.pacer.acquire(undefined, { kind: 'submit' }));
		slot.release({ statusCode: 429, headers, monthlyQuota: true });
		expect(quota.pacer.nextFreeAt()).toBe(0);
		expect(quota.pacer.availableUntil(60_000)).toBeGreaterThan(0);
		const next = await immediately(
			request(quota.clock, quota.pacer, { kind: 'submit', deadline: 1000 }),
		);
		expect(grantedAt(next)).toBe(0);

		const rate = setup();
		await answerFirst(rate.pacer, headers, 429);
		expect(rate.pacer.nextFreeAt()).toBe(86_400_000 + RESET_MARGIN_MS);
		const refused = await immediately(
			request(rate.clock, rate.pacer, { kind: 'submit', deadline: 1000 }),
		);
		expect(refusalOf(refused).reason).toBe('rateLimited');
	});

	it('never asks for a timer longer than MAX_TIMER_MS, even for a 30-day Retry-After', async () => {
		const { clock, pacer, sleeps } = setup();
		const thirtyDays = 30 * 24 * 3600;
		await answerFirst(pacer, { 'retry-after': String(thirtyDays) }, 429);
		const freeAt = thirtyDays * 1000 + RESET_MARGIN_MS;
		expect(freeAt).toBeGreaterThan(MAX_TIMER_MS);
		expect(pacer.nextFreeAt()).toBe(freeAt);

		const outcome = await clock.run(request(clock, pacer, { kind: 'submit' }));
		expect(grantedAt(outcome)).toBe(freeAt);
		expect(sleeps.length).toBeGreaterThan(0);
		expect(Math.max(...sleeps)).toBeLessThanOrEqual(MAX_TIMER_MS);
		expect(sleeps.every((ms) => ms > 0)).toBe(true); // no spinning on zero-length timers
	});
});

describe('availableUntil', () => {
	it('before any header: the documented per-minute limit, capped by the hourly one', async () => {
		const { pacer } = setup();
		expect(pacer.availableUntil(perMinute.windowMs)).toBe(perMinute.limit);
		// A partial minute still counts as the window the next request opens.
		expect(pacer.availableUntil(perMinute.windowMs / 2)).toBe(perMinute.limit);
		expect(pacer.availableUntil(5 * perMinute.windowMs)).toBe(5 * perMinute.limit);
		// 59 minutes of 60 per minute would be 3540: the hour allows 1000.
		expect(pacer.availableUntil(59 * perMinute.windowMs)).toBe(perHour.limit);

		// Three requests sent, answered without rate-limit headers, one of them still unanswered.
		const first = await immediately(pacer.acquire(undefined, { kind: 'poll' }));
		first.release({ statusCode: 200, headers: {} });
		const slots = await immediately(
			Promise.all([0, 1].map(async () => await pacer.acquire(undefined, { kind: 'poll' }))),
		);
		slots[0].release({ statusCode: 200, headers: {} });
		expect(pacer.availableUntil(perMinute.windowMs)).toBe(perMinute.limit - 1);
		expect(pacer.availableUntil(59 * perMinute.windowMs)).toBe(perHour.limit - 3);
		expect(pacer.availableUntil(-1)).toBe(0);
	});

	it('from the headers: what is left of the window plus a full window per reset before the deadline', async () => {
		const { pacer } = setup();
		// The answer to the window's first request: the window opened when it was sent, at 0.
		await answerFirst(pacer, rateHeaders(10, 9, 10));
		const windowMs = 10_000 + RESET_MARGIN_MS;
		expect(pacer.availableUntil(5000)).toBe(9);
		expect(pacer.availableUntil(windowMs)).toBe(9);
		expect(pacer.availableUntil(2 * windowMs - 1)).toBe(9);
		expect(pacer.availableUntil(2 * windowMs)).toBe(19);
		expect(pacer.availableUntil(3 * windowMs)).toBe(29);
		// Still capped by the documented hour, less the one request sent.
		expect(pacer.availableUntil(3_000_000)).toBe(perHour.limit - 1);
	});
});

describe('admission of submits', () => {
	it("refuses with 'budget' a submit whose reserve the budget until its deadline cannot hold", async () => {
		const { clock, pacer } = setup();
		// Alone on the key (limit − remaining = this one request): one request left until the reset.
		await answerFirst(pacer, rateHeaders(2, 1, 10));
		expect(pacer.availableUntil(5000)).toBe(1);

		const refusal = refusalOf(
			await immediately(request(clock, pacer, { kind: 'submit', deadline: 5000, reserve: 1 })),
		);
		expect(refusal.reason).toBe('budget');
		expect(refusal.available).toBe(1);
		expect(refusal.reserved).toBe(0);
		expect(clock.now).toBe(0);
		// Nothing was spent on it: the same submit without follow-ups still fits.
		expect(pacer.availableUntil(5000)).toBe(1);
		const alone = await immediately(request(clock, pacer, { kind: 'submit', deadline: 5000 }));
		expect(grantedAt(alone)).toBe(0);
		expect(pacer.availableUntil(5000)).toBe(0);
	});

	it("refuses with 'tooLate' a submit whose expected run time exceeds the time left", async () => {
		const { clock, pacer } = setup();
		const late = await immediately(
			request(clock, pacer, {
				kind: 'submit',
				deadline: 5000,
				runMs: () => 5001,
			}),
		);
		expect(refusalOf(late).reason).toBe('tooLate');
		const inTime = await immediately(
			request(clock, pacer, {
				kind: 'submit',
				deadline: 5000,
				runMs: () => 5000,
			}),
		);
		expect(grantedAt(inTime)).toBe(0);
	});

	it('asks runMs again when the submit could go, and refuses it if the time left no longer fits', async () => {
		const { clock, pacer } = setup({ maxInFlight: 1 });
		const held = await immediately(pacer.acquire(undefined, { kind: 'poll' }));
		let estimate = 1000;
		const waiting = request(clock, pacer, {
			kind: 'submit',
			deadline: 5000,
			runMs: () => estimate,
		});
		const [outcome] = await clock.run(
			Promise.all([
				waiting,
				clock.sleep(3000).then(() => {
					estimate = 2500; // 3000 + 2500 > 5000
					held.release();
				}),
			]),
		);
		expect(refusalOf(outcome).reason).toBe('tooLate');
		expect(outcome).toMatchObject({ at: 3000 });
	});

	it('reservations hold budget until spent or released; a waiting submit does not hold back polls', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(10, 9, 10));
		const deadline = 5000;
		const submit = (reserve: number) =>
			request(clock, pacer, { kind: 'submit', deadline, reserve });

		const a = await immediately(submit(2));
		const b = await immediately(submit(2));
		expect([grantedAt(a), grantedAt(b)]).toEqual([0, 0]);
		expect(pacer.reservedRequests()).toBe(4);
		expect(pacer.availableUntil(deadline)).toBe(7);

		// 7 left, 4 reserved: a submit reserving 4 more (5 in all) must wait, but is not refused.
		let c: Outcome | undefined;
		void submit(4).then((outcome) => (c = outcome));
		await settle();
		expect(c).toBeUndefined();

		// A poll behind it goes at once.
		const poll = await immediately(request(clock, pacer, { kind: 'poll', deadline }));
		expect(grantedAt(poll)).toBe(0);
		expect(pacer.availableUntil(deadline)).toBe(6);
		// Their answers are in: from here on only the reservations hold the budget.
		for (const outcome of [a, b, poll]) if ('slot' in outcome) outcome.slot.release();

		const reservationOf = (outcome: Outcome) =>
			'slot' in outcome ? outcome.slot.reservation : undefined;
		expect(reservationOf(poll)).toBeUndefined();
		reservationOf(b)!.spendOne();
		expect(pacer.reservedRequests()).toBe(3);
		reservationOf(b)!.spendOne(); // one always stays held until the job ends
		expect(pacer.reservedRequests()).toBe(3);
		await settle();
		expect(c).toBeUndefined(); // 6 − 3 < 5

		reservationOf(a)!.release();
		await settle();
		expect(c && grantedAt(c)).toBe(0); // 6 − 1 ≥ 5
		expect(pacer.reservedRequests()).toBe(1 + 4);
		reservationOf(a)!.release(); // a second release frees nothing more
		expect(pacer.reservedRequests()).toBe(5);
		reservationOf(b)!.release();
		reservationOf(c!)!.release();
		expect(pacer.reservedRequests()).toBe(0);
	});
});

describe('a window nobody has described yet: one request asks first', () => {
	/** Queues `n` polls: only the first may go; once it is answered with `headers`, all the others go at once. */
	async function firstAsksAlone(pacer: RatePacer, n: number, headers: Record<string, string>) {
		const granted: Slot[] = [];
		const all = polls(pacer, n, granted);
		await settle();
		expect(granted).toHaveLength(1);
		granted[0].release({ statusCode: 200, headers });
		await settle();
		expect(granted).toHaveLength(n);
		for (const slot of granted.slice(1)) slot.release();
		await immediately(Promise.all(all));
	}

	it('before the first answer one request goes; its headers let the rest go together', async () => {
		const { pacer } = setup();
		await firstAsksAlone(pacer, 5, rateHeaders(30, 29, 3));
	});

	it('when the first answer says another process spent the window, the others wait for its reset instead of collecting 429s', async () => {
		const { clock, pacer } = setup();
		const granted: Slot[] = [];
		const all = polls(pacer, 5, granted);
		await settle();
		granted[0].release({
			statusCode: 429,
			headers: { ...rateHeaders(30, 0, 3), 'retry-after': '3' },
		});
		await settle();
		expect(granted).toHaveLength(1);
		// The next goes after the Retry-After (asking first again), not into the spent window.
		await clock.run(
			new Promise<void>((resolve) => {
				const check = () => (granted.length > 1 ? resolve() : setImmediate(check));
				check();
			}),
		);
		expect(clock.now).toBeGreaterThanOrEqual(3000);
		expect(granted).toHaveLength(2);
		granted[1].release({ statusCode: 200, headers: rateHeaders(30, 29, 3) });
		await settle();
		expect(granted).toHaveLength(5);
		for (const slot of granted.slice(2)) slot.release();
		await immediately(Promise.all(all));
	});

	it('asks first again when the known window is over', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(30, 29, 3));
		clock.now = 3000 + RESET_MARGIN_MS + 1;
		await firstAsksAlone(pacer, 4, rateHeaders(30, 29, 3));
	});

	it('an answer without rate-limit headers ends the caution (a Nyne that sends none is not slowed down)', async () => {
		const { pacer } = setup();
		await firstAsksAlone(pacer, 4, {});
	});
});

describe("a window's last requests", () => {
	it('alone: of 6 requests left, 2 go at once, not 6 (another process starting now would meet a burst of 429s), yet all 6 go before the reset as answers come back', async () => {
		const { clock, pacer } = setup();
		// A limit of 7, one request counted (ours): nobody else on the key.
		await answerFirst(pacer, rateHeaders(7, 6, 3));
		const granted: Slot[] = [];
		const all = Promise.all(polls(pacer, 7, granted));
		await settle();
		expect(granted).toHaveLength(2);
		// The server counts each request as it is answered, oldest first.
		let answered = 0;
		while (answered < granted.length) {
			granted[answered].release({ statusCode: 200, headers: rateHeaders(7, 5 - answered, 3) });
			answered++;
			await settle();
		}
		expect(clock.now).toBe(0);
		expect(answered).toBe(6);
		// The seventh waits for the window's reset.
		await clock.run(all);
		expect(clock.now).toBeGreaterThanOrEqual(3000);
	});

	it('alone, the last request of a window goes', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(2, 1, 3));
		expect(grantedAt(await immediately(request(clock, pacer, { kind: 'poll' })))).toBe(0);
	});

	it('with another process proven on the window, its last request is left to others (both would send it, one would meet a 429): the request waits for the reset', async () => {
		const { clock, pacer } = setup();
		// One request of ours, 29 counted: others spend this window too.
		await answerFirst(pacer, rateHeaders(30, 1, 3));
		const outcome = await clock.run(request(clock, pacer, { kind: 'poll' }));
		expect(grantedAt(outcome)).toBeGreaterThanOrEqual(3000);
	});

	it('with another process proven on the window, two left: one goes', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, rateHeaders(30, 2, 3));
		const granted: Slot[] = [];
		void polls(pacer, 2, granted);
		await settle();
		expect(granted).toHaveLength(1);
		expect(clock.now).toBe(0);
	});
});

describe('concurrency and cancellation', () => {
	it('keeps at most MAX_IN_FLIGHT slots out at once', async () => {
		const { pacer } = setup();
		// The window is known (so no request has to ask first).
		await answerFirst(pacer, rateHeaders(100, 99, 60));
		const granted: Slot[] = [];
		const all = Array.from({ length: MAX_IN_FLIGHT + 2 }, () =>
			pacer.acquire(undefined, { kind: 'poll' }).then((slot) => granted.push(slot)),
		);
		await settle();
		expect(granted).toHaveLength(MAX_IN_FLIGHT);

		granted[0].release();
		granted[0].release(); // releasing twice frees one slot only
		await settle();
		expect(granted).toHaveLength(MAX_IN_FLIGHT + 1);

		granted[1].release();
		await immediately(Promise.all(all));
		expect(granted).toHaveLength(MAX_IN_FLIGHT + 2);
	});

	it('an aborted waiter leaves the queue and its turn goes to the next', async () => {
		const { clock, pacer } = setup({ maxInFlight: 1 });
		const held = await immediately(pacer.acquire(undefined, { kind: 'poll' }));
		const controller = new AbortController();
		const first = request(clock, pacer, { kind: 'submit' }, controller.signal);
		const second = request(clock, pacer, { kind: 'poll' });

		const reason = new Error('stopped by the user');
		controller.abort(reason);
		expect(await immediately(first)).toEqual({ refused: reason, at: 0 });

		held.release();
		const next = await immediately(second);
		expect(grantedAt(next)).toBe(0);
		// The aborted waiter holds no slot: with the second's released, a third goes at once.
		if ('slot' in next) next.slot.release();
		expect(grantedAt(await immediately(request(clock, pacer, { kind: 'poll' })))).toBe(0);
	});

	it('an abort during a Retry-After wait ends the wait at once; a signal aborted before asking is refused', async () => {
		const { clock, pacer } = setup();
		await answerFirst(pacer, { 'retry-after': '60' }, 429);
		const controller = new AbortController();
		const waiting = request(clock, pacer, { kind: 'submit' }, controller.signal);
		const outcome = await clock.run(
			Promise.all([waiting, clock.sleep(1000).then(() => controller.abort(new Error('stop')))]),
		);
		expect(outcome[0]).toEqual({ refused: new Error('stop'), at: 1000 });

		const aborted = AbortSignal.abort(new Error('already'));
		await expect(pacer.acquire(aborted, { kind: 'poll' })).rejects.toThrow('already');
	});
});

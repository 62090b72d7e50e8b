/**
 * Several pacers on one Nyne key, as in n8n's queue mode: every worker process has its own RatePacer, and
 * all of them spend the same per-key window. Each sees the others only through the rate-limit headers of its
 * own responses. On virtual time, against a fixed-window rate limiter like Nyne's (and the simulator's).
 */
import { JobEngine } from '../../../nodes/Nyne/engine/engine';
import { DEFAULT_POLLING } from '../../../nodes/Nyne/engine/limits';
import { RatePacer } from '../../../nodes/Nyne/engine/ratePacer';
import type { NetworkError } from '../../../nodes/Nyne/engine/errors';
import type { ApiRequest, ApiResponse, JobSpec } from '../../../nodes/Nyne/engine/types';
import { VirtualClock } from '../../support/virtualTime';
import { accepted, nyneError, ScriptedNyne, status, type ScriptedAnswer } from './scriptedNyne';

/** Fixed windows of `limit` requests per `windowMs`, opened by the first request that finds none open. */
class SharedKeyNyne {
	private windowEndsAt = -1;

	private used = 0;

	/** requestId → when the job finishes. */
	private readonly jobs = new Map<string, number>();

	private submitted = 0;

	readonly rejectedByWorker = new Map<string, number>();

	readonly counted: number[] = [];

	/** When each window opened. */
	readonly windowsOpened: number[] = [];

	readonly submittedBodies = new Set<string>();

	duplicateSubmits = 0;

	readonly nyne: ScriptedNyne;

	constructor(
		private readonly clock: VirtualClock,
		private readonly limit: number,
		private readonly windowMs: number,
		/** How long job n runs. */
		private readonly jobMs: (n: number) => number,
	) {
		this.nyne = new ScriptedNyne(clock, (request) => this.answer(request));
	}

	/**
	 * A worker's `send`: the request reaches Nyne after `latency()` ms, the answer comes back after another
	 * `latency()`. A varying latency lets requests in flight overtake each other, as on a real network.
	 */
	sendFor(
		worker: string,
		latency: () => number = () => 20,
	): (request: ApiRequest) => Promise<ApiResponse | NetworkError> {
		return async (request) => {
			await this.clock.sleep(latency());
			const response = await this.nyne.send(request);
			if (!(response instanceof Error) && response.statusCode === 429) {
				this.rejectedByWorker.set(worker, (this.rejectedByWorker.get(worker) ?? 0) + 1);
			}
			await this.clock.sleep(latency());
			return response;
		};
	}

	get requests(): number {
		return this.nyne.calls.length;
	}

	get rejected(): number {
		return [...this.rejectedByWorker.values()].reduce((sum, n) => sum + n, 0);
	}

	private answer(request: ApiRequest): ScriptedAnswer {
		const now = this.clock.now;
		if (now >= this.windowEndsAt) {
			this.windowEndsAt = now + this.windowMs;
			this.windowsOpened.push(now);
			this.used = 0;
		}
		const resetIn = String(Math.max(1, Math.ceil((this.windowEndsAt - now) / 1000)));
		if (this.used >= this.limit) {
			return nyneError(429, 'rate_limit_exceeded', {
				'retry-after': resetIn,
				'ratelimit-limit': String(this.limit),
				'ratelimit-remaining': '0',
				'ratelimit-reset': resetIn,
			});
		}
		this.used++;
		this.counted.push(now);
		const headers = {
			'ratelimit-limit': String(this.limit),
			'ratelimit-remaining': String(this.limit - this.used),
			'ratelimit-reset': resetIn,
		};
		if (request.method === 'POST') {
			const body = JSON.stringify(request.body);
			if (this.submittedBodies.has(body)) this.duplicateSubmits++;
			this.submittedBodies.add(body);
			const id = `job-${this.submitted}`;
			this.jobs.set(id, now + this.jobMs(this.submitted++));
			return { ...accepted(id), headers };
		}
		const id = String(request.query?.request_id);
		const done = (this.jobs.get(id) ?? Infinity) <= now;
		return {
			...status(
				id,
				done ? 'completed' : 'processing',
				done ? { result: { core_profile: { archetypes: ['x'] } } } : {},
			),
			headers,
		};
	}
}

/** `min`–`max` ms each way (by default 20–420), from a fixed seed: the same run every time. */
function jitteredLatency(seed: number, min = 20, max = 420): () => number {
	let state = seed;
	return () => {
		state = (state * 16807) % 2147483647;
		return min + (state / 2147483647) * (max - min);
	};
}

function worker(clock: VirtualClock, nyne: SharedKeyNyne, name: string, latency?: () => number) {
	const pacer = new RatePacer({ sleep: clock.sleep, now: clock.clock });
	return new JobEngine({
		send: nyne.sendFor(name, latency),
		pacer,
		sleep: clock.sleep,
		now: clock.clock,
		random: () => 0.5,
		polling: DEFAULT_POLLING,
	});
}

const interests = (worker: string, n: number): JobSpec => ({
	action: 'submit',
	kind: 'interests',
	body: { email: `person-${worker}-${n}@example.com` },
	wait: {},
});

/** Job n runs 2–6 s, spread deterministically (Get Interests' documented latency). */
const jobMs = (n: number) => 2000 + ((n * 7919) % 4001);

async function runWorkers(
	jobsPerWorker: number[],
	limit = 30,
	windowMs = 3000,
	latency?: (workerIndex: number) => () => number,
) {
	const clock = new VirtualClock();
	const nyne = new SharedKeyNyne(clock, limit, windowMs, jobMs);
	const doneAt: number[] = [];
	const all = Promise.all(
		jobsPerWorker.map(async (count, index) => {
			const name = `worker-${index + 1}`;
			const outcomes = await worker(clock, nyne, name, latency?.(index)).runAll(
				Array.from({ length: count }, (_, n) => interests(name, n)),
			);
			doneAt[index] = clock.now;
			return outcomes;
		}),
	);
	const outcomes = await clock.run(all);
	return { clock, nyne, outcomes, doneAt };
}

describe('RatePacer: one key shared by several n8n processes', () => {
	it('one process alone: every job collected with no 429, the windows spent in full', async () => {
		const { clock, nyne, outcomes } = await runWorkers([130]);
		expect(outcomes[0].every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.rejected).toBe(0);
		expect(nyne.duplicateSubmits).toBe(0);
		expect(nyne.counted.filter((at) => at < 3000)).toHaveLength(30);
		// 130 submits and their polls at 30 per 3 s: about nine windows.
		expect(clock.now).toBeLessThan(27_000);
	});

	it('one process whose requests overtake each other in flight still spends whole windows: 60 jobs at the real 60 per minute take two windows, not three', async () => {
		const { clock, nyne, outcomes } = await runWorkers([60], 60, 60_000, () => jitteredLatency(7));
		expect(outcomes[0].every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.rejected).toBe(0);
		// Every submit in the first window, every poll in the second.
		expect(nyne.counted.filter((at) => at < 60_000)).toHaveLength(60);
		expect(clock.now).toBeLessThan(2 * 60_000 + 10_000);
	});

	it('two processes whose requests overtake each other in flight: under 5% answered 429, every job collected once', async () => {
		const { nyne, outcomes } = await runWorkers([60, 60], 30, 3000, (index) =>
			jitteredLatency(11 + index),
		);
		for (const list of outcomes) expect(list.every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.duplicateSubmits).toBe(0);
		expect(nyne.rejected / nyne.requests).toBeLessThan(0.05);
	});

	it('two processes, 80 and 40 jobs (the queue-mode e2e: one worker runs two executions): under 5% of requests answered 429, every job collected once', async () => {
		const { nyne, outcomes } = await runWorkers([80, 40]);
		for (const list of outcomes) expect(list.every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.duplicateSubmits).toBe(0);
		expect(nyne.submittedBodies.size).toBe(120);
		expect(nyne.rejected / nyne.requests).toBeLessThan(0.05);
	});

	it('two processes with the same load: under 5% answered 429, both finish', async () => {
		const { nyne, outcomes } = await runWorkers([60, 60]);
		for (const list of outcomes) expect(list.every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.rejected / nyne.requests).toBeLessThan(0.05);
		expect(nyne.rejectedByWorker.get('worker-1') ?? 0).toBeLessThanOrEqual(nyne.requests * 0.05);
	});

	/** The queue-mode e2e: one worker runs two executions of 40 jobs in turn, the other one `offsetMs` later. */
	async function queueModeE2e(offsetMs: number, latency: [number, number], seed: number) {
		const clock = new VirtualClock();
		const nyne = new SharedKeyNyne(clock, 30, 3000, jobMs);
		const first = worker(clock, nyne, 'worker-1', jitteredLatency(seed, ...latency));
		const second = worker(clock, nyne, 'worker-2', jitteredLatency(seed + 100, ...latency));
		const jobs = (name: string) => Array.from({ length: 40 }, (_, n) => interests(name, n));
		const outcomes = await clock.run(
			Promise.all([
				first.runAll(jobs('a')).then(async (a) => [...a, ...(await first.runAll(jobs('c')))]),
				clock.sleep(offsetMs).then(async () => await second.runAll(jobs('b'))),
			]),
		);
		return { nyne, outcomes };
	}

	it('the queue-mode e2e on one machine, 13 start offsets (0–2.1 s) × 2 latency ranges (1–5 ms, 2–40 ms) × 3 seeds: every job collected once, under 2% answered 429 in every run', async () => {
		const runs: string[] = [];
		for (const offsetMs of [0, 20, 50, 90, 150, 230, 300, 420, 600, 800, 1100, 1500, 2100]) {
			for (const latency of [
				[1, 5],
				[2, 40],
			] as Array<[number, number]>) {
				for (const seed of [3, 17, 29]) {
					const { nyne, outcomes } = await queueModeE2e(offsetMs, latency, seed);
					for (const list of outcomes) expect(list.every((outcome) => outcome.ok)).toBe(true);
					expect(nyne.submittedBodies.size).toBe(120);
					expect(nyne.duplicateSubmits).toBe(0);
					const run = `${offsetMs} ms later, ${latency.join('–')} ms, seed ${seed}: ${nyne.rejected} of ${nyne.requests}`;
					runs.push(run);
					// A process that finds the window spent by the other learns it from one request, not a burst of
					// 429s; near a window's end neither sends what the other may also send.
					expect([run, nyne.rejected / nyne.requests < 0.02]).toEqual([run, true]);
				}
			}
		}
		expect(runs).toHaveLength(78);
	});

	it('three processes whose requests overtake each other in flight: under 5% answered 429 (each keeps to its share of the whole window, and near its end has only its share of what is left in flight)', async () => {
		const { nyne, outcomes } = await runWorkers([40, 40, 40], 30, 3000, (index) =>
			jitteredLatency(11 + index),
		);
		for (const list of outcomes) expect(list.every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.duplicateSubmits).toBe(0);
		expect(nyne.rejected / nyne.requests).toBeLessThan(0.05);
	});

	it('once the other process is done, the remaining one spends whole windows again', async () => {
		const { nyne, outcomes, doneAt } = await runWorkers([120, 10]);
		for (const list of outcomes) expect(list.every((outcome) => outcome.ok)).toBe(true);
		expect(nyne.rejected / nyne.requests).toBeLessThan(0.05);
		// The first window opened after the other stopped still starts with the share the last one taught;
		// the next is spent in full.
		const after = nyne.windowsOpened.filter((at) => at > doneAt[1]);
		expect(after.length).toBeGreaterThanOrEqual(3);
		const [, second, third] = after;
		expect(nyne.counted.filter((at) => at >= second && at < third)).toHaveLength(30);
	});
});

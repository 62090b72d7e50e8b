/**
 * Issue 9 through the whole node (n8n-core's engine, real HTTP to the simulator): batches bigger than the
 * rate budget, the monthly quota, an exhausted hourly window, the last check at the deadline, a finished
 * job whose status text is not `completed`, and Submit Only's own deadline. Outcomes are asserted, not
 * times (the engine's timing is asserted on virtual time in test/unit/jobs/deadlines.test.ts).
 */
import { runNode } from '../harness';
import { startSimulator, type NyneSimulator } from '../simulator';

const SECRET = 'budget-secret';
const credentials = (sim: NyneSimulator, key: string) => ({
	apiKey: key,
	apiSecret: SECRET,
	baseUrl: sim.url,
});

interface ErrorItem {
	error: string;
	details: {
		description?: string;
		error_code?: string;
		http_code?: number;
		request_id?: string;
		resets_at?: string;
	};
}
const errorItems = (items: Array<{ json: Record<string, unknown> }>) =>
	items.filter((item) => 'error' in item.json).map((item) => item.json as unknown as ErrorItem);

describe('a batch bigger than the rate budget', () => {
	let sim: NyneSimulator;
	beforeAll(async () => {
		sim = await startSimulator({
			timeScale: 0.01, // jobs take 20–60 ms
			rateWindowScale: 1 / 60, // the "minute" window lasts 1 s
			rateLimit: { perMinute: 10, perHour: 100_000 },
			keys: [{ key: 'over-budget', secret: SECRET }],
		});
	});
	afterAll(async () => {
		await sim.stop();
	});

	it('60 items, 10 requests per second, Timeout 6 s: every job Nyne accepted is delivered, the others say nothing was sent', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'getInterests',
				email: '={{ $json.email }}',
				options: { pollInterval: 0.3, timeout: 6 },
			},
			items: Array.from({ length: 60 }, (_, i) => ({ email: `person${i}@example.com` })),
			credentials: credentials(sim, 'over-budget'),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(60);
		const results = items.filter((item) => !('error' in item.json));
		const notSent = errorItems(items);
		expect(results.length).toBeGreaterThan(0);
		expect(notSent.length).toBeGreaterThan(0);
		// Accepted = delivered: nothing Nyne may charge for is lost.
		const jobs = sim.listJobs().filter((job) => job.key === 'over-budget');
		expect(jobs).toHaveLength(results.length);
		expect(jobs.every((job) => job.collectedAt !== undefined)).toBe(true);
		expect(new Set(results.map((item) => item.json.request_id))).toEqual(
			new Set(jobs.map((job) => job.requestId)),
		);
		for (const item of notSent) {
			expect(item.error).toContain('Not sent to Nyne');
			expect(item.error).toContain('Nothing was sent or charged');
			expect(item.details.description).toContain('Timeout');
			expect(item.details.description).toContain('Submit Only');
			expect(item.details.request_id).toBeUndefined();
		}
		// Every item's error or result is paired with its own input.
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: 60 }, (_, i) => i),
		);
	}, 60_000);
});

describe('monthly quota', () => {
	let sim: NyneSimulator;
	beforeAll(async () => {
		sim = await startSimulator({
			timeScale: 0.01,
			rateWindowScale: 1,
			keys: [
				{ key: 'quota-retry-after', secret: SECRET, monthlyQuota: 0 },
				{
					key: 'quota-no-retry-after',
					secret: SECRET,
					monthlyQuota: 0,
					monthlyQuotaRetryAfter: false,
				},
			],
		});
	});
	afterAll(async () => {
		await sim.stop();
	});

	it.each(['quota-retry-after', 'quota-no-retry-after'])(
		'%s: every item fails at once saying the monthly quota is used up and when it resets; the next run asks again',
		async (key) => {
			sim.resetLog();
			const { items } = await runNode({
				parameters: {
					operation: 'searchLeads',
					searchDescription: '={{ $json.topic }}',
					options: { pollInterval: 0.1 },
				},
				items: [
					{ topic: 'Founders raising a seed round' },
					{ topic: 'CTOs moving to the cloud' },
					{ topic: 'Heads of growth hiring' },
				],
				credentials: credentials(sim, key),
				continueOnFail: true,
			});
			const errors = errorItems(items);
			expect(errors).toHaveLength(3);
			for (const item of errors) {
				expect(item.error).toContain('monthly quota');
				expect(item.error).toMatch(/resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
				expect(item.error).not.toContain('per-minute');
				expect(item.details.error_code).toBe('monthly_limit_exceeded');
				expect(item.details.resets_at).toMatch(/^\d{4}-/);
			}
			// No retries: at most one request per item, none accepted.
			expect(sim.getCounters().submits).toBeLessThanOrEqual(3);
			expect(sim.getCounters().accepted).toBe(0);

			// The plan is upgraded: the next execution on the same key (same n8n process, same budget) works.
			sim.updateKey(key, { monthlyQuota: 1000 });
			const after = await runNode({
				parameters: {
					operation: 'searchLeads',
					searchDescription: 'Founders raising a seed round',
					options: { pollInterval: 0.1, splitResults: false },
				},
				credentials: credentials(sim, key),
			});
			expect(after.error).toBeUndefined();
			expect(after.items[0].json.status).toBe('completed');
		},
		30_000,
	);
});

describe('an exhausted hourly window', () => {
	let sim: NyneSimulator;
	beforeAll(async () => {
		sim = await startSimulator({
			timeScale: 0.01,
			rateWindowScale: 1, // a real hour
			rateLimit: { perMinute: 100, perHour: 3 },
			keys: [{ key: 'hourly', secret: SECRET }],
		});
	});
	afterAll(async () => {
		await sim.stop();
	});

	const searches = (n: number, prefix: string) =>
		Array.from({ length: n }, (_, i) => ({ topic: `${prefix} ${i} hiring engineers` }));
	const searchLeads = {
		operation: 'searchLeads',
		searchDescription: '={{ $json.topic }} [latency=100000]',
		options: { pollInterval: 0.5, timeout: 20 },
	};

	it('3 requests left in the hour, 10 items, Timeout 20 s: only what the hour can also collect is sent; every accepted job ends with its request id, the others say nothing was sent', async () => {
		const { items, error } = await runNode({
			parameters: searchLeads,
			items: searches(10, 'Founders of startup'),
			credentials: credentials(sim, 'hourly'),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const accepted = sim.listJobs().filter((job) => job.key === 'hourly');
		// A submit needs its polls too: with 3 requests in the hour, one job at most.
		expect(accepted).toHaveLength(1);
		const { requestId } = accepted[0];
		// The accepted job (item 0) reaches the output: its results, or an error naming the rate limit — both
		// with its request id.
		const itemIndex = (item: (typeof items)[number]) => (item.pairedItem as { item: number }).item;
		const first = items.filter((item) => itemIndex(item) === 0).map((item) => item.json);
		expect(first.length).toBeGreaterThan(0);
		for (const json of first) {
			if ('error' in json) {
				expect(json.error).toContain('rate limit');
				expect((json as unknown as ErrorItem).details.request_id).toBe(requestId);
			} else expect(json.request_id).toBe(requestId);
		}
		// The other nine: nothing sent.
		const rest = items.filter((item) => itemIndex(item) !== 0);
		expect(rest).toHaveLength(9);
		for (const item of rest) {
			expect(item.json.error).toContain('Nothing was sent or charged');
			expect((item.json as unknown as ErrorItem).details.request_id).toBeUndefined();
		}
	}, 20_000);

	it('the hour already spent, 10 items, Timeout 20 s: the run ends at once, each item naming the rate limit and when it resets, nothing sent', async () => {
		const before = sim.listJobs().length;
		const { items, error } = await runNode({
			parameters: searchLeads,
			items: searches(10, 'Investors in fund'),
			credentials: credentials(sim, 'hourly'),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const errors = errorItems(items);
		expect(errors).toHaveLength(10);
		for (const item of errors) {
			expect(item.error).toContain('rate limit');
			expect(item.error).toMatch(/until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
			expect(item.details.resets_at).toMatch(/^\d{4}-/);
			expect(item.details.request_id).toBeUndefined();
		}
		expect(sim.listJobs()).toHaveLength(before);
	}, 20_000);
});

describe('timeouts that mean what they say', () => {
	let sim: NyneSimulator;
	beforeAll(async () => {
		sim = await startSimulator({
			timeScale: 0.01,
			rateWindowScale: 1,
			rateLimit: { perMinute: 10_000, perHour: 100_000 },
			completedStatusText: 'done',
			keys: [{ key: 'timeouts', secret: SECRET }],
		});
	});
	afterAll(async () => {
		await sim.stop();
	});

	it('checks once more at the deadline: a job finished at 1.3 s is delivered with Poll Interval 1 s and Timeout 2 s', async () => {
		// Polls at 1 s (running) and, instead of 2.5 s, at the 2 s deadline.
		const { items, error } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'Founders raising a seed round [latency=130000] [n=2]',
				options: { pollInterval: 1, timeout: 2 },
			},
			credentials: credentials(sim, 'timeouts'),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(sim.getLog().filter((entry) => entry.op === 'poll').length).toBeGreaterThanOrEqual(2);
	}, 20_000);

	it('delivers a finished job whose status text is "done" (completed: true), without waiting for the timeout', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'getInterests',
				email: 'ada@example.com',
				options: { pollInterval: 0.1, timeout: 600 },
			},
			credentials: credentials(sim, 'timeouts'),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ status: 'done', request_id: expect.any(String) });
	}, 20_000);
});

describe('Submit Only reaches Nyne within its own deadline', () => {
	let sim: NyneSimulator;
	beforeAll(async () => {
		sim = await startSimulator({
			timeScale: 0.01,
			keys: [{ key: 'submit-only', secret: SECRET }],
			faults: { unavailable: true },
		});
	});
	afterAll(async () => {
		await sim.stop();
	});

	it('Submit Timeout 3 s against a Nyne answering 503: retried, then one clear error', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'Founders raising a seed round',
				mode: 'submit',
				options: { submitTimeout: 3 },
			},
			credentials: credentials(sim, 'submit-only'),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const [item] = errorItems(items);
		expect(item.error).toContain('temporarily unavailable');
		expect(item.details.http_code).toBe(503);
		expect(sim.getCounters().submits).toBeGreaterThan(1);
		expect(sim.getCounters().accepted).toBe(0);
	}, 20_000);
});

import { startSimulator, type NyneSimulator } from '../../simulator';
import { FakeClock, poll, submit, VALID } from './helpers';

describe('simulator: monthly quota with and without Retry-After', () => {
	const clock = new FakeClock();
	let sim: NyneSimulator;
	beforeEach(async () => {
		clock.t = Date.UTC(2026, 0, 15, 10, 0, 0);
		sim = await startSimulator({
			now: clock.now,
			keys: [
				{ key: 'with', secret: 's', monthlyQuota: 1 },
				{ key: 'without', secret: 's', monthlyQuota: 1, monthlyQuotaRetryAfter: false },
			],
		});
	});
	afterEach(async () => {
		await sim.stop();
	});

	test.each([
		['with', true],
		['without', false],
	])(
		'key %s: 429 monthly_limit_exceeded, X-Quota-* headers, Retry-After only when configured',
		async (key, retryAfter) => {
			const opts = { key, secret: 's' };
			expect((await submit(sim, 'leads', VALID.leads, opts)).status).toBe(202);
			const over = await submit(sim, 'leads', VALID.leads, opts);
			expect(over.status).toBe(429);
			expect(over.json.error.code).toBe('monthly_limit_exceeded');
			expect(over.headers).toMatchObject({
				'x-quota-limit': '1',
				'x-quota-used': '1',
				'x-quota-remaining': '0',
			});
			expect(Number(over.headers['x-quota-reset'])).toBe(
				Math.ceil((clock.t + 30 * 24 * 3_600_000) / 1000),
			);
			expect('retry-after' in over.headers).toBe(retryAfter);
			if (retryAfter) expect(over.headers['retry-after']).toBe(String(30 * 24 * 3600));
		},
	);
});

describe('simulator: a finished job with another status text', () => {
	let sim: NyneSimulator;
	afterEach(async () => {
		await sim.stop();
	});

	test('completedStatusText "done": GET answers status "done" and completed: true, for every kind', async () => {
		sim = await startSimulator({
			completedStatusText: 'done',
			latencyMs: { interests: [0, 0], interactions: [0, 0], leads: [0, 0] },
		});
		for (const kind of ['interests', 'interactions', 'leads'] as const) {
			const accepted = await submit(sim, kind, VALID[kind]);
			expect(accepted.status).toBe(202);
			const requestId = accepted.json.data.request_id as string;
			await sim.waitForJob(requestId);
			const answer = await poll(sim, kind, requestId);
			expect(answer.json.data).toMatchObject({
				request_id: requestId,
				status: 'done',
				completed: true,
			});
			expect(sim.getJob(requestId)?.status).toBe('completed');
		}
	});

	test('collectedAt records when a GET first returned the final status, and not before', async () => {
		sim = await startSimulator({
			latencyMs: { interests: [0, 0], interactions: [0, 0], leads: [0, 0] },
		});
		const accepted = await submit(sim, 'leads', VALID.leads);
		const requestId = accepted.json.data.request_id as string;
		await sim.waitForJob(requestId);
		expect(sim.getJob(requestId)?.collectedAt).toBeUndefined();
		await poll(sim, 'leads', requestId);
		expect(sim.getJob(requestId)?.collectedAt).toEqual(expect.any(Number));
	});
});

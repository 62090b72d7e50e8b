import { startSimulator, type NyneSimulator } from '../../simulator';
import { FakeClock, poll, submit, VALID } from './helpers';

const RATE_HEADERS = [
	'x-ratelimit-limit',
	'x-ratelimit-remaining',
	'x-ratelimit-reset',
	'ratelimit-limit',
	'ratelimit-remaining',
	'ratelimit-reset',
];

describe('simulator: rate limits per key', () => {
	const clock = new FakeClock();
	let sim: NyneSimulator;
	const sec = (ms: number) => Math.ceil(ms / 1000);

	beforeEach(async () => {
		clock.t = Date.UTC(2026, 0, 15, 10, 0, 0);
		sim = await startSimulator({
			now: clock.now,
			timeScale: 0.1, // minute window = 6 s, hour window = 360 s
			rateLimit: { perMinute: 5, perHour: 8 },
			latencyMs: { interests: [1e9, 1e9], interactions: [1e9, 1e9], leads: [1e9, 1e9] },
			keys: [
				{ key: 'sim-key', secret: 'sim-secret' },
				{ key: 'other', secret: 's' },
				{ key: 'roomy', secret: 's', perMinute: 60, perHour: 1000 },
				{ key: 'quota', secret: 's', monthlyQuota: 3 },
				{ key: 'broke', secret: 's', credits: 0 },
			],
		});
	});
	afterEach(() => sim.stop());

	test('headers on 202, 200 and 4xx after auth, with exact values; both header families agree', async () => {
		const start = clock.t;
		const a = await submit(sim, 'leads', VALID.leads);
		expect(a.status).toBe(202);
		expect(a.headers).toMatchObject({
			'x-ratelimit-limit': '5',
			'x-ratelimit-remaining': '4',
			'x-ratelimit-reset': String(sec(start + 6_000)),
			'ratelimit-limit': '5',
			'ratelimit-remaining': '4',
			'ratelimit-reset': '6',
		});
		expect(a.headers['retry-after']).toBeUndefined();
		clock.advance(2_500);
		const b = await poll(sim, 'leads', a.json.data.request_id);
		expect(b.status).toBe(200);
		expect(b.headers).toMatchObject({
			'x-ratelimit-remaining': '3',
			'x-ratelimit-reset': String(sec(start + 6_000)),
			'ratelimit-reset': '4',
		});
		const c = await submit(sim, 'leads', { search_description: 'short' });
		expect(c.status).toBe(400);
		expect(c.headers['x-ratelimit-remaining']).toBe('2');
		const d = await poll(sim, 'interests', 'nope');
		expect(d.status).toBe(404);
		expect(d.headers['ratelimit-remaining']).toBe('1');
		const e = await submit(sim, 'leads', VALID.leads, { key: 'broke', secret: 's' });
		expect(e.status).toBe(402);
		for (const h of RATE_HEADERS) expect(e.headers[h]).toBeDefined();
	});

	test('per-minute window: 429 rate_limit_exceeded with Retry-After; rejected requests do not count; window resets', async () => {
		const start = clock.t;
		for (let i = 0; i < 5; i++) expect((await submit(sim, 'leads', VALID.leads)).status).toBe(202);
		clock.advance(1_000);
		const limited = await submit(sim, 'leads', VALID.leads);
		expect(limited.status).toBe(429);
		expect(limited.json.error.code).toBe('rate_limit_exceeded');
		expect(limited.headers).toMatchObject({
			'retry-after': '5',
			'x-ratelimit-limit': '5',
			'x-ratelimit-remaining': '0',
			'ratelimit-reset': '5',
			'x-ratelimit-reset': String(sec(start + 6_000)),
		});
		// polls are rate-checked too
		expect((await poll(sim, 'leads', 'x')).status).toBe(429);
		// other keys have their own windows
		expect((await submit(sim, 'leads', VALID.leads, { key: 'other', secret: 's' })).status).toBe(
			202,
		);
		clock.t = start + 5_999;
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(429);
		clock.t = start + 6_000;
		const after = await submit(sim, 'leads', VALID.leads);
		expect(after.status).toBe(202);
		// new minute window aligned to this request; the hour window (8) has 2 left → it is now the tighter one
		expect(after.headers).toMatchObject({
			'x-ratelimit-limit': '8',
			'x-ratelimit-remaining': '2',
			'x-ratelimit-reset': String(sec(start + 360_000)),
		});
		expect(sim.getCounters().status429).toBe(3);
	});

	test('per-hour window: the active window is the tighter one and Retry-After points at the hour reset', async () => {
		const start = clock.t;
		const remaining: Array<[string, string]> = [];
		for (let i = 0; i < 5; i++) {
			const r = await submit(sim, 'leads', VALID.leads);
			remaining.push([r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining']]);
		}
		clock.advance(6_000);
		for (let i = 0; i < 3; i++) {
			const r = await submit(sim, 'leads', VALID.leads);
			remaining.push([r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining']]);
		}
		// minute 1: the minute window (5) is tighter; after it rolls over the hour window (8, 3 left) is tighter
		expect(remaining).toEqual([
			['5', '4'],
			['5', '3'],
			['5', '2'],
			['5', '1'],
			['5', '0'],
			['8', '2'],
			['8', '1'],
			['8', '0'],
		]);
		const limited = await submit(sim, 'leads', VALID.leads);
		expect(limited.status).toBe(429);
		expect(limited.headers).toMatchObject({
			'x-ratelimit-limit': '8',
			'x-ratelimit-remaining': '0',
			'retry-after': String(sec(start + 360_000 - clock.t)),
			'x-ratelimit-reset': String(sec(start + 360_000)),
		});
		clock.advance(60_000); // minute windows roll over, the hour does not
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(429);
		clock.t = start + 360_000;
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(202);
	});

	test('default limits are 60 per minute and 1000 per hour', async () => {
		const plain = await startSimulator({ now: clock.now });
		try {
			const r = await submit(plain, 'leads', VALID.leads);
			expect(r.headers['x-ratelimit-limit']).toBe('60');
			expect(r.headers['ratelimit-reset']).toBe('60');
			for (let i = 0; i < 59; i++) await poll(plain, 'leads', 'x');
			const limited = await poll(plain, 'leads', 'x');
			expect(limited.status).toBe(429);
			expect(limited.headers['retry-after']).toBe('60');
		} finally {
			await plain.stop();
		}
	});

	test('per-key overrides', async () => {
		const r = await submit(sim, 'leads', VALID.leads, { key: 'roomy', secret: 's' });
		expect(r.headers['x-ratelimit-limit']).toBe('60');
	});

	test('monthly quota: 429 monthly_limit_exceeded with X-Quota-* headers', async () => {
		const start = clock.t;
		const opts = { key: 'quota', secret: 's' };
		const first = await submit(sim, 'leads', VALID.leads, opts);
		expect(first.headers).toMatchObject({
			'x-quota-limit': '3',
			'x-quota-used': '1',
			'x-quota-remaining': '2',
		});
		await poll(sim, 'leads', first.json.data.request_id, opts);
		await poll(sim, 'leads', first.json.data.request_id, opts);
		const over = await poll(sim, 'leads', first.json.data.request_id, opts);
		expect(over.status).toBe(429);
		expect(over.json.error.code).toBe('monthly_limit_exceeded');
		const cycleEnd = start + 30 * 24 * 3_600_000 * 0.1;
		expect(over.headers).toMatchObject({
			'x-quota-limit': '3',
			'x-quota-used': '3',
			'x-quota-remaining': '0',
			'x-quota-reset': String(sec(cycleEnd)),
			'retry-after': String(sec(cycleEnd - start)),
		});
		clock.t = cycleEnd;
		expect((await poll(sim, 'leads', first.json.data.request_id, opts)).status).toBe(200);
	});
});

describe('simulator: rate limits in real time (timeScale)', () => {
	test('a 5-per-minute key at timeScale 0.02 admits again after Retry-After', async () => {
		const sim = await startSimulator({ timeScale: 0.02, rateLimit: { perMinute: 5 } }); // minute = 1.2 s
		try {
			const statuses: number[] = [];
			for (let i = 0; i < 6; i++) statuses.push((await submit(sim, 'leads', VALID.leads)).status);
			expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
			const limited = await submit(sim, 'leads', VALID.leads);
			const retryAfter = Number(limited.headers['retry-after']);
			expect(retryAfter).toBeGreaterThanOrEqual(1);
			expect(retryAfter).toBeLessThanOrEqual(2);
			await new Promise((r) => setTimeout(r, retryAfter * 1000));
			expect((await submit(sim, 'leads', VALID.leads)).status).toBe(202);
		} finally {
			await sim.stop();
		}
	});
});

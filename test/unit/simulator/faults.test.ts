import { request } from 'undici';
import { startSimulator, type NyneSimulator } from '../../simulator';
import { call, poll, submit, VALID } from './helpers';

describe('simulator: fault injection and restart', () => {
	let sim: NyneSimulator;
	beforeEach(async () => {
		// fast jobs, but real one-minute rate windows so header values cannot roll over mid-test
		sim = await startSimulator({ timeScale: 0.001, rateWindowScale: 1 });
	});
	afterEach(() => sim.stop());

	test('error503Rate 1 on submits only: 503 service_unavailable without rate headers; polls unaffected', async () => {
		const ok = await submit(sim, 'leads', VALID.leads);
		sim.setFaults({ error503Rate: 1, applyTo: 'submit' });
		const res = await submit(sim, 'leads', VALID.leads);
		expect(res.status).toBe(503);
		expect(res.json).toMatchObject({ success: false, error: { code: 'service_unavailable' } });
		expect(res.headers['x-ratelimit-limit']).toBeUndefined();
		expect((await poll(sim, 'leads', ok.json.data.request_id)).status).toBe(200);
		sim.setFaults({ applyTo: 'poll' });
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(202);
		expect((await poll(sim, 'leads', ok.json.data.request_id)).status).toBe(503);
		expect(sim.getCounters()).toMatchObject({ status503: 2, accepted: 2 });
	});

	test('probabilities are honoured and reproducible with the same seed', async () => {
		const run = async () => {
			const s = await startSimulator({ seed: 'fixed', faults: { error503Rate: 0.3 } });
			try {
				const statuses: number[] = [];
				for (let i = 0; i < 40; i++) statuses.push((await poll(s, 'interests', 'x')).status);
				return statuses;
			} finally {
				await s.stop();
			}
		};
		const a = await run();
		const b = await run();
		expect(a).toEqual(b);
		const n503 = a.filter((s) => s === 503).length;
		expect(n503).toBeGreaterThan(0);
		expect(n503).toBeLessThan(40);
		expect(a.filter((s) => s !== 503).every((s) => s === 404)).toBe(true);
	});

	test('unavailable: every request is 503 until switched off; clearFaults resets everything', async () => {
		sim.setFaults({ unavailable: true });
		expect((await submit(sim, 'interests', VALID.interests)).status).toBe(503);
		expect((await poll(sim, 'interests', 'x')).status).toBe(503);
		sim.clearFaults();
		expect(sim.getFaults()).toEqual({});
		expect((await submit(sim, 'interests', VALID.interests)).status).toBe(202);
	});

	test('error500Rate: 500 internal_error', async () => {
		sim.setFaults({ error500Rate: 1 });
		const res = await submit(sim, 'interactions', VALID.interactions);
		expect(res.status).toBe(500);
		expect(res.json.error.code).toBe('internal_error');
		expect(sim.getCounters().status500).toBe(1);
	});

	test('spurious429Rate: 429 rate_limit_exceeded with Retry-After and rate headers, counted in the window', async () => {
		sim.setFaults({ spurious429Rate: 1, spurious429RetryAfter: 7 });
		const res = await submit(sim, 'leads', VALID.leads);
		expect(res.status).toBe(429);
		expect(res.json.error.code).toBe('rate_limit_exceeded');
		expect(res.headers['retry-after']).toBe('7');
		expect(res.headers['x-ratelimit-remaining']).toBe('59');
		sim.setFaults({ spurious429Rate: 0 });
		const next = await submit(sim, 'leads', VALID.leads);
		expect(next.status).toBe(202);
		expect(next.headers['x-ratelimit-remaining']).toBe('58');
		expect(sim.getCounters().status429).toBe(1);
	});

	test('pollResetRate: the poll connection is destroyed without a response; submits unaffected', async () => {
		const id = (await submit(sim, 'leads', VALID.leads)).json.data.request_id;
		sim.setFaults({ pollResetRate: 1 });
		await expect(poll(sim, 'leads', id)).rejects.toThrow(/socket|closed|reset/i);
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(202);
		sim.setFaults({ pollResetRate: 0 });
		expect((await poll(sim, 'leads', id)).status).toBe(200);
		const counters = sim.getCounters();
		expect(counters.connectionResets).toBe(1);
		expect(sim.getLog().find((e) => e.errorCode === 'connection_reset')).toMatchObject({
			op: 'poll',
			status: 0,
		});
	});

	test('submitResetRate: the job is accepted, runs and is charged, but the submit connection is destroyed instead of the 202', async () => {
		sim.setFaults({ submitResetRate: 1 });
		await expect(submit(sim, 'leads', VALID.leads)).rejects.toThrow(/socket|closed|reset/i);
		sim.setFaults({ submitResetRate: 0 });
		const entry = sim.getLog().find((e) => e.errorCode === 'connection_reset');
		expect(entry).toMatchObject({ op: 'submit', status: 0, requestId: expect.any(String) });
		const job = await sim.waitForJob(entry!.requestId!);
		expect(job.status).toBe('completed');
		expect(sim.getCharge(entry!.requestId!)).toBeGreaterThan(0);
		expect(sim.getCounters()).toMatchObject({ submits: 1, accepted: 1, connectionResets: 1 });
		// The id was never told to the client, yet it is a real job: polling it works.
		expect((await poll(sim, 'leads', entry!.requestId!)).status).toBe(200);
	});

	test('responseDelayMs delays every API response', async () => {
		sim.setFaults({ responseDelayMs: 150 });
		const t0 = Date.now();
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(202);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
	});

	test('neverFinishRate / failRate decide the outcome of new jobs', async () => {
		sim.setFaults({ neverFinishRate: 1 });
		const never = (await submit(sim, 'interests', VALID.interests)).json.data.request_id;
		sim.setFaults({ neverFinishRate: 0, failRate: 1 });
		const failed = (await submit(sim, 'interests', VALID.interests)).json.data.request_id;
		expect(sim.getJob(never)!.outcome).toBe('never');
		expect((await sim.waitForJob(failed)).status).toBe('failed');
		await expect(sim.waitForJob(never, 50)).rejects.toThrow(/did not finish/);
		expect(sim.completeNow(never)).toBe(true);
		expect((await poll(sim, 'interests', never)).json.data.status).toBe('completed');
	});

	test('[slow] and [latency=N] markers stretch the job', async () => {
		const normal = (await submit(sim, 'leads', VALID.leads)).json.data.request_id;
		const slow = (
			await submit(sim, 'leads', { search_description: `${VALID.leads.search_description} [slow]` })
		).json.data.request_id;
		const fixed = (
			await submit(sim, 'leads', { search_description: 'Fixed latency job [latency=50000]' })
		).json.data.request_id;
		const span = (id: string) => sim.getJob(id)!.dueAt - sim.getJob(id)!.createdAt;
		// spans are rounded to whole real milliseconds after scaling
		expect(Math.abs(span(slow) - span(normal) * 10)).toBeLessThanOrEqual(10);
		expect(span(slow)).toBeGreaterThan(span(normal) * 5);
		expect(span(fixed)).toBe(50);
	});

	test('restart(): same port, jobs and rate windows survive, in-flight jobs still pollable and finish', async () => {
		// timeScale 1 so the rate windows (1 min) cannot roll over during the test; the job takes 500 real ms
		await sim.stop();
		sim = await startSimulator({ behaviour: () => ({ latencyMs: 500 }) });
		const port = sim.port;
		const id = (
			await submit(sim, 'leads', { search_description: 'Survives a restart of the server' })
		).json.data.request_id;
		const before = await poll(sim, 'leads', id);
		expect(['pending', 'analyzing', 'searching', 'aggregating']).toContain(before.json.data.status);
		const remainingBefore = Number(before.headers['x-ratelimit-remaining']);

		let downDuring: unknown;
		const restarting = sim.restart({ downtimeMs: 100 });
		await new Promise((r) => setTimeout(r, 30));
		await request(`${sim.url}/person/leads?request_id=${id}`).then(
			() => (downDuring = 'answered'),
			(err: Error) => (downDuring = err),
		);
		await restarting;
		// while down the port refuses connections (undici errors come from another realm: check the code)
		expect(String((downDuring as { code?: string }).code ?? downDuring)).toMatch(
			/ECONNREFUSED|ECONNRESET|UND_ERR/,
		);

		expect(sim.port).toBe(port);
		const after = await poll(sim, 'leads', id);
		expect(after.status).toBe(200);
		expect(Number(after.headers['x-ratelimit-remaining'])).toBe(remainingBefore - 1);
		await sim.waitForJob(id);
		expect((await poll(sim, 'leads', id)).json.data.status).toBe('completed');
	});

	test('admin endpoints allow control from other processes', async () => {
		const admin = (method: 'GET' | 'POST', path: string, body?: unknown) =>
			call(sim, method, path, { body, key: null, secret: null });
		expect((await admin('GET', '/__sim/health')).json.data).toEqual({ ok: true, url: sim.url });
		await admin('POST', '/__sim/faults', { error503Rate: 1 });
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(503);
		await admin('POST', '/__sim/faults', { clear: true });
		const id = (await submit(sim, 'leads', { search_description: 'Admin controlled [never]' })).json
			.data.request_id;
		expect((await admin('POST', '/__sim/complete', { request_id: id })).json.data).toEqual({
			completed: true,
		});
		expect((await poll(sim, 'leads', id)).json.data.status).toBe('completed');
		expect((await admin('POST', '/__sim/expire', { request_id: id })).json.data).toEqual({
			expired: true,
		});
		expect((await poll(sim, 'leads', id)).status).toBe(404);
		await admin('POST', '/__sim/credits', { key: 'sim-key', credits: 0 });
		expect((await submit(sim, 'leads', VALID.leads)).status).toBe(402);
		const state = (await admin('GET', '/__sim/state')).json.data;
		expect(state.credits).toEqual({ 'sim-key': 0 });
		expect(state.counters.byStatus).toMatchObject({ 503: 1, 202: 1, 404: 1, 402: 1 });
		const log = (await admin('GET', '/__sim/log')).json.data.log;
		expect(log.every((e: { path: string }) => !e.path.startsWith('/__sim'))).toBe(true);
		await admin('POST', '/__sim/reset-log');
		expect(sim.getLog()).toEqual([]);
	});

	test('admin endpoints can be disabled', async () => {
		const locked = await startSimulator({ admin: false });
		try {
			const res = await call(locked, 'GET', '/__sim/health');
			expect(res.status).toBe(404);
		} finally {
			await locked.stop();
		}
	});
});

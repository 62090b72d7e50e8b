import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
	DEFAULT_CALLBACK_DELAYS_MS,
	REQUEST_ID_PATTERNS,
	startSimulator,
	type NyneSimulator,
} from '../../simulator';
import { submit } from './helpers';

interface Received {
	at: number;
	body: any;
	headers: http.IncomingHttpHeaders;
}

/** Local callback receiver; `respond(n)` decides the status of the n-th request (1-based) or 'hang'. */
async function receiver(respond: (n: number) => number | 'hang' = () => 200) {
	const received: Received[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			received.push({ at: Date.now(), body: JSON.parse(text), headers: req.headers });
			const action = respond(received.length);
			if (action === 'hang') return;
			res.writeHead(action, { 'content-type': 'text/plain' }).end('ok');
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	return {
		url,
		received,
		close: () =>
			new Promise<void>((r) => {
				for (const s of sockets) s.destroy();
				server.close(() => r());
			}),
	};
}

describe('simulator: callbacks', () => {
	let sim: NyneSimulator;
	const lines: string[] = [];
	beforeEach(async () => {
		lines.length = 0;
		// callbackScale 0.001 shrinks the retry delays to 1/5/15/60/300 ms; the per-attempt timeout is set to a nominal
		// 5 000 s (→ 5 s) so a slow CI machine never turns an acknowledged delivery into a timeout + duplicate.
		sim = await startSimulator({
			timeScale: 0.001,
			rateWindowScale: 1,
			callbackScale: 0.001,
			callbackTimeoutMs: 5_000_000,
			logger: (l) => lines.push(l),
		});
	});
	afterEach(() => sim.stop());

	test('documented payload shapes for each kind, delivered once on a 2xx', async () => {
		const rx = await receiver();
		try {
			const ids = {
				interests: (
					await submit(sim, 'interests', { email: 'cb@example.com', callback_url: rx.url })
				).json.data.request_id,
				interactions: (
					await submit(sim, 'interactions', {
						type: 'following',
						username: 'jane',
						max_results: 10,
						callback_url: rx.url,
					})
				).json.data.request_id,
				leads: (
					await submit(sim, 'leads', {
						search_description: 'Founders raising seed [n=2]',
						callback_url: rx.url,
					})
				).json.data.request_id,
			};
			for (const id of Object.values(ids))
				expect((await sim.waitForCallback(id)).state).toBe('delivered');
			expect(rx.received).toHaveLength(3);
			const byId = Object.fromEntries(rx.received.map((r) => [r.body.request_id, r]));

			const i = byId[ids.interests];
			expect(i.headers['content-type']).toBe('application/json');
			expect(Object.keys(i.body).sort()).toEqual([
				'completed',
				'completed_on',
				'request_id',
				'result',
				'status',
				'timestamp',
			]);
			expect(i.body).toMatchObject({ status: 'completed', completed: true });
			expect(i.body.request_id).toMatch(REQUEST_ID_PATTERNS.interests);

			const x = byId[ids.interactions];
			expect(Object.keys(x.body).sort()).toEqual([
				'data',
				'interaction_type',
				'platform',
				'request_id',
				'result_count',
				'status',
			]);
			expect(x.body).toMatchObject({
				status: 'completed',
				interaction_type: 'following',
				platform: 'twitter',
				result_count: 10,
			});
			expect(x.body.data).toMatchObject({
				interaction_type: 'following',
				source_platform: 'twitter',
				total_count: 10,
			});
			expect(x.body.data.interactions).toHaveLength(10);

			const l = byId[ids.leads];
			expect(Object.keys(l.body).sort()).toEqual([
				'completed',
				'request_id',
				'results',
				'results_count',
				'status',
				'timestamp',
			]);
			expect(l.body).toMatchObject({ status: 'completed', completed: true, results_count: 2 });
			expect(l.body.results).toHaveLength(2);

			// the callback carries the same result a poll returns
			expect(sim.getCallbacks(ids.leads)[0].payload).toEqual(l.body);
			expect(lines.filter((s) => s.startsWith('callback '))).toHaveLength(3);
		} finally {
			await rx.close();
		}
	});

	test('failed and empty jobs are delivered too', async () => {
		const rx = await receiver();
		try {
			const failed = (
				await submit(sim, 'leads', {
					search_description: 'This one breaks [fail]',
					callback_url: rx.url,
				})
			).json.data.request_id;
			const empty = (
				await submit(sim, 'interactions', {
					type: 'followers',
					username: 'ghost [empty]',
					callback_url: rx.url,
				})
			).json.data.request_id;
			await sim.waitForCallback(failed);
			await sim.waitForCallback(empty);
			const f = rx.received.find((r) => r.body.request_id === failed)!.body;
			expect(Object.keys(f).sort()).toEqual(['error', 'request_id', 'status']);
			expect(f.status).toBe('failed');
			const e = rx.received.find((r) => r.body.request_id === empty)!.body;
			expect(e).toMatchObject({
				status: 'completed',
				result_count: 0,
				data: { interactions: [], total_count: 0 },
			});
		} finally {
			await rx.close();
		}
	});

	test('retries non-2xx on the documented schedule until acknowledged', async () => {
		const rx = await receiver((n) => (n <= 3 ? 500 : 204));
		try {
			const id = (
				await submit(sim, 'leads', {
					search_description: 'Retry me please [instant]',
					callback_url: rx.url,
				})
			).json.data.request_id;
			const delivery = await sim.waitForCallback(id);
			expect(delivery.state).toBe('delivered');
			expect(rx.received).toHaveLength(4);
			expect(delivery.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
			expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 204]);
			expect(delivery.attempts.map((a) => a.ok)).toEqual([false, false, false, true]);
			// 1 s, 5 s, 15 s × callbackScale 0.001
			expect(delivery.attempts.map((a) => a.delayMs)).toEqual([0, 1, 5, 15]);
			for (const r of rx.received) expect(r.body.request_id).toBe(id);
		} finally {
			await rx.close();
		}
	});

	test('gives up after 5 retries (6 attempts) with delays 1 s, 5 s, 15 s, 1 m, 5 m', async () => {
		const rx = await receiver(() => 503);
		try {
			const id = (
				await submit(sim, 'interests', { name: 'Never acked [instant]', callback_url: rx.url })
			).json.data.request_id;
			const delivery = await sim.waitForCallback(id);
			expect(delivery.state).toBe('gave_up');
			expect(rx.received).toHaveLength(6);
			expect(delivery.attempts.map((a) => a.delayMs)).toEqual([
				0,
				...DEFAULT_CALLBACK_DELAYS_MS.map((d) => d * 0.001),
			]);
			// the last retry waited (at least) the 5 m × 0.001 = 300 ms
			expect(rx.received[5].at - rx.received[4].at).toBeGreaterThanOrEqual(290);
			expect(lines.filter((s) => s.includes(id))).toHaveLength(6);
		} finally {
			await rx.close();
		}
	});

	test('a receiver that does not answer within the (scaled) 30 s timeout is retried', async () => {
		const rx = await receiver((n) => (n === 1 ? 'hang' : 200));
		await sim.stop();
		// default 30 s timeout × 0.01 = 300 ms: the hanging first attempt times out, the second has ample time
		sim = await startSimulator({ timeScale: 0.001, rateWindowScale: 1, callbackScale: 0.01 });
		try {
			const id = (
				await submit(sim, 'leads', {
					search_description: 'Slow receiver here [instant]',
					callback_url: rx.url,
				})
			).json.data.request_id;
			const delivery = await sim.waitForCallback(id);
			expect(delivery.state).toBe('delivered');
			expect(delivery.attempts).toHaveLength(2);
			expect(delivery.attempts[0].ok).toBe(false);
			expect(delivery.attempts[0].error).toMatch(/timeout after 300 ms/);
			expect(delivery.attempts[1].delayMs).toBe(10);
			expect(delivery.attempts[0].statusCode).toBeUndefined();
		} finally {
			await rx.close();
		}
	});

	test('connection errors are retried and recorded', async () => {
		const rx = await receiver();
		const deadUrl = rx.url;
		await rx.close();
		const id = (
			await submit(sim, 'leads', {
				search_description: 'Nobody listening [instant]',
				callback_url: deadUrl,
			})
		).json.data.request_id;
		const delivery = await sim.waitForCallback(id);
		expect(delivery.state).toBe('gave_up');
		expect(delivery.attempts).toHaveLength(6);
		for (const a of delivery.attempts) expect(a.error).toMatch(/ECONNREFUSED|connect/i);
	});

	test('stop() cancels pending retries instead of waiting for them', async () => {
		// The next retry is due in 10 minutes: a stop() that waited for it would outlast the test's timeout.
		const slow = await startSimulator({
			timeScale: 0.001,
			rateWindowScale: 1,
			callbackScale: 1,
			callbackRetryDelaysMs: [600_000],
		});
		const rx = await receiver(() => 500);
		try {
			const id = (
				await submit(slow, 'leads', {
					search_description: 'Stop while retrying [instant]',
					callback_url: rx.url,
				})
			).json.data.request_id;
			await slow.waitForJob(id);
			while (slow.getCallbacks(id)[0].attempts[0]?.finishedAt === undefined)
				await new Promise((r) => setTimeout(r, 5));
			await slow.stop();
			expect(slow.getCallbacks(id)[0].state).toBe('cancelled');
			expect(rx.received).toHaveLength(1);
		} finally {
			await slow.stop();
			await rx.close();
		}
	});
});

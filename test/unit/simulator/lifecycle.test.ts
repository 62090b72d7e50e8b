import {
	CREDIT_COST,
	INTEREST_SECTIONS,
	REQUEST_ID_PATTERNS,
	startSimulator,
	type NyneSimulator,
} from '../../simulator';
import { FakeClock, poll, submit, VALID } from './helpers';

type Kind = 'interests' | 'interactions' | 'leads';

/** Polls until a terminal status; returns the distinct statuses seen, in order, and the final body. */
async function pollToEnd(sim: NyneSimulator, kind: Kind, id: string, opts = {}) {
	const seen: string[] = [];
	for (let i = 0; i < 2000; i++) {
		const res = await poll(sim, kind, id, opts);
		expect(res.status).toBe(200);
		const status = res.json.data.status as string;
		if (seen[seen.length - 1] !== status) seen.push(status);
		if (status === 'completed' || status === 'failed') return { seen, res };
		await new Promise((r) => setTimeout(r, 2));
	}
	throw new Error('job did not finish');
}

function isSubsequence(seen: string[], order: string[]): boolean {
	let i = 0;
	for (const s of seen) {
		const j = order.indexOf(s, i);
		if (j < 0) return false;
		i = j;
	}
	return true;
}

describe('simulator: job lifecycle, statuses and result shapes', () => {
	describe('status progressions (fake clock, no wall-clock dependency)', () => {
		const clock = new FakeClock();
		let sim: NyneSimulator;
		beforeAll(async () => {
			// Real latency of 60 s keeps the completion timer from firing; the fake clock drives the phases.
			sim = await startSimulator({ now: clock.now, behaviour: () => ({ latencyMs: 60_000 }) });
		});
		afterAll(() => sim.stop());

		const cases: Array<[Kind, string, Array<[number, string]>]> = [
			[
				'interests',
				'queued',
				[
					[0, 'queued'],
					[20_000, 'processing'],
					[50_000, 'pending'],
				],
			],
			[
				'interactions',
				'processing',
				[
					[0, 'processing'],
					[45_000, 'pending'],
				],
			],
			[
				'leads',
				'queued',
				[
					[0, 'pending'],
					[15_000, 'analyzing'],
					[30_000, 'searching'],
					[50_000, 'aggregating'],
				],
			],
		];
		test.each(cases)(
			'%s: 202 %s, then the documented phases, then completed',
			async (kind, submitStatus, phases) => {
				const start = clock.t;
				const res = await submit(sim, kind, VALID[kind]);
				expect(res.status).toBe(202);
				expect(res.json.data.status).toBe(submitStatus);
				const id = res.json.data.request_id;
				for (const [offset, status] of phases) {
					clock.t = start + offset;
					expect((await poll(sim, kind, id)).json.data.status).toBe(status);
				}
				expect(sim.completeNow(id)).toBe(true);
				expect((await poll(sim, kind, id)).json.data.status).toBe('completed');
				expect(sim.completeNow(id)).toBe(false);
			},
		);

		test('a never-finishing job stays in its last running phase', async () => {
			const res = await submit(sim, 'leads', {
				search_description: 'Founders discussing seed rounds [never]',
			});
			const id = res.json.data.request_id;
			clock.advance(10 * 3_600_000);
			expect((await poll(sim, 'leads', id)).json.data.status).toBe('aggregating');
			expect(sim.getJob(id)!.dueAt).toBe(Infinity);
		});

		test('jobTtlMs: ids expire after the TTL (scaled) and then answer 404', async () => {
			const ttlSim = await startSimulator({
				now: clock.now,
				jobTtlMs: 10_000,
				timeScale: 0.5,
				behaviour: () => ({ latencyMs: 60_000 }),
			});
			try {
				const id = (await submit(ttlSim, 'interests', VALID.interests)).json.data.request_id;
				clock.advance(4_999);
				expect((await poll(ttlSim, 'interests', id)).status).toBe(200);
				clock.advance(1);
				const gone = await poll(ttlSim, 'interests', id);
				expect(gone.status).toBe(404);
				expect(gone.json.error.code).toBe('request_not_found');
				expect(ttlSim.getJob(id)!.expired).toBe(true);
			} finally {
				await ttlSim.stop();
			}
		});
	});

	describe('real-time runs (timeScale 0.001)', () => {
		let sim: NyneSimulator;
		beforeAll(async () => {
			sim = await startSimulator({
				timeScale: 0.001,
				rateWindowScale: 1,
				rateLimit: { perMinute: 100_000, perHour: 1_000_000 },
				keys: [
					{ key: 'sim-key', secret: 'sim-secret' },
					{ key: 'k2', secret: 's2' },
				],
			});
		});
		afterAll(() => sim.stop());

		test('request id formats', async () => {
			for (const kind of ['interests', 'interactions', 'leads'] as const) {
				const id = (await submit(sim, kind, VALID[kind])).json.data.request_id;
				expect(id).toMatch(REQUEST_ID_PATTERNS[kind]);
			}
			const a = (await submit(sim, 'interests', VALID.interests)).json.data.request_id;
			const b = (await submit(sim, 'interests', VALID.interests)).json.data.request_id;
			expect(a).not.toBe(b);
			const [, unix] = /^[0-9a-f]{32}_(\d{10})_\d{4}$/.exec(a)!;
			expect(Math.abs(Number(unix) - Date.now() / 1000)).toBeLessThan(60);
		});

		test('statuses observed by real polling follow the documented order', async () => {
			const orders: Record<Kind, string[]> = {
				interests: ['queued', 'processing', 'pending', 'completed'],
				interactions: ['processing', 'pending', 'completed'],
				leads: ['pending', 'analyzing', 'searching', 'aggregating', 'completed'],
			};
			for (const kind of ['interests', 'interactions', 'leads'] as const) {
				const id = (await submit(sim, kind, { ...VALID[kind] })).json.data.request_id;
				const { seen } = await pollToEnd(sim, kind, id);
				expect(seen[seen.length - 1]).toBe('completed');
				expect(isSubsequence(seen, orders[kind])).toBe(true);
			}
		});

		test('interests: completed payload shape', async () => {
			const id = (await submit(sim, 'interests', { email: 'shape@example.com' })).json.data
				.request_id;
			const { res } = await pollToEnd(sim, 'interests', id);
			expect(res.json.success).toBe(true);
			const data = res.json.data;
			expect(Object.keys(data).sort()).toEqual([
				'completed',
				'completed_on',
				'request_id',
				'result',
				'status',
			]);
			expect(data).toMatchObject({ request_id: id, status: 'completed', completed: true });
			expect(data.completed_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			const sections = Object.keys(data.result).filter((k) => k !== 'following_count');
			expect(sections.length).toBeGreaterThanOrEqual(3);
			for (const s of sections) expect(INTEREST_SECTIONS).toContain(s);
			expect(typeof data.result.following_count).toBe('number');
			// every insight carries supporting_accounts
			const insights: any[] = [];
			for (const s of sections) {
				const v = data.result[s];
				if (s === 'interest_graph')
					for (const cat of Object.values<any>(v)) insights.push(...cat.interests);
				else if (Array.isArray(v)) insights.push(...v);
				else insights.push(v);
			}
			for (const insight of insights) {
				expect(Array.isArray(insight.supporting_accounts)).toBe(true);
				expect(insight.supporting_accounts.length).toBeGreaterThan(0);
			}
		});

		test('interactions: followers shape, data-level fields and max_results', async () => {
			const id = (
				await submit(sim, 'interactions', {
					type: 'followers',
					social_media_url: 'https://twitter.com/janedoe',
					max_results: 25,
				})
			).json.data.request_id;
			const { res } = await pollToEnd(sim, 'interactions', id);
			const data = res.json.data;
			expect(data).toMatchObject({
				status: 'completed',
				completed: true,
				interaction_type: 'followers',
				platform: 'twitter',
				result_count: 25,
			});
			expect(data.created_on).toMatch(/Z$/);
			expect(data.completed_on).toMatch(/Z$/);
			expect(data.result).toMatchObject({
				interaction_type: 'followers',
				platform: 'twitter',
				source_platform: 'twitter',
				total_count: 25,
			});
			expect(data.result.target).toMatchObject({
				username: 'janedoe',
				profile_url: 'https://twitter.com/janedoe',
			});
			expect(data.result.interactions).toHaveLength(25);
			for (const e of data.result.interactions) {
				expect(Object.keys(e).sort()).toEqual([
					'bio',
					'display_name',
					'followers_count',
					'following_count',
					'profile_url',
					'username',
					'verified',
				]);
				expect(e.profile_url).toBe(`https://twitter.com/${e.username}`);
			}
			expect(new Set(data.result.interactions.map((e: any) => e.username)).size).toBe(25);
		});

		test('interactions: replies entries carry reply_text/reply_date', async () => {
			const id = (
				await submit(sim, 'interactions', {
					type: 'replies',
					social_media_url: 'https://x.com/jane/status/1234567890',
					max_results: 10,
				})
			).json.data.request_id;
			const { res } = await pollToEnd(sim, 'interactions', id);
			const result = res.json.data.result;
			expect(result.target).toMatchObject({ username: 'jane', tweet_id: '1234567890' });
			expect(result.interactions).toHaveLength(10);
			for (const e of result.interactions) {
				expect(typeof e.reply_text).toBe('string');
				expect(e.reply_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
				expect(e.bio).toBeUndefined();
			}
		});

		test('interactions: followers,following entries are tagged with their relation', async () => {
			const id = (
				await submit(sim, 'interactions', {
					type: 'followers,following',
					social_media_url: 'https://www.instagram.com/jane',
					max_results: 11,
				})
			).json.data.request_id;
			const { res } = await pollToEnd(sim, 'interactions', id);
			const result = res.json.data.result;
			expect(result).toMatchObject({
				interaction_type: 'followers,following',
				platform: 'instagram',
				total_count: 11,
			});
			const tags = result.interactions.map((e: any) => e.interaction_type);
			expect(tags.filter((t: string) => t === 'followers')).toHaveLength(6);
			expect(tags.filter((t: string) => t === 'following')).toHaveLength(5);
			expect(result.interactions[0].profile_url).toMatch(/^https:\/\/www\.instagram\.com\//);
		});

		test('leads: completed shape, naive timestamps, newest first', async () => {
			const id = (
				await submit(sim, 'leads', {
					search_description: 'Marketing directors at SaaS companies [n=7]',
				})
			).json.data.request_id;
			const { res } = await pollToEnd(sim, 'leads', id);
			const data = res.json.data;
			expect(Object.keys(data).sort()).toEqual([
				'completed_on',
				'created_on',
				'request_id',
				'results',
				'results_count',
				'status',
			]);
			expect(data.created_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
			expect(data.results_count).toBe(7);
			expect(data.results).toHaveLength(7);
			for (const r of data.results) {
				expect(['linkedin', 'twitter']).toContain(r.platform);
				expect(Object.keys(r.author).sort()).toEqual([
					'headline',
					'image_url',
					'name',
					'profile_url',
					'username',
				]);
				expect(Object.keys(r.engagement).sort()).toEqual(['comments', 'likes', 'shares']);
				expect(r.post_url).toMatch(/^https:\/\//);
			}
			const dates = data.results.map((r: any) => Date.parse(r.post_date));
			expect([...dates].sort((a, b) => b - a)).toEqual(dates);
		});

		test('results are deterministic from the input (and independent of markers, keys and callbacks)', async () => {
			const run = async (body: object, key?: { key: string; secret: string }) => {
				const id = (await submit(sim, 'leads', body, key)).json.data.request_id;
				return (await pollToEnd(sim, 'leads', id, key ?? {})).res.json.data.results;
			};
			const a = await run({
				search_description: 'HR professionals talking about engagement software',
			});
			const b = await run(
				{ search_description: '  HR professionals talking about engagement software [instant] ' },
				{ key: 'k2', secret: 's2' },
			);
			const c = await run({
				search_description: 'Real estate agents in California looking for CRM',
			});
			expect(b).toEqual(a);
			expect(c).not.toEqual(a);
		});

		test('failed jobs: status failed with an error string', async () => {
			const id = (await submit(sim, 'interactions', { type: 'following', username: 'jane [fail]' }))
				.json.data.request_id;
			const { res } = await pollToEnd(sim, 'interactions', id);
			expect(res.json.data).toMatchObject({
				request_id: id,
				status: 'failed',
				interaction_type: 'following',
				platform: 'twitter',
			});
			expect(typeof res.json.data.error).toBe('string');
			expect(res.json.data.result).toBeUndefined();
		});

		test('empty results: interests {} / interactions [] / leads []', async () => {
			const i = (await submit(sim, 'interests', { name: 'Nobody [empty]' })).json.data.request_id;
			expect((await pollToEnd(sim, 'interests', i)).res.json.data).toMatchObject({
				status: 'completed',
				completed: true,
				result: {},
			});
			const x = (await submit(sim, 'interactions', { type: 'followers', username: 'ghost[empty]' }))
				.json.data.request_id;
			const xd = (await pollToEnd(sim, 'interactions', x)).res.json.data;
			expect(xd).toMatchObject({ status: 'completed', result_count: 0 });
			expect(xd.result).toMatchObject({ interactions: [], total_count: 0 });
			const l = (
				await submit(sim, 'leads', { search_description: 'Nobody matches this one [empty]' })
			).json.data.request_id;
			expect((await pollToEnd(sim, 'leads', l)).res.json.data).toMatchObject({
				status: 'completed',
				results_count: 0,
				results: [],
			});
		});

		test('behaviour hook wins over markers and sees the normalised body', async () => {
			const seen: any[] = [];
			const hooked = await startSimulator({
				timeScale: 0.001,
				rateWindowScale: 1,
				behaviour: (job) => {
					seen.push(job);
					if (job.kind === 'leads')
						return { outcome: 'failed', error: 'custom boom', latencyMs: 0 };
					if (job.kind === 'interactions') return { resultCount: 3 };
					return undefined;
				},
			});
			try {
				const l = (
					await submit(hooked, 'leads', { search_description: 'Completes normally [n=5]' })
				).json.data.request_id;
				expect((await pollToEnd(hooked, 'leads', l)).res.json.data).toMatchObject({
					status: 'failed',
					error: 'custom boom',
				});
				const x = (
					await submit(hooked, 'interactions', {
						interaction_type: 'followers',
						twitter_url: 'https://x.com/bob',
					})
				).json.data.request_id;
				expect((await pollToEnd(hooked, 'interactions', x)).res.json.data.result_count).toBe(3);
				expect(seen[1]).toMatchObject({
					kind: 'interactions',
					key: 'sim-key',
					body: { interaction_type: 'followers', username: 'bob', max_results: 100 },
				});
				expect(seen[1].rawBody).toEqual({
					interaction_type: 'followers',
					twitter_url: 'https://x.com/bob',
				});
				expect(seen[1].requestId).toMatch(REQUEST_ID_PATTERNS.interactions);
			} finally {
				await hooked.stop();
			}
		});

		test('credit ledger: charged once on completed non-empty results only', async () => {
			const ledger = await startSimulator({
				timeScale: 0.001,
				rateWindowScale: 1,
				keys: [{ key: 'sim-key', secret: 'sim-secret', credits: 20 }],
			});
			try {
				const ids: Record<string, string> = {};
				ids.interests = (await submit(ledger, 'interests', VALID.interests)).json.data.request_id;
				ids.interactions = (
					await submit(ledger, 'interactions', VALID.interactions)
				).json.data.request_id;
				ids.leads = (
					await submit(ledger, 'leads', { search_description: 'Some leads please [n=4]' })
				).json.data.request_id;
				ids.empty = (
					await submit(ledger, 'leads', { search_description: 'No leads please [empty]' })
				).json.data.request_id;
				ids.failed = (
					await submit(ledger, 'interests', { name: 'Broken [fail]' })
				).json.data.request_id;
				for (const id of Object.values(ids)) await ledger.waitForJob(id);
				// polling more is free
				for (let i = 0; i < 3; i++) await poll(ledger, 'interests', ids.interests);
				expect(ledger.getCharge(ids.interests)).toBe(CREDIT_COST.interests);
				expect(ledger.getCharge(ids.interactions)).toBe(3);
				expect(ledger.getCharge(ids.leads)).toBe(1);
				expect(ledger.getCharge(ids.empty)).toBe(0);
				expect(ledger.getCharge(ids.failed)).toBe(0);
				expect(ledger.getCredits('sim-key')).toBe(20 - 5 - 3 - 1);
				expect(
					ledger
						.getCharges('sim-key')
						.map((c) => c.credits)
						.sort(),
				).toEqual([1, 3, 5]);
				expect(ledger.getJob(ids.empty)!.outcome).toBe('empty');
				// a positive balance is required: at exactly 0 the next submit is refused
				ledger.setCredits('sim-key', 0);
				const refused = await submit(ledger, 'leads', VALID.leads);
				expect(refused.status).toBe(402);
				expect(refused.json.error.code).toBe('insufficient_credits');
				ledger.setCredits('sim-key', 1);
				expect((await submit(ledger, 'interests', VALID.interests)).status).toBe(202);
			} finally {
				await ledger.stop();
			}
		});

		test('request log and duplicate-submission counter', async () => {
			sim.resetLog();
			const first = await submit(sim, 'interactions', {
				type: 'followers',
				social_media_url: 'https://x.com/dupe',
				max_results: 50,
			});
			// same normalised body: alias names, @-prefix via username are irrelevant, max_results "50" == 50
			await submit(sim, 'interactions', {
				interaction_type: 'followers',
				twitter_url: 'https://x.com/dupe',
				max_results: '50',
			});
			await submit(sim, 'interactions', {
				type: 'followers',
				social_media_url: 'https://x.com/dupe',
				max_results: 51,
			});
			await submit(
				sim,
				'interactions',
				{ type: 'followers', social_media_url: 'https://x.com/dupe', max_results: 50 },
				{ key: 'k2', secret: 's2' },
			);
			await submit(sim, 'leads', { search_description: 'short' });
			await poll(sim, 'interactions', first.json.data.request_id);
			const counters = sim.getCounters();
			expect(counters).toMatchObject({
				requests: 6,
				submits: 5,
				accepted: 4,
				polls: 1,
				duplicateSubmissions: 1,
			});
			expect(counters.byStatus).toEqual({ 202: 4, 400: 1, 200: 1 });
			const log = sim.getLog();
			expect(log).toHaveLength(6);
			expect(log.map((e) => e.duplicate ?? false)).toEqual([
				false,
				true,
				false,
				false,
				false,
				false,
			]);
			expect(log[0]).toMatchObject({
				method: 'POST',
				path: '/person/interactions',
				kind: 'interactions',
				op: 'submit',
				status: 202,
				key: 'sim-key',
			});
			expect(log[3].key).toBe('k2');
			expect(log[4]).toMatchObject({
				status: 400,
				errorCode: 'invalid_search_description',
				kind: 'leads',
			});
			expect(log[5]).toMatchObject({
				op: 'poll',
				status: 200,
				requestId: first.json.data.request_id,
			});
			expect(log.map((e) => e.seq)).toEqual([...log.map((e) => e.seq)].sort((a, b) => a - b));
			sim.resetLog();
			expect(sim.getLog()).toEqual([]);
			expect(sim.getCounters().duplicateSubmissions).toBe(0);
			await submit(sim, 'interactions', {
				type: 'followers',
				social_media_url: 'https://x.com/dupe',
				max_results: 50,
			});
			expect(sim.getCounters().duplicateSubmissions).toBe(0);
		});
	});
});

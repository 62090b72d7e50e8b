import { startSimulator, type NyneSimulator } from '../../simulator';
import { call, poll, submit, VALID } from './helpers';

describe('simulator: validation, auth and documented status codes', () => {
	let sim: NyneSimulator;

	beforeAll(async () => {
		sim = await startSimulator({
			timeScale: 0.001,
			rateWindowScale: 1,
			rateLimit: { perMinute: 100_000, perHour: 1_000_000 },
			keys: [
				{ key: 'sim-key', secret: 'sim-secret' },
				{ key: 'broke', secret: 's', credits: 0 },
				{ key: 'nosub', secret: 's', subscriptionRequired: true },
				{ key: 'noleads', secret: 's', subscriptionRequired: ['leads'] },
				{ key: 'inactive', secret: 's', noActiveSubscription: true },
				{ key: 'fenced', secret: 's', allowedIps: ['10.1.2.3'] },
				{ key: 'local', secret: 's', allowedIps: ['127.0.0.1'] },
				{ key: 'old', secret: 's', expired: true },
			],
			callbackAllowList: ['hooks.example.com', '127.0.0.1:9999'],
		});
	});
	afterAll(() => sim.stop());

	const expectError = (res: { status: number; json: any }, status: number, code: string) => {
		expect(res.status).toBe(status);
		expect(res.json.success).toBe(false);
		expect(res.json.error.code).toBe(code);
		expect(typeof res.json.error.message).toBe('string');
		expect(res.json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	};

	test('202 for a valid submit of each kind', async () => {
		for (const kind of ['interests', 'interactions', 'leads'] as const) {
			const res = await submit(sim, kind, VALID[kind]);
			expect(res.status).toBe(202);
			expect(res.json.success).toBe(true);
		}
	});

	describe('400', () => {
		test('invalid_json for malformed bodies and non-objects', async () => {
			expectError(
				await call(sim, 'POST', '/person/leads', { rawBody: '{"search_description": ' }),
				400,
				'invalid_json',
			);
			expectError(
				await call(sim, 'POST', '/person/interests', { rawBody: '[1,2]' }),
				400,
				'invalid_json',
			);
			expectError(
				await call(sim, 'POST', '/person/interactions', { rawBody: '"text"' }),
				400,
				'invalid_json',
			);
		});

		test('missing_parameters', async () => {
			expectError(await submit(sim, 'interests', { company: 'Acme' }), 400, 'missing_parameters');
			expectError(
				await submit(sim, 'interests', { email: '  ', name: '' }),
				400,
				'missing_parameters',
			);
			expectError(await submit(sim, 'leads', {}), 400, 'missing_parameters');
			expectError(
				await submit(sim, 'interactions', { social_media_url: 'https://x.com/jane' }),
				400,
				'missing_parameters',
			);
			expectError(
				await submit(sim, 'interactions', { type: 'followers' }),
				400,
				'missing_parameters',
			);
			// replies need a tweet id (tweet_id or a /status/ URL)
			expectError(
				await submit(sim, 'interactions', {
					type: 'replies',
					social_media_url: 'https://x.com/jane',
				}),
				400,
				'missing_parameters',
			);
			// followers without URL need a username
			expectError(
				await submit(sim, 'interactions', { type: 'followers', tweet_id: '1234567890' }),
				400,
				'missing_parameters',
			);
			// GET without request_id
			expectError(await call(sim, 'GET', '/person/leads'), 400, 'missing_parameters');
		});

		test('invalid_search_description: 10-2000 characters', async () => {
			expectError(
				await submit(sim, 'leads', { search_description: 'too short' }),
				400,
				'invalid_search_description',
			);
			expectError(
				await submit(sim, 'leads', { search_description: 'x'.repeat(2001) }),
				400,
				'invalid_search_description',
			);
			expectError(
				await submit(sim, 'leads', { search_description: 12345678901 }),
				400,
				'invalid_search_description',
			);
			// Counted in code points: 🚀 is one character (two UTF-16 units).
			expectError(
				await submit(sim, 'leads', { search_description: '🚀'.repeat(9) }),
				400,
				'invalid_search_description',
			);
			expectError(
				await submit(sim, 'leads', { search_description: '🚀'.repeat(2001) }),
				400,
				'invalid_search_description',
			);
			expect((await submit(sim, 'leads', { search_description: '🚀'.repeat(10) })).status).toBe(
				202,
			);
			expect((await submit(sim, 'leads', { search_description: '🚀'.repeat(2000) })).status).toBe(
				202,
			);
			expect((await submit(sim, 'leads', { search_description: 'x'.repeat(10) })).status).toBe(202);
			expect((await submit(sim, 'leads', { search_description: 'y'.repeat(2000) })).status).toBe(
				202,
			);
		});

		test('invalid_callback_url: not http(s), unparsable, or host not on the allow-list', async () => {
			const base = VALID.leads;
			expectError(
				await submit(sim, 'leads', { ...base, callback_url: 'ftp://hooks.example.com/x' }),
				400,
				'invalid_callback_url',
			);
			expectError(
				await submit(sim, 'leads', { ...base, callback_url: 'not a url' }),
				400,
				'invalid_callback_url',
			);
			expectError(
				await submit(sim, 'interests', {
					...VALID.interests,
					callback_url: 'https://evil.example.org/hook',
				}),
				400,
				'invalid_callback_url',
			);
			expectError(
				await submit(sim, 'interactions', { ...VALID.interactions, callback_url: 42 }),
				400,
				'invalid_callback_url',
			);
			// Accepted on the allow-list (by host, by host:port). [never]: these jobs never finish, so the simulator
			// never calls these addresses, which nobody in this test listens on.
			const never = { ...base, search_description: `${base.search_description} [never]` };
			const byHost = await submit(sim, 'leads', {
				...never,
				callback_url: 'https://hooks.example.com/leads',
			});
			const byHostAndPort = await submit(sim, 'leads', {
				...never,
				callback_url: 'http://127.0.0.1:9999/cb',
			});
			expect([byHost.status, byHostAndPort.status]).toEqual([202, 202]);
			for (const accepted of [byHost, byHostAndPort]) {
				expect(sim.getJob(accepted.json.data.request_id)).toEqual(
					expect.objectContaining({ outcome: 'never', callbackUrl: expect.any(String) }),
				);
			}
		});

		test('invalid_interaction_type, including replies on Instagram', async () => {
			expectError(
				await submit(sim, 'interactions', {
					type: 'likes',
					social_media_url: 'https://x.com/jane',
				}),
				400,
				'invalid_interaction_type',
			);
			expectError(
				await submit(sim, 'interactions', {
					type: 'replies,followers',
					social_media_url: 'https://x.com/jane',
				}),
				400,
				'invalid_interaction_type',
			);
			expectError(
				await submit(sim, 'interactions', {
					type: 'replies',
					social_media_url: 'https://www.instagram.com/jane',
					tweet_id: '1234567890',
				}),
				400,
				'invalid_interaction_type',
			);
			for (const type of [
				'followers',
				'following',
				'followers,following',
				'following, followers',
			]) {
				const res = await submit(sim, 'interactions', {
					type,
					social_media_url: 'https://www.instagram.com/jane',
				});
				expect(res.status).toBe(202);
				expect(res.json.data.platform).toBe('instagram');
			}
		});

		test('invalid_url: unsupported platform or not a URL', async () => {
			expectError(
				await submit(sim, 'interactions', {
					type: 'followers',
					social_media_url: 'https://www.linkedin.com/in/jane',
				}),
				400,
				'invalid_url',
			);
			expectError(
				await submit(sim, 'interactions', { type: 'followers', social_media_url: 'http://' }),
				400,
				'invalid_url',
			);
			// Mobile hosts are refused (observed from Nyne, not documented).
			for (const url of [
				'https://mobile.twitter.com/jane',
				'https://mobile.x.com/jane',
				'https://m.instagram.com/jane',
			]) {
				expectError(
					await submit(sim, 'interactions', { type: 'followers', social_media_url: url }),
					400,
					'invalid_url',
				);
			}
			expectError(
				await submit(sim, 'interactions', {
					type: 'replies',
					social_media_url: 'https://x.com/jane/status/123',
				}),
				400,
				'invalid_url',
			);
			expectError(
				await submit(sim, 'interests', { social_media_url: 'mailto:jane@example.com' }),
				400,
				'invalid_url',
			);
		});

		test('invalid_email for interests and invalid_parameters for other malformed fields', async () => {
			expectError(await submit(sim, 'interests', { email: 'not-an-email' }), 400, 'invalid_email');
			expectError(await submit(sim, 'interests', { email: 'a@b' }), 400, 'invalid_email');
			expectError(await submit(sim, 'interests', { name: ['Jane'] }), 400, 'invalid_parameters');
			expectError(
				await submit(sim, 'interactions', { type: 'replies', tweet_id: '123' }),
				400,
				'invalid_parameters',
			);
			expectError(
				await submit(sim, 'interactions', { ...VALID.interactions, max_results: 'lots' }),
				400,
				'invalid_parameters',
			);
		});
	});

	describe('interactions aliases and inference', () => {
		test('twitter_url and interaction_type aliases are accepted', async () => {
			const res = await submit(sim, 'interactions', {
				interaction_type: 'following',
				twitter_url: 'https://twitter.com/janedoe',
			});
			expect(res.status).toBe(202);
			expect(res.json.data.interaction_type).toBe('following');
			expect(res.json.data.platform).toBe('twitter');
		});

		test('replies: tweet id from a /status/ URL or from tweet_id; username-only lookups', async () => {
			const a = await submit(sim, 'interactions', {
				type: 'replies',
				social_media_url: 'https://twitter.com/elonmusk/status/1234567890',
			});
			expect(a.status).toBe(202);
			expect(sim.getJob(a.json.data.request_id)!.body).toMatchObject({
				tweet_id: '1234567890',
				username: 'elonmusk',
			});
			const b = await submit(sim, 'interactions', {
				type: 'replies',
				tweet_id: '1234567890123456789',
			});
			expect(b.status).toBe(202);
			const c = await submit(sim, 'interactions', { type: 'followers', username: '@janedoe' });
			expect(c.status).toBe(202);
			expect(sim.getJob(c.json.data.request_id)!.body).toMatchObject({
				username: 'janedoe',
				platform: 'twitter',
			});
		});

		test('max_results defaults to 100 and is clamped to 10-1000', async () => {
			const cases: Array<[unknown, number]> = [
				[undefined, 100],
				[5, 10],
				[5000, 1000],
				['250', 250],
			];
			for (const [max, expected] of cases) {
				const res = await submit(sim, 'interactions', {
					type: 'followers',
					social_media_url: 'https://x.com/clamp',
					max_results: max,
				});
				expect(res.status).toBe(202);
				expect(sim.getJob(res.json.data.request_id)!.body.max_results).toBe(expected);
			}
		});
	});

	describe('401', () => {
		test('missing_credentials when a header is absent', async () => {
			expectError(
				await submit(sim, 'leads', VALID.leads, { key: null }),
				401,
				'missing_credentials',
			);
			expectError(
				await submit(sim, 'leads', VALID.leads, { secret: null }),
				401,
				'missing_credentials',
			);
			expectError(
				await call(sim, 'GET', '/person/interests?request_id=x', { key: null, secret: null }),
				401,
				'missing_credentials',
			);
		});

		test('invalid_credentials for an unknown key or a wrong secret; api_key_expired', async () => {
			expectError(
				await submit(sim, 'leads', VALID.leads, { key: 'nope' }),
				401,
				'invalid_credentials',
			);
			expectError(
				await submit(sim, 'leads', VALID.leads, { secret: 'wrong' }),
				401,
				'invalid_credentials',
			);
			expectError(
				await submit(sim, 'leads', VALID.leads, { key: 'old', secret: 's' }),
				401,
				'api_key_expired',
			);
		});

		test('401 responses carry no rate-limit headers; leads also accepts query-parameter credentials', async () => {
			const res = await submit(sim, 'leads', VALID.leads, { key: null, secret: null });
			expect(res.headers['x-ratelimit-limit']).toBeUndefined();
			const viaQuery = await call(
				sim,
				'POST',
				'/person/leads?api_key=sim-key&api_secret=sim-secret',
				{ key: null, secret: null, body: VALID.leads },
			);
			expect(viaQuery.status).toBe(202);
			const notOnInterests = await call(
				sim,
				'POST',
				'/person/interests?api_key=sim-key&api_secret=sim-secret',
				{
					key: null,
					secret: null,
					body: VALID.interests,
				},
			);
			expectError(notOnInterests, 401, 'missing_credentials');
		});
	});

	test('402 insufficient_credits on submit; polling stays free', async () => {
		const res = await submit(sim, 'interests', VALID.interests, { key: 'broke', secret: 's' });
		expectError(res, 402, 'insufficient_credits');
		expect(res.headers['x-ratelimit-limit']).toBe('100000');
		// validation runs first
		expectError(
			await submit(sim, 'leads', {}, { key: 'broke', secret: 's' }),
			400,
			'missing_parameters',
		);
		expectError(
			await poll(sim, 'leads', 'f'.repeat(64), { key: 'broke', secret: 's' }),
			404,
			'not_found',
		);
	});

	test('creditCheckOnPoll: polls need a positive balance too', async () => {
		const strict = await startSimulator({
			creditCheckOnPoll: true,
			keys: [{ key: 'k', secret: 's', credits: 0 }],
		});
		try {
			expectError(
				await poll(strict, 'interests', 'x', { key: 'k', secret: 's' }),
				402,
				'insufficient_credits',
			);
		} finally {
			await strict.stop();
		}
	});

	test('403 subscription_required, no_active_subscription and ip_not_allowed', async () => {
		expectError(
			await submit(sim, 'interests', VALID.interests, { key: 'nosub', secret: 's' }),
			403,
			'subscription_required',
		);
		expectError(
			await submit(sim, 'leads', VALID.leads, { key: 'noleads', secret: 's' }),
			403,
			'subscription_required',
		);
		expect(
			(await submit(sim, 'interests', VALID.interests, { key: 'noleads', secret: 's' })).status,
		).toBe(202);
		expectError(
			await submit(sim, 'leads', VALID.leads, { key: 'inactive', secret: 's' }),
			403,
			'no_active_subscription',
		);
		expectError(
			await submit(sim, 'leads', VALID.leads, { key: 'fenced', secret: 's' }),
			403,
			'ip_not_allowed',
		);
		expect((await submit(sim, 'leads', VALID.leads, { key: 'local', secret: 's' })).status).toBe(
			202,
		);
	});

	test('403 flags can be changed at runtime', async () => {
		sim.updateKey('local', { subscriptionRequired: true });
		expectError(
			await submit(sim, 'leads', VALID.leads, { key: 'local', secret: 's' }),
			403,
			'subscription_required',
		);
		sim.updateKey('local', { subscriptionRequired: false });
		expect((await submit(sim, 'leads', VALID.leads, { key: 'local', secret: 's' })).status).toBe(
			202,
		);
	});

	test('404 request_not_found for unknown ids, ids of another key, ids of another endpoint and expired jobs', async () => {
		const mine = await submit(sim, 'interests', VALID.interests);
		const id = mine.json.data.request_id as string;
		expect((await poll(sim, 'interests', id)).status).toBe(200);
		expectError(
			await poll(sim, 'interests', 'a'.repeat(32) + '_1717000000_4271'),
			404,
			'request_not_found',
		);
		expectError(
			await poll(sim, 'interests', id, { key: 'local', secret: 's' }),
			404,
			'request_not_found',
		);
		expectError(await poll(sim, 'interactions', id), 404, 'request_not_found');
		expect(sim.expire(id)).toBe(true);
		expectError(await poll(sim, 'interests', id), 404, 'request_not_found');
		expect(sim.expire('unknown')).toBe(false);
		// the leads page documents `not_found` as its 404 code
		expectError(await poll(sim, 'leads', 'b'.repeat(64)), 404, 'not_found');
	});

	test('404 not_found for unknown paths and 405 for other methods', async () => {
		expectError(await call(sim, 'GET', '/person/newsfeed'), 404, 'not_found');
		const res = await call(sim, 'PUT', '/person/leads', { body: VALID.leads });
		expectError(res, 405, 'method_not_allowed');
		expect(res.headers.allow).toBe('GET, POST');
	});

	test('500 internal_error and 503 service_unavailable via markers', async () => {
		expectError(
			await submit(sim, 'leads', { search_description: 'Founders raising seed rounds [http500]' }),
			500,
			'internal_error',
		);
		expectError(
			await submit(sim, 'interests', { name: 'Jane [http503]' }),
			503,
			'service_unavailable',
		);
	});

	test('every error code seen is counted', () => {
		const codes = sim.getCounters().byErrorCode;
		for (const code of [
			'invalid_json',
			'missing_parameters',
			'invalid_search_description',
			'invalid_callback_url',
			'invalid_interaction_type',
			'invalid_url',
			'invalid_email',
			'invalid_parameters',
			'missing_credentials',
			'invalid_credentials',
			'api_key_expired',
			'insufficient_credits',
			'subscription_required',
			'no_active_subscription',
			'ip_not_allowed',
			'request_not_found',
			'not_found',
			'internal_error',
			'service_unavailable',
		]) {
			expect(codes[code]).toBeGreaterThan(0);
		}
	});
});

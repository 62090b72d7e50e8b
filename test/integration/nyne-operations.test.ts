import { runNode } from '../harness';
import type { NyneSimulator } from '../simulator';
import {
	credentialsFor,
	fastSimulator,
	FAST_WAIT,
	pollData,
	recordSubmittedBodies,
	storedError,
} from './fixtures';

let sim: NyneSimulator;
const sent = recordSubmittedBodies();
beforeAll(async () => {
	sim = await fastSimulator({ behaviour: sent.behaviour });
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.resetLog());

function submittedIds(): string[] {
	return sim
		.getLog()
		.filter((entry) => entry.op === 'submit' && entry.status === 202)
		.map((entry) => entry.requestId as string);
}

describe('Search Leads', () => {
	it('waits and outputs one item per lead, exactly as Nyne returns it, plus request_id', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'Startup founders discussing seed rounds [n=4]',
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		const [requestId] = submittedIds();
		const leads = (await pollData(sim, '/person/leads', requestId)).results as Array<
			Record<string, unknown>
		>;
		expect(leads).toHaveLength(4);
		expect(items.map((item) => item.json)).toEqual(
			leads.map((lead) => ({ ...lead, request_id: requestId })),
		);
		expect(items[0].json).toEqual(
			expect.objectContaining({
				platform: expect.any(String),
				post_url: expect.any(String),
				post_content: expect.any(String),
				post_date: expect.any(String),
				author: expect.objectContaining({ name: expect.any(String), username: expect.any(String) }),
				engagement: expect.objectContaining({ likes: expect.any(Number) }),
			}),
		);
		expect(
			items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 })),
		).toBe(true);
	});

	it('outputs no items when Nyne finds no leads, and charges nothing', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'Nobody at all matches this [empty]',
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(sim.getCharge(submittedIds()[0])).toBe(0);
	});

	it('with Split Results off, outputs one item with Nyne’s whole data', async () => {
		const { items } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'CTOs at fintech companies discussing cloud migration [n=3]',
				options: { ...FAST_WAIT, splitResults: false },
			},
			credentials: credentialsFor(sim),
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(
			expect.objectContaining({
				request_id: submittedIds()[0],
				status: 'completed',
				results_count: 3,
			}),
		);
		expect(items[0].json.results).toHaveLength(3);
	});

	it('in Submit Only mode outputs Nyne’s 202 data per input and does not poll', async () => {
		const { items } = await runNode({
			parameters: {
				operation: 'searchLeads',
				mode: 'submit',
				searchDescription: '={{ $json.topic }}',
			},
			items: [
				{ topic: 'Real estate agents looking for a CRM' },
				{ topic: 'HR leaders talking about engagement' },
			],
			credentials: credentialsFor(sim),
		});
		expect(items).toHaveLength(2);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual(
			expect.objectContaining({
				request_id: expect.stringMatching(/^[0-9a-f]{64}$/),
				status: 'queued',
			}),
		);
		expect(sim.getCounters()).toEqual(expect.objectContaining({ submits: 2, polls: 0 }));
	});
});

describe('Get Interests', () => {
	it('outputs the result sections at top level with request_id and status, sending only fields that are set', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'getInterests',
				email: 'jane.doe@example.com',
				name: ' Jane Doe ',
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		const [requestId] = submittedIds();
		expect(sent.bodies.get(requestId)).toEqual({ email: 'jane.doe@example.com', name: 'Jane Doe' });
		const result = (await pollData(sim, '/person/interests', requestId)).result as Record<
			string,
			unknown
		>;
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ ...result, request_id: requestId, status: 'completed' });
		expect(items[0].json.request_id).toMatch(/^[0-9a-f]{32}_\d{10}_\d{4}$/);
	});

	it('treats emails case-insensitively: one job for the same person, sent lower-cased, one result each', async () => {
		const { items, error } = await runNode({
			parameters: { operation: 'getInterests', email: '={{ $json.email }}', options: FAST_WAIT },
			items: [
				{ email: 'Ada@Example.com' },
				{ email: 'ada@example.com' },
				{ email: ' ADA@EXAMPLE.COM ' },
			],
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		const ids = submittedIds();
		expect(ids).toHaveLength(1);
		expect(sent.bodies.get(ids[0])).toEqual({ email: 'ada@example.com' });
		expect(sim.getCounters()).toEqual(
			expect.objectContaining({ submits: 1, duplicateSubmissions: 0 }),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.request_id)).toEqual([ids[0], ids[0], ids[0]]);
	});

	it('keeps sections Nyne omitted absent (no invented empty sections)', async () => {
		const { items } = await runNode({
			parameters: {
				operation: 'getInterests',
				name: 'Pat Quiet [empty]',
				company: 'Nowhere Inc',
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].json).sort()).toEqual(['request_id', 'status']);
	});
});

describe('Get Interactions', () => {
	it('outputs one item per follower with request_id, interaction_type, platform and target', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'getInteractions',
				socialMediaUrl: 'https://x.com/janedoe',
				interactionType: 'followers',
				maxResults: 12,
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		const [requestId] = submittedIds();
		expect(sent.bodies.get(requestId)).toEqual({
			type: 'followers',
			social_media_url: 'https://x.com/janedoe',
			max_results: 12,
		});
		expect(items).toHaveLength(12);
		for (const item of items) {
			expect(item.json).toEqual(
				expect.objectContaining({
					username: expect.any(String),
					followers_count: expect.any(Number),
					request_id: requestId,
					interaction_type: 'followers',
					platform: 'twitter',
					target: expect.objectContaining({ username: 'janedoe' }),
				}),
			);
		}
	});

	it('keeps each entry’s own relation for Followers and Following', async () => {
		const { items } = await runNode({
			parameters: {
				operation: 'getInteractions',
				socialMediaUrl: 'https://www.instagram.com/janedoe/',
				interactionType: 'followers,following',
				maxResults: 20,
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		const relations = new Set(items.map((item) => item.json.interaction_type));
		expect(relations).toEqual(new Set(['followers', 'following']));
		expect(items.every((item) => item.json.platform === 'instagram')).toBe(true);
	});

	it('reads the tweet id from a /status/ URL for replies', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'getInteractions',
				socialMediaUrl: 'https://twitter.com/janedoe/status/1234567890123',
				interactionType: 'replies',
				maxResults: 10,
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		expect(sent.bodies.get(submittedIds()[0])).toEqual({
			type: 'replies',
			social_media_url: 'https://twitter.com/janedoe/status/1234567890123',
			tweet_id: '1234567890123',
			max_results: 10,
		});
		expect(items.length).toBeGreaterThan(0);
		expect(items[0].json).toEqual(
			expect.objectContaining({ reply_text: expect.any(String), interaction_type: 'replies' }),
		);
	});

	it('looks up by username alone when no URL is given, building the X/Twitter profile URL', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'getInteractions',
				username: '@janedoe',
				interactionType: 'following',
				maxResults: 10,
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		expect(sent.bodies.get(submittedIds()[0])).toEqual({
			type: 'following',
			social_media_url: 'https://x.com/janedoe',
			username: 'janedoe',
			max_results: 10,
		});
		expect(items).toHaveLength(10);
	});
});

describe('Get Job', () => {
	it('fetches a job submitted earlier: its status, then its result once completed', async () => {
		const submitted = await runNode({
			parameters: {
				operation: 'searchLeads',
				mode: 'submit',
				searchDescription: 'Founders hiring their first sales rep [n=2]',
			},
			credentials: credentialsFor(sim),
		});
		const requestId = submitted.items[0].json.request_id as string;
		await sim.waitForJob(requestId, 10_000);
		const { items, error } = await runNode({
			parameters: { operation: 'getJob', jobType: 'leads', requestId: '={{ $json.request_id }}' },
			items: [submitted.items[0].json],
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(
			expect.objectContaining({ request_id: requestId, status: 'completed', results_count: 2 }),
		);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('reports an unknown request id as not found, with the id', async () => {
		const requestId = 'f'.repeat(64);
		const { error } = await runNode({
			parameters: { operation: 'getJob', jobType: 'leads', requestId },
			credentials: credentialsFor(sim),
		});
		expect(error?.message).toContain(requestId);
		expect(storedError(error)?.httpCode).toBe('404');
	});
});

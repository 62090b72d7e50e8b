import type { IDataObject } from 'n8n-workflow';

import { jobResultItems, readCallback } from '../../../nodes/shared/jobOutput';

// Callback bodies as Nyne's documentation shows them (shared/nyne-api).
const DOC_LEADS_CALLBACK = {
	request_id: 'a7f8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
	status: 'completed',
	completed: true,
	results_count: 1,
	results: [
		{
			platform: 'linkedin',
			post_url: 'https://www.linkedin.com/feed/update/1',
			author: { name: 'Sarah Chen' },
			engagement: { likes: 234 },
		},
	],
	timestamp: '2026-01-14T15:31:45Z',
};
const DOC_INTERACTIONS_CALLBACK = {
	request_id: 'interaction_abc123def456_1234567890_1111',
	status: 'completed',
	interaction_type: 'followers',
	platform: 'twitter',
	data: {
		interaction_type: 'followers',
		source_platform: 'twitter',
		target: { username: 'elonmusk', profile_url: 'https://twitter.com/elonmusk' },
		interactions: [{ username: 'follower123', followers_count: 1234, verified: false }],
		total_count: 1,
	},
	result_count: 1,
};
const DOC_INTERESTS_CALLBACK = {
	request_id: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4_1717000000_4271',
	status: 'completed',
	completed: true,
	result: {
		core_profile: { archetypes: ['Tech Leader'], supporting_accounts: ['@techcrunch'] },
		following_count: 2847,
	},
	completed_on: '2026-01-15T10:31:00Z',
};

const shaped = (body: Record<string, unknown>) => {
	const callback = readCallback(body as IDataObject);
	if (!callback?.shaped) throw new Error(`not shaped: ${JSON.stringify(callback)}`);
	return callback;
};

describe('readCallback: the job kind', () => {
	it('recognises each documented callback shape from its fields', () => {
		expect(shaped(DOC_LEADS_CALLBACK).kind).toBe('leads');
		expect(shaped(DOC_INTERACTIONS_CALLBACK).kind).toBe('interactions');
		expect(shaped(DOC_INTERESTS_CALLBACK).kind).toBe('interests');
	});

	it('reads the kind from the fields before the request-id format', () => {
		// A leads-looking id, but the body is an interactions job: the fields win.
		const body = { ...DOC_INTERACTIONS_CALLBACK, request_id: 'f'.repeat(64) };
		expect(shaped(body).kind).toBe('interactions');
		const {
			interaction_type: _type,
			platform: _platform,
			...withoutTopLevelType
		} = DOC_INTERACTIONS_CALLBACK;
		expect(shaped({ ...withoutTopLevelType, request_id: 'x-1' }).kind).toBe('interactions');
		expect(
			shaped({
				request_id: 'x-2',
				status: 'completed',
				data: { core_profile: { archetypes: ['Builder'] } },
			}).kind,
		).toBe('interests');
	});

	it('does not take an interactions job carrying results_count for an empty leads job', () => {
		const body = { ...DOC_INTERACTIONS_CALLBACK, results_count: 1 };
		delete (body as Record<string, unknown>).result_count;
		const callback = shaped(body);
		expect(callback.kind).toBe('interactions');
		expect(jobResultItems('interactions', callback.jobData, true)).toHaveLength(1);
	});

	it('falls back to the request-id format when a failed job carries no result fields', () => {
		const failed = (requestId: string) => ({
			request_id: requestId,
			status: 'failed',
			error: 'boom',
		});
		expect(shaped(failed(DOC_LEADS_CALLBACK.request_id)).kind).toBe('leads');
		expect(shaped(failed(DOC_INTERACTIONS_CALLBACK.request_id)).kind).toBe('interactions');
		expect(shaped(failed(DOC_INTERESTS_CALLBACK.request_id)).kind).toBe('interests');
		expect(readCallback(failed('not-a-nyne-id'))).toEqual({
			shaped: false,
			requestId: 'not-a-nyne-id',
			status: 'failed',
		});
	});

	it('is undefined only without a request_id', () => {
		expect(readCallback({ status: 'completed', results: [] })).toBeUndefined();
		expect(readCallback({ request_id: '  ', status: 'completed' })).toBeUndefined();
		expect(readCallback({ success: true, data: { status: 'completed' } })).toBeUndefined();
	});
});

describe('readCallback: where the result is', () => {
	const lead = DOC_LEADS_CALLBACK.results[0];
	const section = DOC_INTERESTS_CALLBACK.result;
	const interactions = DOC_INTERACTIONS_CALLBACK.data;

	it.each([
		[
			'{success, data, timestamp} envelope',
			{ success: true, data: DOC_LEADS_CALLBACK, timestamp: '2026-01-14T15:31:45Z' },
		],
		[
			'leads under data',
			{
				request_id: DOC_LEADS_CALLBACK.request_id,
				status: 'completed',
				data: [lead],
				result_count: 1,
			},
		],
		[
			'leads under result',
			{ request_id: DOC_LEADS_CALLBACK.request_id, status: 'completed', result: [lead] },
		],
		[
			'leads under data.results',
			{ request_id: DOC_LEADS_CALLBACK.request_id, status: 'completed', data: { results: [lead] } },
		],
	])('leads: %s', (_label, body) => {
		const callback = shaped(body as Record<string, unknown>);
		expect(callback.kind).toBe('leads');
		expect(jobResultItems('leads', callback.jobData, true)).toEqual([
			{ ...lead, request_id: DOC_LEADS_CALLBACK.request_id },
		]);
		expect(jobResultItems('leads', callback.jobData, false)[0]).toEqual(
			expect.objectContaining({ results: [lead], results_count: 1 }),
		);
	});

	it.each([
		[
			'{success, data, timestamp} envelope',
			{ success: true, data: DOC_INTERESTS_CALLBACK, timestamp: '2026-01-01T00:00:00' },
		],
		[
			'sections under data',
			{ request_id: DOC_INTERESTS_CALLBACK.request_id, status: 'completed', data: section },
		],
		[
			'sections under results',
			{ request_id: DOC_INTERESTS_CALLBACK.request_id, status: 'completed', results: section },
		],
		[
			'envelope with the sections under data',
			{
				success: true,
				data: { request_id: DOC_INTERESTS_CALLBACK.request_id, status: 'completed', data: section },
			},
		],
		[
			'sections at top level',
			{ request_id: DOC_INTERESTS_CALLBACK.request_id, status: 'completed', ...section },
		],
	])('interests: %s', (_label, body) => {
		const callback = shaped(body as Record<string, unknown>);
		expect(callback.kind).toBe('interests');
		expect(jobResultItems('interests', callback.jobData, true)).toEqual([
			expect.objectContaining({
				core_profile: section.core_profile,
				request_id: DOC_INTERESTS_CALLBACK.request_id,
				status: 'completed',
			}),
		]);
	});

	it.each([
		[
			'envelope',
			{ success: true, data: DOC_INTERACTIONS_CALLBACK, timestamp: '2026-01-01T00:00:00' },
		],
		[
			'result under result',
			{ ...DOC_INTERACTIONS_CALLBACK, data: undefined, result: interactions },
		],
		[
			'result under results, with results_count',
			{
				request_id: DOC_INTERACTIONS_CALLBACK.request_id,
				status: 'completed',
				results: interactions,
				results_count: 1,
			},
		],
		[
			'interactions at top level',
			{
				request_id: DOC_INTERACTIONS_CALLBACK.request_id,
				status: 'completed',
				interaction_type: 'followers',
				interactions: interactions.interactions,
			},
		],
		[
			'the entries as a list under results',
			{
				request_id: DOC_INTERACTIONS_CALLBACK.request_id,
				status: 'completed',
				interaction_type: 'followers',
				results: interactions.interactions,
				results_count: 1,
			},
		],
	])('interactions: %s', (_label, body) => {
		const callback = shaped(body as Record<string, unknown>);
		expect(callback.kind).toBe('interactions');
		expect(jobResultItems('interactions', callback.jobData, true)).toEqual([
			expect.objectContaining({
				username: 'follower123',
				request_id: DOC_INTERACTIONS_CALLBACK.request_id,
				interaction_type: 'followers',
			}),
		]);
	});

	it('reads a zero count as an empty job, and a result it cannot find as unshaped', () => {
		const empty = shaped({
			request_id: DOC_LEADS_CALLBACK.request_id,
			status: 'completed',
			results_count: 0,
		});
		expect(jobResultItems('leads', empty.jobData, true)).toEqual([]);
		const emptyInteractions = shaped({
			request_id: DOC_INTERACTIONS_CALLBACK.request_id,
			status: 'completed',
			data: {},
			result_count: 0,
		});
		expect(jobResultItems('interactions', emptyInteractions.jobData, true)).toEqual([]);
		// Says it has 3 leads but carries them nowhere we know: not an empty job.
		expect(
			readCallback({
				request_id: DOC_LEADS_CALLBACK.request_id,
				status: 'completed',
				results_count: 3,
				leads: [lead],
			}),
		).toEqual({
			shaped: false,
			requestId: DOC_LEADS_CALLBACK.request_id,
			status: 'completed',
		});
		// An interests id with no result anywhere.
		expect(
			readCallback({
				request_id: DOC_INTERESTS_CALLBACK.request_id,
				status: 'completed',
				profile: section,
			})?.shaped,
		).toBe(false);
	});

	it('reads failed in any case, with the error from error or message', () => {
		const callback = shaped({
			request_id: DOC_LEADS_CALLBACK.request_id,
			status: 'FAILED',
			message: 'Provider timed out',
		});
		expect(jobResultItems('leads', callback.jobData, true)).toEqual([
			{ request_id: DOC_LEADS_CALLBACK.request_id, status: 'failed', error: 'Provider timed out' },
		]);
	});
});

describe('jobResultItems on callbacks', () => {
	it('splits an interactions callback (result nested under data) into entries with the job’s identifiers', () => {
		const items = jobResultItems('interactions', shaped(DOC_INTERACTIONS_CALLBACK).jobData, true);
		expect(items).toEqual([
			{
				username: 'follower123',
				followers_count: 1234,
				verified: false,
				request_id: DOC_INTERACTIONS_CALLBACK.request_id,
				interaction_type: 'followers',
				platform: 'twitter',
				target: DOC_INTERACTIONS_CALLBACK.data.target,
			},
		]);
	});

	it('puts the interests sections at top level with request_id and status', () => {
		expect(jobResultItems('interests', shaped(DOC_INTERESTS_CALLBACK).jobData, true)).toEqual([
			{
				...DOC_INTERESTS_CALLBACK.result,
				request_id: DOC_INTERESTS_CALLBACK.request_id,
				status: 'completed',
			},
		]);
	});

	it('gives one item per lead, or the whole job without splitting', () => {
		const data = shaped(DOC_LEADS_CALLBACK).jobData;
		expect(jobResultItems('leads', data, true)).toEqual([
			{ ...DOC_LEADS_CALLBACK.results[0], request_id: DOC_LEADS_CALLBACK.request_id },
		]);
		expect(jobResultItems('leads', data, false)).toEqual([DOC_LEADS_CALLBACK]);
	});
});

describe('Followers and Following: which list each entry came from', () => {
	const job = (result: Record<string, unknown>) => ({
		request_id: 'interaction_a1b2c3d4e5f6a1b2_1717000000_4271',
		status: 'completed',
		interaction_type: 'followers,following',
		result: {
			interaction_type: 'followers,following',
			platform: 'instagram',
			target: { username: 'jane' },
			...result,
		},
	});
	const lists = (result: Record<string, unknown>) =>
		jobResultItems('interactions', job(result), true).map((item) => [
			item.username,
			item.interaction_type,
		]);

	it('takes Nyne’s per-entry interaction_type (or type, singular spellings too)', () => {
		expect(
			lists({
				interactions: [
					{ username: 'a', interaction_type: 'followers' },
					{ username: 'b', interaction_type: 'following' },
					{ username: 'c', type: 'follower' },
					{ username: 'd', type: 'Following' },
				],
			}),
		).toEqual([
			['a', 'followers'],
			['b', 'following'],
			['c', 'followers'],
			['d', 'following'],
		]);
	});

	it('reads separate followers and following lists', () => {
		expect(
			lists({ followers: [{ username: 'a' }], following: [{ username: 'b' }, { username: 'c' }] }),
		).toEqual([
			['a', 'followers'],
			['b', 'following'],
			['c', 'following'],
		]);
	});

	it('says followers,following for an entry Nyne does not tag', () => {
		expect(lists({ interactions: [{ username: 'a' }] })).toEqual([['a', 'followers,following']]);
	});
});

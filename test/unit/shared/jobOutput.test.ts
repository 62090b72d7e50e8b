import { callbackToJobData, detectJobKind, jobResultItems } from '../../../nodes/Nyne/shared/jobOutput';

// Callback bodies as Nyne's documentation shows them (shared/nyne-api).
const DOC_LEADS_CALLBACK = {
	request_id: 'a7f8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
	status: 'completed',
	completed: true,
	results_count: 1,
	results: [{ platform: 'linkedin', post_url: 'https://www.linkedin.com/feed/update/1', author: { name: 'Sarah Chen' }, engagement: { likes: 234 } }],
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
	result: { core_profile: { archetypes: ['Tech Leader'], supporting_accounts: ['@techcrunch'] }, following_count: 2847 },
	completed_on: '2026-01-15T10:31:00Z',
};

describe('detectJobKind', () => {
	it('recognises each documented callback shape from its fields', () => {
		expect(detectJobKind(DOC_LEADS_CALLBACK)).toBe('leads');
		expect(detectJobKind(DOC_INTERACTIONS_CALLBACK)).toBe('interactions');
		expect(detectJobKind(DOC_INTERESTS_CALLBACK)).toBe('interests');
	});

	it('falls back to the request-id format when a failed job carries no result fields', () => {
		const failed = (requestId: string) => ({ request_id: requestId, status: 'failed', error: 'boom' });
		expect(detectJobKind(failed(DOC_LEADS_CALLBACK.request_id))).toBe('leads');
		expect(detectJobKind(failed(DOC_INTERACTIONS_CALLBACK.request_id))).toBe('interactions');
		expect(detectJobKind(failed(DOC_INTERESTS_CALLBACK.request_id))).toBe('interests');
		expect(detectJobKind(failed('not-a-nyne-id'))).toBeUndefined();
	});
});

describe('jobResultItems on callbacks', () => {
	it('splits an interactions callback (result nested under data) into entries with the job’s identifiers', () => {
		const items = jobResultItems('interactions', callbackToJobData('interactions', DOC_INTERACTIONS_CALLBACK), true);
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
		expect(jobResultItems('interests', callbackToJobData('interests', DOC_INTERESTS_CALLBACK), true)).toEqual([
			{ ...DOC_INTERESTS_CALLBACK.result, request_id: DOC_INTERESTS_CALLBACK.request_id, status: 'completed' },
		]);
	});

	it('gives one item per lead, or the whole job without splitting', () => {
		const data = callbackToJobData('leads', DOC_LEADS_CALLBACK);
		expect(jobResultItems('leads', data, true)).toEqual([{ ...DOC_LEADS_CALLBACK.results[0], request_id: DOC_LEADS_CALLBACK.request_id }]);
		expect(jobResultItems('leads', data, false)).toEqual([DOC_LEADS_CALLBACK]);
	});
});

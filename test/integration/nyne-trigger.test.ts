import {
	NodeHelpers,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

import { NyneTrigger } from '../../nodes/NyneTrigger/NyneTrigger.node';

import { runNode, startWebhookHarness, type WebhookHarness } from '../harness';
import type { NyneSimulator } from '../simulator';
import { credentialsFor, fastSimulator, FAST_WAIT } from './fixtures';

let sim: NyneSimulator;
let trigger: WebhookHarness | undefined;
beforeAll(async () => {
	sim = await fastSimulator({ callbackScale: 0.01 });
});
afterAll(async () => {
	await sim.stop();
});
afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});

const TOKEN = 'tok-7f3a9c2e51';

async function startTrigger(parameters: INodeParameters = {}): Promise<WebhookHarness> {
	trigger = await startWebhookHarness({ nodeType: 'nyneTrigger', parameters });
	return trigger;
}

const withoutIds = (items: INodeExecutionData[]) =>
	items.map(({ json }) => {
		const { request_id: _requestId, job_type: _jobType, ...rest } = json;
		return rest;
	});

/** Submits with the trigger as callback URL, waits for Nyne's delivery, returns the request id. */
async function submitWithCallback(
	parameters: INodeParameters,
	callbackUrl: string,
): Promise<string> {
	const { items, error } = await runNode({
		parameters: { ...parameters, mode: 'submit', options: { callbackUrl } },
		credentials: credentialsFor(sim),
	});
	expect(error).toBeUndefined();
	const requestId = items[0].json.request_id as string;
	const delivery = await sim.waitForCallback(requestId, 15_000);
	expect(delivery.state).toBe('delivered');
	return requestId;
}

const leadsCallback = (requestId: string, status = 'completed') => ({
	request_id: requestId,
	status,
	completed: status === 'completed',
	results_count: 1,
	results: [
		{
			platform: 'linkedin',
			post_url: 'https://www.linkedin.com/feed/update/1',
			author: { name: 'Sarah Chen' },
		},
	],
	timestamp: '2026-01-14T15:31:45Z',
});
const leadsId = (n: number) => n.toString(16).padStart(64, 'a');

describe('Nyne Trigger: callbacks become the same items as the Nyne node’s wait mode', () => {
	it.each<[string, INodeParameters, string]>([
		[
			'leads',
			{ operation: 'searchLeads', searchDescription: 'Founders discussing their seed round [n=3]' },
			'leads',
		],
		[
			'interests',
			{ operation: 'getInterests', email: 'jane.doe@example.com', company: 'Acme' },
			'interests',
		],
		[
			'followers',
			{
				operation: 'getInteractions',
				socialMediaUrl: 'https://x.com/janedoe',
				interactionType: 'followers',
				maxResults: 10,
			},
			'interactions',
		],
		[
			'followers and following',
			{
				operation: 'getInteractions',
				socialMediaUrl: 'https://instagram.com/janedoe',
				interactionType: 'followers,following',
				maxResults: 12,
			},
			'interactions',
		],
		[
			'replies',
			{
				operation: 'getInteractions',
				socialMediaUrl: 'https://x.com/janedoe/status/1234567890123',
				interactionType: 'replies',
				maxResults: 10,
			},
			'interactions',
		],
	])('%s', async (_label, parameters, jobType) => {
		const hook = await startTrigger();
		const requestId = await submitWithCallback(parameters, hook.url);

		expect(hook.executions).toHaveLength(1);
		const delivered = hook.executions[0][0];
		expect(delivered.length).toBeGreaterThan(0);
		for (const item of delivered) {
			expect(item.json.request_id).toBe(requestId);
			expect(item.json.job_type).toBe(jobType);
		}

		// The same input in wait mode: Nyne's results are the same, so the items must be too.
		const waited = await runNode({
			parameters: { ...parameters, options: FAST_WAIT },
			credentials: credentialsFor(sim),
		});
		expect(withoutIds(delivered)).toEqual(withoutIds(waited.items));
	});

	it('outputs one item with the whole job when Split Results is off', async () => {
		const hook = await startTrigger({ splitResults: false });
		const requestId = await submitWithCallback(
			{ operation: 'searchLeads', searchDescription: 'CTOs planning a cloud migration [n=4]' },
			hook.url,
		);
		const [items] = hook.executions[0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(
			expect.objectContaining({
				request_id: requestId,
				status: 'completed',
				results_count: 4,
				job_type: 'leads',
			}),
		);
		expect(items[0].json.results).toHaveLength(4);
	});
});

describe('Nyne Trigger: what starts an execution', () => {
	it('with a token, answers 401 and starts nothing unless ?token= matches', async () => {
		const hook = await startTrigger({ token: TOKEN });
		const missing = await hook.post(leadsCallback(leadsId(1)));
		const wrong = await hook.post(leadsCallback(leadsId(1)), {
			query: { token: 'tok-7f3a9c2e5X' },
		});
		const right = await hook.post(leadsCallback(leadsId(1)), { query: { token: TOKEN } });
		expect([missing.status, wrong.status, right.status]).toEqual([401, 401, 200]);
		expect(JSON.stringify([missing.body, wrong.body])).not.toContain(TOKEN);
		expect(hook.executions).toHaveLength(1);
		expect(hook.executions[0][0][0].json).toEqual(
			expect.objectContaining({
				request_id: leadsId(1),
				job_type: 'leads',
				post_url: 'https://www.linkedin.com/feed/update/1',
			}),
		);
	});

	it('starts one execution when Nyne delivers the same job again', async () => {
		const hook = await startTrigger();
		const first = await hook.post(leadsCallback(leadsId(2)));
		const again = await hook.post(leadsCallback(leadsId(2)));
		const other = await hook.post(leadsCallback(leadsId(3)));
		expect([first.status, again.status, other.status]).toEqual([200, 200, 200]);
		expect(hook.executions.map((execution) => execution[0][0].json.request_id)).toEqual([
			leadsId(2),
			leadsId(3),
		]);
	});

	it('recognises a repeat that arrives after other jobs’ deliveries (n8n saved no static data for them)', async () => {
		const hook = await startTrigger();
		await hook.post(leadsCallback(leadsId(7)));
		await hook.post(leadsCallback(leadsId(8)));
		const again = await hook.post(leadsCallback(leadsId(8)));
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ message: 'Already received.' });
		expect(hook.executions.map((execution) => execution[0][0].json.request_id)).toEqual([
			leadsId(7),
			leadsId(8),
		]);
	});

	it('ignores a repeat of a real Nyne delivery (as when our 2xx was lost and Nyne retried)', async () => {
		const hook = await startTrigger();
		const requestId = await submitWithCallback(
			{ operation: 'searchLeads', searchDescription: 'People hiring a head of growth [n=2]' },
			hook.url,
		);
		const [delivery] = sim.getCallbacks(requestId);
		const repeat = await hook.post(delivery.payload);
		expect(repeat.status).toBe(200);
		expect(hook.executions).toHaveLength(1);
		expect(hook.executions[0][0]).toHaveLength(2);
	});

	it('answers 400 to a body that is not a Nyne callback (no request_id, not an object), and starts nothing', async () => {
		const hook = await startTrigger();
		const noId = await hook.post({ status: 'completed', results: [] });
		const list = await hook.post([leadsCallback(leadsId(4))]);
		const text = await hook.post('request_id=abc', { headers: { 'content-type': 'text/plain' } });
		expect([noId.status, list.status, text.status]).toEqual([400, 400, 400]);
		expect(noId.body).toEqual({ message: 'Not a Nyne callback: request_id is missing.' });
		expect(hook.executions).toHaveLength(0);
	});

	it('answers 200 but starts nothing for job types not selected', async () => {
		const hook = await startTrigger({ jobTypes: ['interests', 'interactions'] });
		const answer = await hook.post(leadsCallback(leadsId(5)));
		expect(answer.status).toBe(200);
		expect(hook.executions).toHaveLength(0);
	});

	it('starts the workflow for failed jobs only when Include Failed Jobs is on', async () => {
		const failed = {
			request_id: leadsId(6),
			status: 'failed',
			error: 'The upstream provider timed out',
		};
		const including = await startTrigger();
		expect((await including.post(failed)).status).toBe(200);
		expect(including.executions[0][0].map((item) => item.json)).toEqual([
			{
				request_id: leadsId(6),
				status: 'failed',
				error: 'The upstream provider timed out',
				job_type: 'leads',
			},
		]);
		await including.close();

		const excluding = await startTrigger({ includeFailed: false });
		expect((await excluding.post(failed)).status).toBe(200);
		expect(excluding.executions).toHaveLength(0);
	});

	it('remembers at most the last 1000 deliveries', async () => {
		const hook = await startTrigger();
		for (let n = 100; n < 1105; n++) await hook.post(leadsCallback(leadsId(n)));
		expect(hook.executions).toHaveLength(1005);
		// The newest 1000 (105…1104) are still recognised as repeats; the 5 before them are forgotten. (The
		// static data cannot show this: n8n kept only the first delivery's write, see the harness.)
		await hook.post(leadsCallback(leadsId(1104)));
		await hook.post(leadsCallback(leadsId(105)));
		expect(hook.executions).toHaveLength(1005);
		await hook.post(leadsCallback(leadsId(104)));
		expect(hook.executions).toHaveLength(1006);
	});
});

describe('Nyne Trigger: liberal in the shapes it accepts, never acknowledges and drops', () => {
	const lead = {
		platform: 'linkedin',
		post_url: 'https://www.linkedin.com/feed/update/7',
		author: { name: 'Ana Silva' },
	};
	const sections = {
		core_profile: { archetypes: ['Builder'], supporting_accounts: ['@github'] },
		following_count: 12,
	};
	const interestsId = (n: number) => `${n.toString(16).padStart(32, 'c')}_1717000000_4271`;
	const interactionsId = (n: number) =>
		`interaction_${n.toString(16).padStart(16, 'd')}_1717000000_4271`;
	const follower = {
		username: 'ana_s',
		display_name: 'Ana Silva',
		profile_url: 'https://x.com/ana_s',
		followers_count: 3,
	};
	const interactionsResult = {
		interaction_type: 'followers',
		source_platform: 'twitter',
		target: { username: 'jane' },
		interactions: [follower],
		total_count: 1,
	};

	it.each<[string, Record<string, unknown>, string, Record<string, unknown>]>([
		[
			'interests with its result under data',
			{ request_id: interestsId(1), status: 'completed', completed: true, data: sections },
			'interests',
			{ ...sections, request_id: interestsId(1), status: 'completed', job_type: 'interests' },
		],
		[
			'interests in the {success, data, timestamp} envelope',
			{
				success: true,
				data: {
					request_id: interestsId(2),
					status: 'completed',
					completed: true,
					result: sections,
				},
				timestamp: '2026-01-01T00:00:00',
			},
			'interests',
			{ ...sections, request_id: interestsId(2), status: 'completed', job_type: 'interests' },
		],
		[
			'interactions carrying results_count, result under results',
			{
				request_id: interactionsId(3),
				status: 'completed',
				results: interactionsResult,
				results_count: 1,
			},
			'interactions',
			{
				...follower,
				request_id: interactionsId(3),
				interaction_type: 'followers',
				platform: 'twitter',
				target: { username: 'jane' },
				job_type: 'interactions',
			},
		],
		[
			'leads under data with result_count, in the envelope',
			{
				success: true,
				data: { request_id: leadsId(4), status: 'completed', data: [lead], result_count: 1 },
				timestamp: '2026-01-14T15:31:45Z',
			},
			'leads',
			{ ...lead, request_id: leadsId(4), job_type: 'leads' },
		],
	])('%s: one execution with the result', async (_label, body, _kind, expected) => {
		const hook = await startTrigger();
		const answer = await hook.post(body);
		expect(answer.status).toBe(200);
		expect(hook.executions).toHaveLength(1);
		expect(hook.executions[0][0].map((item) => item.json)).toEqual([expected]);
	});

	it('a body with a request_id it cannot shape starts one execution holding the payload as received, job_type unknown', async () => {
		const hook = await startTrigger({ jobTypes: ['leads'] });
		const odd = { request_id: 'job-7781', status: 'done', profile: { name: 'Jane' } };
		const countWithoutLeads = {
			request_id: leadsId(5),
			status: 'completed',
			results_count: 3,
			items: [lead],
		};
		expect((await hook.post(odd)).status).toBe(200);
		expect((await hook.post(countWithoutLeads)).status).toBe(200);
		expect(hook.executions.map((execution) => execution[0].map((item) => item.json))).toEqual([
			[{ request_id: 'job-7781', status: 'done', job_type: 'unknown', payload: odd }],
			[
				{
					request_id: leadsId(5),
					status: 'completed',
					job_type: 'unknown',
					payload: countWithoutLeads,
				},
			],
		]);
		// A repeat is still recognised.
		await hook.post(odd);
		expect(hook.executions).toHaveLength(2);
	});

	it('jobs with zero results start nothing by default; with Include Jobs With No Results, one item each', async () => {
		const empty = [
			{
				request_id: leadsId(6),
				status: 'completed',
				completed: true,
				results_count: 0,
				results: [],
			},
			{
				request_id: interactionsId(7),
				status: 'completed',
				interaction_type: 'followers',
				data: { interactions: [], total_count: 0 },
				result_count: 0,
			},
		];
		const byDefault = await startTrigger();
		for (const body of empty)
			expect((await byDefault.post(body)).body).toEqual({
				message: 'Received: the job has no results.',
			});
		expect(byDefault.executions).toHaveLength(0);
		await byDefault.close();

		const including = await startTrigger({ includeEmpty: true });
		for (const body of empty) expect((await including.post(body)).status).toBe(200);
		expect(including.executions.map((execution) => execution[0].map((item) => item.json))).toEqual([
			[{ request_id: leadsId(6), job_type: 'leads', status: 'completed', results_count: 0 }],
			[
				{
					request_id: interactionsId(7),
					job_type: 'interactions',
					status: 'completed',
					results_count: 0,
				},
			],
		]);
	});
});

describe('Nyne Trigger: correlation through the callback URL', () => {
	it('puts the callback URL’s query parameters but token on every item, from a real Nyne delivery', async () => {
		const hook = await startTrigger({ token: TOKEN });
		const callbackUrl = `${hook.url}?token=${TOKEN}&contact_id=crm-4711&list=q3%20leads`;
		const requestId = await submitWithCallback(
			{ operation: 'searchLeads', searchDescription: 'Heads of sales hiring SDRs [n=3]' },
			callbackUrl,
		);
		const [items] = hook.executions[0];
		expect(items).toHaveLength(3);
		for (const item of items) {
			expect(item.json.request_id).toBe(requestId);
			expect(item.json.callback_params).toEqual({ contact_id: 'crm-4711', list: 'q3 leads' });
		}
		expect(JSON.stringify(hook.executions)).not.toContain(TOKEN);
	});

	it('adds them to failed, empty and unknown jobs too, and leaves items as they were without any', async () => {
		const hook = await startTrigger({ includeEmpty: true });
		const query = { contact_id: '42', Token: 'not-for-output' };
		await hook.post({ request_id: leadsId(8), status: 'failed', error: 'boom' }, { query });
		await hook.post(
			{ request_id: leadsId(9), status: 'completed', results_count: 0, results: [] },
			{ query },
		);
		await hook.post({ request_id: 'odd-1', status: 'completed' }, { query });
		await hook.post(leadsCallback(leadsId(10)));
		const items = hook.executions.map((execution) => execution[0][0].json);
		expect(items.slice(0, 3).map((item) => item.callback_params)).toEqual([
			{ contact_id: '42' },
			{ contact_id: '42' },
			{ contact_id: '42' },
		]);
		expect(items[3]).not.toHaveProperty('callback_params');
		expect(JSON.stringify(items)).not.toContain('not-for-output');
	});
});

describe('Nyne Trigger: the token notice', () => {
	const description = new NyneTrigger().description;
	const notice = description.properties.find(
		(property) => property.name === 'tokenNotice',
	) as INodeProperties;
	const shown = (parameters: INodeParameters) => {
		const values = NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			null,
			description,
		);
		return NodeHelpers.displayParameter(values ?? {}, notice, null, description);
	};

	it('shows a warning while Token is empty, and hides it once one is set', () => {
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(
			/anyone who learns this Production URL can start this workflow/,
		);
		expect(shown({})).toBe(true);
		expect(shown({ token: '' })).toBe(true);
		expect(shown({ token: TOKEN })).toBe(false);
	});

	it('an empty Token still accepts callbacks (existing workflows rely on it)', async () => {
		const hook = await startTrigger({ token: '' });
		expect((await hook.post(leadsCallback(leadsId(11)))).status).toBe(200);
		expect(hook.executions).toHaveLength(1);
	});
});

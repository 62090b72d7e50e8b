/**
 * The Nyne node inside a real n8n (the packed tarball installed as a community package), against the
 * Nyne simulator on 127.0.0.1: every operation in Wait and Submit Only mode, Get Job, and errors with
 * and without Continue On Fail. Workflows go through `n8n import:workflow` + `n8n execute --id`; the
 * assertions read the run data n8n prints and compare it with what the simulator answers over HTTP.
 *
 * Part of `npm test`; alone: `npx jest --selectProjects e2e test/e2e/nyne-node.e2e.test.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { NyneSimulator } from '../simulator';
import {
	createN8nInstance,
	ensureN8n,
	nodeItems,
	nodeOutput,
	packPackage,
	REPO_DIR,
	runError,
	type ItemJson,
	type N8nInstance,
	type RunJson,
	describeE2e,
} from './lib';
import {
	acceptedSubmits,
	fastSimulator,
	itemsNodes,
	manualTrigger,
	nyneNode,
	pollSimulator,
	simCredentialData,
	workflow,
} from './lib/nyne';

const FAST = { pollInterval: 0.1, timeout: 60 };

type Json = Record<string, unknown>;

function paired(items: ItemJson[]): unknown[] {
	return items.map((item) => item.pairedItem);
}

describeE2e('Nyne node in a real n8n (CLI execute, packed package, simulator)', () => {
	let n8n: N8nInstance;
	let sim: NyneSimulator;
	let tarball: string | undefined;
	const good = { id: 'nyneSimGood00001', name: 'Nyne (simulator)' };
	const wrongSecret = { id: 'nyneSimWrong0001', name: 'Nyne (wrong secret)' };

	beforeAll(async () => {
		await ensureN8n();
		sim = await fastSimulator();
		tarball = await packPackage(REPO_DIR);
		n8n = await createN8nInstance({ tarball });
		await n8n.importCredentials([
			{ ...good, type: 'nyneApi', data: simCredentialData(sim) },
			{
				...wrongSecret,
				type: 'nyneApi',
				data: simCredentialData(sim, { apiSecret: 'not-the-secret' }),
			},
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sim?.stop();
		if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	});

	beforeEach(() => sim.resetLog());

	describe('every operation, Wait and Submit Only, in one execution', () => {
		let run: RunJson;
		let exitCode: number | null;
		let log: ReturnType<NyneSimulator['getLog']>;

		beforeAll(async () => {
			sim.resetLog();
			const credential = good;
			const wf = workflow(
				'E2E: every Nyne operation',
				[
					manualTrigger(),
					...itemsNodes('Topics', [
						{ topic: 'Startup founders discussing seed rounds [n=4]' },
						{ topic: 'CTOs at fintech companies discussing cloud migration [n=2]' },
					]),
					...itemsNodes('Submit Topics', [
						{ topic: 'Real estate agents looking for a CRM [n=3] [instant]' },
						{ topic: 'HR leaders talking about employee engagement [n=1] [instant]' },
					]),
					nyneNode(
						'Leads (split)',
						{ operation: 'searchLeads', searchDescription: '={{ $json.topic }}', options: FAST },
						{ credential },
					),
					nyneNode(
						'Leads (whole)',
						{
							operation: 'searchLeads',
							searchDescription: 'Product managers comparing analytics tools [n=3]',
							options: { ...FAST, splitResults: false },
						},
						{ credential },
					),
					nyneNode(
						'Interests',
						{
							operation: 'getInterests',
							email: 'jane.doe@example.com',
							name: 'Jane Doe',
							options: FAST,
						},
						{ credential },
					),
					nyneNode(
						'Followers',
						{
							operation: 'getInteractions',
							socialMediaUrl: 'https://x.com/janedoe',
							interactionType: 'followers',
							maxResults: 12,
							options: FAST,
						},
						{ credential },
					),
					nyneNode(
						'Replies',
						{
							operation: 'getInteractions',
							socialMediaUrl: 'https://x.com/janedoe/status/1234567890123',
							interactionType: 'replies',
							maxResults: 10,
							options: FAST,
						},
						{ credential },
					),
					nyneNode(
						'Submit Leads',
						{ operation: 'searchLeads', mode: 'submit', searchDescription: '={{ $json.topic }}' },
						{ credential },
					),
					nyneNode(
						'Get Job',
						{ operation: 'getJob', jobType: 'leads', requestId: '={{ $json.request_id }}' },
						{ credential },
					),
					nyneNode(
						'Submit Interests',
						{
							operation: 'getInterests',
							mode: 'submit',
							socialMediaUrl: 'https://www.linkedin.com/in/johnsmith',
							name: 'John Smith',
						},
						{ credential },
					),
					nyneNode(
						'Submit Interactions',
						{
							operation: 'getInteractions',
							mode: 'submit',
							username: '@johnsmith',
							interactionType: 'following',
							maxResults: 15,
						},
						{ credential },
					),
				],
				[
					['Start', 'Topics (data)'],
					['Topics (data)', 'Topics'],
					['Topics', 'Leads (split)'],
					['Start', 'Leads (whole)'],
					['Start', 'Interests'],
					['Start', 'Followers'],
					['Start', 'Replies'],
					['Start', 'Submit Topics (data)'],
					['Submit Topics (data)', 'Submit Topics'],
					['Submit Topics', 'Submit Leads'],
					['Submit Leads', 'Get Job'],
					['Start', 'Submit Interests'],
					['Start', 'Submit Interactions'],
				],
			);
			const id = await n8n.importWorkflow(wf);
			const result = await n8n.executeDetailed(id);
			run = result.run;
			exitCode = result.exitCode;
			log = sim.getLog();
		});

		function idsOf(nodeName: string): string[] {
			return [...new Set(nodeOutput(run, nodeName).map((item) => item.request_id as string))];
		}

		test('the run succeeds', () => {
			expect(runError(run)).toBeUndefined();
			expect(exitCode).toBe(0);
			expect(run.status).toBe('success');
		});

		test('Search Leads (Split Results on): one item per lead as Nyne returns it, plus request_id, paired with its input', async () => {
			const items = nodeItems(run, 'Leads (split)');
			const ids = idsOf('Leads (split)');
			expect(ids).toHaveLength(2);
			const expected: Json[] = [];
			const expectedPairs: unknown[] = [];
			for (const [index, requestId] of ids.entries()) {
				const data = await pollSimulator(sim, 'leads', requestId);
				expect(data.status).toBe('completed');
				const leads = data.results as Json[];
				expected.push(...leads.map((lead) => ({ ...lead, request_id: requestId })));
				expectedPairs.push(...leads.map(() => ({ item: index })));
			}
			expect(items.map((item) => item.json)).toEqual(expected);
			expect(items).toHaveLength(6); // [n=4] + [n=2]
			expect(paired(items)).toEqual(expectedPairs);
			expect(items[0].json).toEqual(
				expect.objectContaining({
					platform: expect.stringMatching(/^(linkedin|twitter)$/),
					post_url: expect.stringMatching(/^https:\/\//),
					author: expect.objectContaining({
						name: expect.any(String),
						profile_url: expect.any(String),
					}),
					engagement: expect.objectContaining({ likes: expect.any(Number) }),
				}),
			);
		});

		test('Search Leads (Split Results off): one item with Nyne’s whole data', async () => {
			const items = nodeItems(run, 'Leads (whole)');
			expect(items).toHaveLength(1);
			const data = await pollSimulator(sim, 'leads', items[0].json.request_id as string);
			expect(items[0].json).toEqual(data);
			expect(items[0].json).toEqual(
				expect.objectContaining({ status: 'completed', results_count: 3 }),
			);
			expect(paired(items)).toEqual([{ item: 0 }]);
		});

		test('Get Interests: the result sections at top level plus request_id and status', async () => {
			const items = nodeItems(run, 'Interests');
			expect(items).toHaveLength(1);
			const requestId = items[0].json.request_id as string;
			expect(requestId).toMatch(/^[0-9a-f]{32}_\d+_\d{4}$/);
			const data = await pollSimulator(sim, 'interests', requestId);
			expect(items[0].json).toEqual({
				...(data.result as Json),
				request_id: requestId,
				status: 'completed',
			});
			expect(Object.keys(items[0].json)).toEqual(expect.arrayContaining(['core_profile']));
			expect(paired(items)).toEqual([{ item: 0 }]);
		});

		async function expectedInteractions(requestId: string): Promise<Json[]> {
			const data = await pollSimulator(sim, 'interactions', requestId);
			const result = data.result as Json;
			return (result.interactions as Json[]).map((entry) => ({
				...entry,
				request_id: requestId,
				interaction_type: entry.interaction_type ?? result.interaction_type,
				platform: result.platform,
				target: result.target,
			}));
		}

		test('Get Interactions (followers of an x.com profile): one item per follower with request_id, type, platform, target', async () => {
			const items = nodeItems(run, 'Followers');
			const [requestId] = idsOf('Followers');
			expect(items.map((item) => item.json)).toEqual(await expectedInteractions(requestId));
			expect(items).toHaveLength(12);
			expect(items[0].json).toEqual(
				expect.objectContaining({
					username: expect.any(String),
					followers_count: expect.any(Number),
					interaction_type: 'followers',
					platform: 'twitter',
					target: expect.objectContaining({ username: 'janedoe' }),
				}),
			);
			expect(new Set(paired(items).map((p) => JSON.stringify(p)))).toEqual(
				new Set([JSON.stringify({ item: 0 })]),
			);
		});

		test('Get Interactions (replies via a /status/ URL): the tweet id is read from the URL', async () => {
			const items = nodeItems(run, 'Replies');
			const [requestId] = idsOf('Replies');
			expect(items.map((item) => item.json)).toEqual(await expectedInteractions(requestId));
			expect(items).toHaveLength(10);
			expect(items[0].json).toEqual(
				expect.objectContaining({
					reply_text: expect.any(String),
					interaction_type: 'replies',
					target: expect.objectContaining({ tweet_id: '1234567890123' }),
				}),
			);
			expect((sim.getJob(requestId)?.body as Json).tweet_id).toBe('1234567890123');
		});

		test('Submit Only: one item per input with Nyne’s answer (request_id, status), and no polling', () => {
			const leads = nodeItems(run, 'Submit Leads');
			expect(leads.map((item) => item.json)).toEqual([
				{
					request_id: expect.stringMatching(/^[0-9a-f]{64}$/),
					status: 'queued',
					message: 'Lead search request queued for processing.',
				},
				{
					request_id: expect.stringMatching(/^[0-9a-f]{64}$/),
					status: 'queued',
					message: 'Lead search request queued for processing.',
				},
			]);
			expect(paired(leads)).toEqual([{ item: 0 }, { item: 1 }]);

			const [interests] = nodeOutput(run, 'Submit Interests');
			expect(interests).toEqual({
				request_id: expect.stringMatching(/^[0-9a-f]{32}_\d+_\d{4}$/),
				status: 'queued',
			});
			const [interactions] = nodeOutput(run, 'Submit Interactions');
			expect(interactions).toEqual(
				expect.objectContaining({
					request_id: expect.stringMatching(/^interaction_/),
					status: 'processing',
					interaction_type: 'following',
					platform: 'twitter',
				}),
			);

			// Each submitted exactly once, and the node itself never polled its own jobs.
			const submitted = [
				...leads.map((item) => item.json.request_id),
				interests.request_id,
				interactions.request_id,
			];
			for (const requestId of submitted) {
				expect(
					log.filter((entry) => entry.op === 'submit' && entry.requestId === requestId),
				).toHaveLength(1);
			}
			for (const requestId of [interests.request_id, interactions.request_id]) {
				expect(
					log.filter((entry) => entry.op === 'poll' && entry.requestId === requestId),
				).toHaveLength(0);
			}
		});

		test('Get Job (same workflow, after Submit Only): one item per input with the job’s data as Nyne returns it', async () => {
			const items = nodeItems(run, 'Get Job');
			const submitted = nodeOutput(run, 'Submit Leads').map((item) => item.request_id as string);
			expect(items.map((item) => item.json.request_id)).toEqual(submitted);
			for (const [index, item] of items.entries()) {
				expect(item.json).toEqual(await pollSimulator(sim, 'leads', submitted[index]));
			}
			expect(items.map((item) => item.json.results_count)).toEqual([3, 1]);
			expect(paired(items)).toEqual([{ item: 0 }, { item: 1 }]);
			// Get Job does not wait: exactly one status request per item.
			for (const requestId of submitted) {
				expect(
					log.filter((entry) => entry.op === 'poll' && entry.requestId === requestId),
				).toHaveLength(1);
			}
		});

		test('Get Job in a later execution: jobs submitted by the previous one, each with its job type', async () => {
			const interestsId = nodeOutput(run, 'Submit Interests')[0].request_id as string;
			const interactionsId = nodeOutput(run, 'Submit Interactions')[0].request_id as string;
			await sim.waitForJob(interestsId, 10_000);
			await sim.waitForJob(interactionsId, 10_000);
			const credential = good;
			const id = await n8n.importWorkflow(
				workflow(
					'E2E: Get Job of an earlier execution',
					[
						manualTrigger(),
						nyneNode(
							'Get Interests Job',
							{ operation: 'getJob', jobType: 'interests', requestId: interestsId },
							{ credential },
						),
						nyneNode(
							'Get Interactions Job',
							{ operation: 'getJob', jobType: 'interactions', requestId: interactionsId },
							{ credential },
						),
					],
					[
						['Start', 'Get Interests Job'],
						['Start', 'Get Interactions Job'],
					],
				),
			);
			const later = await n8n.execute(id);
			expect(runError(later)).toBeUndefined();
			const interests = nodeItems(later, 'Get Interests Job');
			expect(interests.map((item) => item.json)).toEqual([
				await pollSimulator(sim, 'interests', interestsId),
			]);
			expect(interests[0].json).toEqual(
				expect.objectContaining({ status: 'completed', request_id: interestsId }),
			);
			expect(paired(interests)).toEqual([{ item: 0 }]);
			const interactions = nodeOutput(later, 'Get Interactions Job');
			expect(interactions).toEqual([await pollSimulator(sim, 'interactions', interactionsId)]);
			expect(interactions[0]).toEqual(
				expect.objectContaining({ status: 'completed', result_count: 15 }),
			);
			// Reading results spends nothing and submits nothing.
			expect(sim.getCounters().submits).toBe(0);
		});
	});

	describe('errors', () => {
		const validTopic = 'Founders talking about hiring their first engineer [n=2]';

		test('invalid input without Continue On Fail: the execution fails naming the field, and nothing reaches Nyne', async () => {
			const id = await n8n.importWorkflow(
				workflow(
					'E2E: validation error',
					[
						manualTrigger(),
						...itemsNodes('Topics', [{ topic: validTopic }, { topic: 'short' }]),
						nyneNode(
							'Search Leads',
							{ operation: 'searchLeads', searchDescription: '={{ $json.topic }}', options: FAST },
							{ credential: good },
						),
					],
					[
						['Start', 'Topics (data)'],
						['Topics (data)', 'Topics'],
						['Topics', 'Search Leads'],
					],
				),
			);
			const { run, exitCode } = await n8n.executeDetailed(id);
			expect(exitCode).not.toBe(0);
			expect(run.status).toBe('error');
			const error = runError(run);
			expect(error?.message).toBe(
				'Invalid input: Search Description: must be 10–2000 characters long, but is 5',
			);
			expect(error?.description).toMatch(
				/Fix the "Search Description" field of item 1\. Nothing was sent to Nyne/,
			);
			expect(error?.node?.name).toBe('Search Leads');
			// Items are all checked before any is sent: not even the valid one was submitted.
			expect(sim.getCounters().requests).toBe(0);
		});

		test('Nyne rejects the secret without Continue On Fail: the execution fails with the 401 advice', async () => {
			const id = await n8n.importWorkflow(
				workflow(
					'E2E: wrong secret',
					[
						manualTrigger(),
						nyneNode(
							'Search Leads',
							{ operation: 'searchLeads', searchDescription: validTopic, options: FAST },
							{ credential: wrongSecret },
						),
					],
					[['Start', 'Search Leads']],
				),
			);
			const { run, exitCode, stdout, stderr } = await n8n.executeDetailed(id);
			expect(exitCode).not.toBe(0);
			const error = runError(run);
			expect(error?.message).toMatch(/check the API key and secret in the Nyne API credential/);
			expect(error?.httpCode).toBe('401');
			expect(error?.node?.name).toBe('Search Leads');
			// The secret the user typed is not echoed back in what n8n prints or stores.
			expect(stdout + stderr).not.toContain('not-the-secret');
			expect(sim.getCounters()).toEqual(expect.objectContaining({ submits: 1, accepted: 0 }));
			expect(sim.getCounters().byStatus).toEqual({ 401: 1 });
		});

		test('with Continue On Fail: error items {error, details} in place of the failing inputs, the good items go on', async () => {
			const id = await n8n.importWorkflow(
				workflow(
					'E2E: continue on fail',
					[
						manualTrigger(),
						...itemsNodes('Topics', [
							{ topic: validTopic },
							{ topic: 'short' },
							{ topic: 'Founders whose search always breaks [fail]' },
						]),
						nyneNode(
							'Search Leads',
							{ operation: 'searchLeads', searchDescription: '={{ $json.topic }}', options: FAST },
							{ credential: good, onError: 'continueRegularOutput' },
						),
						nyneNode(
							'Wrong Secret',
							{
								operation: 'searchLeads',
								searchDescription: 'Founders talking about fundraising [n=1]',
								options: FAST,
							},
							{ credential: wrongSecret, onError: 'continueRegularOutput' },
						),
						nyneNode(
							'Error Output',
							{ operation: 'searchLeads', searchDescription: '={{ $json.topic }}', options: FAST },
							{ credential: good, onError: 'continueErrorOutput' },
						),
					],
					[
						['Start', 'Topics (data)'],
						['Topics (data)', 'Topics'],
						['Topics', 'Search Leads'],
						['Start', 'Wrong Secret'],
						['Topics', 'Error Output'],
					],
				),
			);
			const { run, exitCode } = await n8n.executeDetailed(id);
			expect(runError(run)).toBeUndefined();
			expect(exitCode).toBe(0);

			// Search Leads: 2 leads for item 0, then one error item each for items 1 and 2, in input order.
			const items = nodeItems(run, 'Search Leads');
			expect(paired(items)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 2 }]);
			const goodId = items[0].json.request_id as string;
			const leads = (await pollSimulator(sim, 'leads', goodId)).results as Json[];
			expect(items.slice(0, 2).map((item) => item.json)).toEqual(
				leads.map((lead) => ({ ...lead, request_id: goodId })),
			);
			expect(items[2].json).toEqual({
				error: 'Invalid input: Search Description: must be 10–2000 characters long, but is 5',
				details: {
					description:
						'Fix the "Search Description" field of item 1. Nothing was sent to Nyne for this item.',
				},
			});
			const failedId = acceptedSubmits(sim).find(
				(requestId) => requestId !== goodId && sim.getJob(requestId)?.status === 'failed',
			);
			expect(failedId).toBeDefined();
			const failed = await pollSimulator(sim, 'leads', failedId!);
			expect(items[3].json).toEqual({
				error: `The Nyne job ${failedId} failed: ${failed.error as string}.`,
				details: expect.objectContaining({ error_code: 'job_failed', request_id: failedId }),
			});

			// Wrong secret: the one input becomes an error item with the 401 advice and Nyne's code.
			const wrong = nodeItems(run, 'Wrong Secret');
			expect(wrong).toHaveLength(1);
			expect(wrong[0].json).toEqual({
				error: expect.stringContaining('check the API key and secret'),
				details: expect.objectContaining({ http_code: 401, error_code: 'invalid_credentials' }),
			});
			expect(wrong[0].pairedItem).toEqual({ item: 0 });

			// Continue (using error output): good items on output 0, failing ones on output 1. n8n 1.x routes
			// only items that are exactly {error} or {error, message} there, so ours stay on output 0 after the
			// good ones (README → Compatibility says so).
			const mainOutput = nodeItems(run, 'Error Output', { outputIndex: 0 });
			const routesErrorItems = n8n.majorVersion >= 2;
			const ok = routesErrorItems ? mainOutput : mainOutput.slice(0, 2);
			const bad = routesErrorItems
				? nodeItems(run, 'Error Output', { outputIndex: 1 })
				: mainOutput.slice(2);
			if (!routesErrorItems) expect(nodeItems(run, 'Error Output', { outputIndex: 1 })).toEqual([]);
			expect(ok.map((item) => item.json.request_id)).toEqual(
				[goodId, goodId].map(() => expect.stringMatching(/^[0-9a-f]{64}$/)),
			);
			expect(paired(ok)).toEqual([{ item: 0 }, { item: 0 }]);
			expect(bad.map((item) => item.json.error)).toEqual([
				'Invalid input: Search Description: must be 10–2000 characters long, but is 5',
				expect.stringMatching(/^The Nyne job [0-9a-f]{64} failed: /),
			]);
			expect(paired(bad)).toEqual([{ item: 1 }, { item: 2 }]);

			// Nyne saw only the valid inputs: 2 per Topics node (valid + [fail]) and the wrong-secret one.
			expect(sim.getCounters()).toEqual(expect.objectContaining({ submits: 5, accepted: 4 }));
			expect(sim.getCounters().byStatus[400]).toBeUndefined();
			expect(sim.listJobs().map((job) => job.body.search_description)).not.toContain('short');
		});
	});
});

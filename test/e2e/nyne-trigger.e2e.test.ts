/**
 * The Nyne Trigger and the credential test on a running `n8n start` (loopback port, own task broker
 * port), with the packed package installed, against the Nyne simulator on 127.0.0.1:
 * - POST /rest/credentials/test with right and wrong keys (no credits spent);
 * - callbacks POSTed to published triggers' production URLs: token, dedupe, filters, bad bodies;
 * - the callback flow end to end: a Submit Only workflow with a Callback URL, the simulator finishing the
 *   job and calling the trigger, the receiving workflow running once with the leads.
 *
 * Part of `npm test`; alone: `npx jest --selectProjects e2e -- test/e2e/nyne-trigger.e2e.test.ts`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NodeHelpers, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import type { NyneSimulator } from '../simulator';
import {
	createN8nInstance,
	ensureN8n,
	nodeItems,
	nodeOutput,
	packPackage,
	REPO_DIR,
	runError,
	waitFor,
	type N8nInstance,
	type N8nRestSession,
	describeE2e,
} from './lib';
import { selectedN8nVersion } from './lib/install';
import {
	DEFAULT_KEY,
	DEFAULT_SECRET,
	fastSimulator,
	manualTrigger,
	nyneNode,
	nyneTrigger,
	passThroughSet,
	pollSimulator,
	postTo,
	simCredentialData,
	workflow,
} from './lib/nyne';

type Json = Record<string, unknown>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** Request ids in Nyne's documented formats. */
const leadsId = () => hex(32);
const interestsId = () =>
	`${hex(16)}_${Math.floor(Date.now() / 1000)}_${String(1000 + Math.floor(Math.random() * 9000))}`;

function lead(n: number): Json {
	return {
		platform: n % 2 ? 'twitter' : 'linkedin',
		post_url: `https://www.linkedin.com/feed/update/urn:li:activity:70000000000${n}`,
		post_content: `Post number ${n} about AI tools for marketing teams`,
		post_date: `2026-01-1${n}T10:30:00Z`,
		author: {
			name: `Person ${n}`,
			username: `person${n}`,
			profile_url: `https://www.linkedin.com/in/person${n}`,
			headline: 'Marketing Director',
			image_url: `https://media.example.com/person${n}.jpg`,
		},
		engagement: { likes: 10 * n, comments: n, shares: 0 },
	};
}

/** A leads callback in the shape Nyne documents. */
function leadsCallback(requestId: string, leads: Json[]): Json {
	return {
		request_id: requestId,
		status: 'completed',
		completed: true,
		results_count: leads.length,
		results: leads,
		timestamp: new Date().toISOString(),
	};
}

describeE2e('Nyne Trigger and credential test on a running n8n (packed package, simulator)', () => {
	let n8n: N8nInstance;
	let sim: NyneSimulator;
	let session: N8nRestSession;
	let tarball: string | undefined;
	const credential = { id: 'nyneSimCred00001', name: 'Nyne (simulator)' };
	const token = `tok-${hex(16)}`;
	const ids = { open: '', guarded: '', receiver: '', empty: '' };
	const urls = { open: '', guarded: '', receiver: '', empty: '' };

	beforeAll(async () => {
		await ensureN8n();
		// Callback retries after 10 ms, 50 ms, ... instead of 1 s, 5 s, ...; but each attempt may take up to
		// 10 s (nominal 1000 s × 0.01), so a busy 2-core machine does not turn a slow 200 into a retry.
		sim = await fastSimulator({ callbackScale: 0.01, callbackTimeoutMs: 1_000_000 });
		tarball = await packPackage(REPO_DIR);
		n8n = await createN8nInstance({ tarball });
		await n8n.importCredentials([{ ...credential, type: 'nyneApi', data: simCredentialData(sim) }]);

		// Imported and published before the server starts: `n8n start` activates them.
		ids.open = await n8n.importWorkflow(
			workflow(
				'E2E: Nyne Trigger (all job types, no token)',
				[nyneTrigger('Nyne Trigger', randomUUID(), {}), passThroughSet('Edit Fields')],
				[['Nyne Trigger', 'Edit Fields']],
			),
		);
		ids.guarded = await n8n.importWorkflow(
			workflow(
				'E2E: Nyne Trigger (leads only, token, no failed jobs)',
				[
					nyneTrigger('Nyne Trigger', randomUUID(), {
						jobTypes: ['leads'],
						token,
						includeFailed: false,
					}),
					passThroughSet('Edit Fields'),
				],
				[['Nyne Trigger', 'Edit Fields']],
			),
		);
		ids.receiver = await n8n.importWorkflow(
			workflow(
				'E2E: callback flow B (receive)',
				[nyneTrigger('Nyne Trigger', randomUUID(), { token }), passThroughSet('Received')],
				[['Nyne Trigger', 'Received']],
			),
		);
		ids.empty = await n8n.importWorkflow(
			workflow(
				'E2E: Nyne Trigger (jobs with no results too)',
				[
					nyneTrigger('Nyne Trigger', randomUUID(), { includeEmpty: true }),
					passThroughSet('Edit Fields'),
				],
				[['Nyne Trigger', 'Edit Fields']],
			),
		);
		for (const id of Object.values(ids)) await n8n.publishWorkflow(id);
		await n8n.start();
		session = await n8n.setupOwnerAndLogin();
		urls.open = await n8n.webhookUrl(ids.open, 'Nyne Trigger');
		urls.guarded = await n8n.webhookUrl(ids.guarded, 'Nyne Trigger');
		urls.receiver = await n8n.webhookUrl(ids.receiver, 'Nyne Trigger');
		urls.empty = await n8n.webhookUrl(ids.empty, 'Nyne Trigger');
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sim?.stop();
		if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	});

	/** Executions of a workflow, waiting until at least `count` have finished. */
	async function finishedExecutions(workflowId: string, count: number) {
		return await n8n.waitForExecutions(workflowId, count, { timeoutMs: 30_000 });
	}

	/**
	 * Proves that requests sent before did not start executions: a callback sent after them starts one,
	 * and once it has finished it is the only execution since `before` (a request that would start an
	 * execution registers it before n8n answers, so an earlier one would show up first).
	 */
	async function expectOnlySentinelExecution(
		url: string,
		workflowId: string,
		before: number,
	): Promise<void> {
		const sentinel = leadsId();
		expect((await postTo(url, leadsCallback(sentinel, [lead(1)]))).status).toBe(200);
		const executions = await finishedExecutions(workflowId, before + 1);
		const since = executions.slice(before);
		expect(since).toHaveLength(1);
		const run = await n8n.getExecution(since[0].id);
		expect(nodeOutput(run, 'Nyne Trigger').map((item) => item.request_id)).toEqual([sentinel]);
	}

	describe('credential test (POST /rest/credentials/test)', () => {
		const base = () => simCredentialData(sim);

		test('right key: OK; wrong key or secret: a failure that says so, never echoing the secret; no credits spent', async () => {
			sim.resetLog();
			const chargesBefore = sim.getCharges().length;
			const creditsBefore = sim.getCredits(DEFAULT_KEY);

			const body = (data: Json) => ({
				credentials: { id: credential.id, name: credential.name, type: 'nyneApi', data },
			});
			const right = await session.raw('POST', '/rest/credentials/test', body(base()));
			const wrongSecret = await session.raw(
				'POST',
				'/rest/credentials/test',
				body({ ...base(), apiSecret: 'wrong-secret-123' }),
			);
			const wrongKey = await session.raw(
				'POST',
				'/rest/credentials/test',
				body({ ...base(), apiKey: 'unknown-key-456' }),
			);

			expect(right.status).toBe(200);
			expect((right.body as { data: Json }).data).toEqual(
				expect.objectContaining({ status: 'OK' }),
			);
			for (const wrong of [wrongSecret, wrongKey]) {
				expect(wrong.status).toBe(200);
				expect((wrong.body as { data: Json }).data).toEqual({
					status: 'Error',
					message: expect.stringContaining('Nyne rejected the API key or secret'),
				});
			}
			for (const response of [right, wrongSecret, wrongKey]) {
				const text = JSON.stringify(response.body);
				expect(text).not.toContain(DEFAULT_SECRET);
				expect(text).not.toContain('wrong-secret-123');
			}

			// The test is one status request for an id that cannot exist: 404 for the right key, 401 otherwise.
			const log = sim.getLog();
			expect(log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
				['GET', '/person/interests', 404],
				['GET', '/person/interests', 401],
				['GET', '/person/interests', 401],
			]);
			expect(sim.getCounters().submits).toBe(0);
			expect(sim.getCharges()).toHaveLength(chargesBefore);
			expect(sim.getCredits(DEFAULT_KEY)).toBe(creditsBefore);
		});
	});

	describe('Nyne Trigger on its production URL', () => {
		test('a leads callback in Nyne’s documented shape starts one execution with one item per lead', async () => {
			const requestId = leadsId();
			const leads = [lead(1), lead(2), lead(3)];
			const answer = await postTo(urls.open, leadsCallback(requestId, leads));
			expect(answer.status).toBe(200);

			const [execution] = await finishedExecutions(ids.open, 1);
			expect(execution.status).toBe('success');
			expect(execution.mode).toBe('webhook');
			const run = await n8n.getExecution(execution.id);
			expect(runError(run)).toBeUndefined();
			const expected = leads.map((entry) => ({
				...entry,
				request_id: requestId,
				job_type: 'leads',
			}));
			expect(nodeOutput(run, 'Nyne Trigger')).toEqual(expected);
			expect(nodeOutput(run, 'Edit Fields')).toEqual(
				expected.map((item) => ({ ...item, seen_by: 'Edit Fields' })),
			);
		});

		// n8n 2.41.1 keeps static data written in webhook() only while the workflow has none yet; "after other
		// jobs" makes sure the trigger does not depend on it (it did before 71ad956).
		test('the same request_id delivered twice (a Nyne retry), after other jobs: both answered 2xx, one execution', async () => {
			const before = (await n8n.executions(ids.open)).length;
			// Another job first, so this does not depend on test order: the trigger has seen a delivery before.
			expect((await postTo(urls.open, leadsCallback(leadsId(), [lead(9)]))).status).toBe(200);
			await finishedExecutions(ids.open, before + 1);

			const requestId = leadsId();
			const payload = leadsCallback(requestId, [lead(4), lead(5)]);
			const first = await postTo(urls.open, payload);
			expect(first.status).toBe(200);
			await finishedExecutions(ids.open, before + 2);
			const second = await postTo(urls.open, payload);
			expect(second.status).toBeGreaterThanOrEqual(200);
			expect(second.status).toBeLessThan(300);

			await expectOnlySentinelExecution(urls.open, ids.open, before + 2);
		});

		test('malformed bodies are refused (4xx) and start nothing', async () => {
			const before = (await n8n.executions(ids.open)).length;
			// Broken JSON never reaches the node: n8n's body parser answers 422 itself.
			const brokenJson = await postTo(urls.open, '{"request_id": "abc", ', 'application/json');
			expect(brokenJson.status).toBe(422);
			const notJson = await postTo(urls.open, 'request_id=abc&status=completed', 'text/plain');
			expect(notJson.status).toBe(400);
			expect(notJson.json).toEqual({ message: 'Expected a JSON object from Nyne.' });
			const noRequestId = await postTo(urls.open, { status: 'completed', results: [lead(1)] });
			expect(noRequestId.status).toBe(400);
			expect(noRequestId.json).toEqual({ message: 'Not a Nyne callback: request_id is missing.' });
			const anArray = await postTo(urls.open, [leadsCallback(leadsId(), [lead(1)])]);
			expect(anArray.status).toBe(400);
			await expectOnlySentinelExecution(urls.open, ids.open, before);
		});

		test('a failed job (Include Failed on) starts an execution with one item: request_id, status, error', async () => {
			const before = (await n8n.executions(ids.open)).length;
			const requestId = leadsId();
			const answer = await postTo(urls.open, {
				request_id: requestId,
				status: 'failed',
				error: 'Search provider unavailable',
			});
			expect(answer.status).toBe(200);
			const executions = await finishedExecutions(ids.open, before + 1);
			const run = await n8n.getExecution(executions[before].id);
			expect(nodeOutput(run, 'Nyne Trigger')).toEqual([
				{
					request_id: requestId,
					status: 'failed',
					error: 'Search provider unavailable',
					job_type: 'leads',
				},
			]);
		});

		test('with a token: none or a wrong one → 401 and nothing starts; the right ?token= → an execution', async () => {
			const before = (await n8n.executions(ids.guarded)).length;
			const payload = leadsCallback(leadsId(), [lead(6)]);
			const none = await postTo(urls.guarded, payload);
			expect(none.status).toBe(401);
			expect(none.json).toEqual({ message: 'Missing or wrong token in the callback URL.' });
			const wrong = await postTo(
				`${urls.guarded}?token=${encodeURIComponent(`${token}x`)}`,
				payload,
			);
			expect(wrong.status).toBe(401);

			const requestId = leadsId();
			const right = await postTo(
				`${urls.guarded}?token=${encodeURIComponent(token)}`,
				leadsCallback(requestId, [lead(7), lead(8)]),
			);
			expect(right.status).toBe(200);
			const executions = await finishedExecutions(ids.guarded, before + 1);
			expect(executions.slice(before)).toHaveLength(1);
			const run = await n8n.getExecution(executions[before].id);
			expect(nodeOutput(run, 'Nyne Trigger')).toEqual(
				[lead(7), lead(8)].map((entry) => ({ ...entry, request_id: requestId, job_type: 'leads' })),
			);
			// The rejected ones used another request_id: had they run, they would be here too.
			expect((await n8n.executions(ids.guarded)).length).toBe(before + 1);
		});

		test('a job type not selected, and a failed job with Include Failed off: 200 and nothing starts', async () => {
			const before = (await n8n.executions(ids.guarded)).length;
			const withToken = `${urls.guarded}?token=${encodeURIComponent(token)}`;
			const interests = await postTo(withToken, {
				request_id: interestsId(),
				status: 'completed',
				completed: true,
				result: {
					core_profile: { archetypes: ['Tech Leader'], supporting_accounts: ['@techcrunch'] },
				},
				completed_on: '2026-01-14T15:30:00',
				timestamp: new Date().toISOString(),
			});
			expect(interests.status).toBe(200);
			const failed = await postTo(withToken, {
				request_id: leadsId(),
				status: 'failed',
				error: 'No matching posts',
			});
			expect(failed.status).toBe(200);
			await expectOnlySentinelExecution(withToken, ids.guarded, before);
		});

		test('shapes the docs leave open: interests under data, the {success, data, timestamp} envelope, interactions with results_count', async () => {
			const before = (await n8n.executions(ids.open)).length;
			const sections = {
				core_profile: { archetypes: ['Builder'], supporting_accounts: ['@github'] },
				following_count: 12,
			};
			const follower = {
				username: 'ana_s',
				display_name: 'Ana Silva',
				profile_url: 'https://x.com/ana_s',
				followers_count: 3,
			};
			const interactionsId = `interaction_${hex(8)}_1717000000_4271`;
			const [underData, enveloped] = [interestsId(), interestsId()];
			const bodies = [
				{ request_id: underData, status: 'completed', completed: true, data: sections },
				{
					success: true,
					data: { request_id: enveloped, status: 'completed', completed: true, result: sections },
					timestamp: '2026-01-01T00:00:00',
				},
				{
					request_id: interactionsId,
					status: 'completed',
					results: {
						interaction_type: 'followers',
						platform: 'twitter',
						target: { username: 'jane' },
						interactions: [follower],
					},
					results_count: 1,
				},
			];
			for (const body of bodies) expect((await postTo(urls.open, body)).status).toBe(200);
			const executions = (await finishedExecutions(ids.open, before + bodies.length)).slice(before);
			expect(executions).toHaveLength(bodies.length);
			const outputs = await Promise.all(
				executions.map(async (execution) =>
					nodeOutput(await n8n.getExecution(execution.id), 'Nyne Trigger'),
				),
			);
			const byId = new Map(outputs.map((items) => [items[0].request_id, items]));
			expect(byId.get(underData)).toEqual([
				{ ...sections, request_id: underData, status: 'completed', job_type: 'interests' },
			]);
			expect(byId.get(enveloped)).toEqual([
				{ ...sections, request_id: enveloped, status: 'completed', job_type: 'interests' },
			]);
			expect(byId.get(interactionsId)).toEqual([
				{
					...follower,
					request_id: interactionsId,
					interaction_type: 'followers',
					platform: 'twitter',
					target: { username: 'jane' },
					job_type: 'interactions',
				},
			]);
		});

		test('a body with a request_id it cannot shape: 200 and one execution with the payload as received, job_type unknown', async () => {
			const before = (await n8n.executions(ids.open)).length;
			const body = { request_id: `job-${hex(6)}`, status: 'done', profile: { name: 'Jane' } };
			expect((await postTo(urls.open, body)).status).toBe(200);
			const executions = (await finishedExecutions(ids.open, before + 1)).slice(before);
			expect(executions).toHaveLength(1);
			const run = await n8n.getExecution(executions[0].id);
			expect(nodeOutput(run, 'Nyne Trigger')).toEqual([
				{ request_id: body.request_id, status: 'done', job_type: 'unknown', payload: body },
			]);
		});

		test('jobs with no results: nothing starts by default; with Include Jobs With No Results, one item with results_count 0', async () => {
			const beforeOpen = (await n8n.executions(ids.open)).length;
			const beforeEmpty = (await n8n.executions(ids.empty)).length;
			const requestId = leadsId();
			const empty = leadsCallback(requestId, []);
			expect((await postTo(urls.open, empty)).json).toEqual({
				message: 'Received: the job has no results.',
			});
			await expectOnlySentinelExecution(urls.open, ids.open, beforeOpen);

			expect((await postTo(`${urls.empty}?contact_id=77`, empty)).status).toBe(200);
			const executions = (await finishedExecutions(ids.empty, beforeEmpty + 1)).slice(beforeEmpty);
			expect(executions).toHaveLength(1);
			const run = await n8n.getExecution(executions[0].id);
			expect(nodeOutput(run, 'Nyne Trigger')).toEqual([
				{
					request_id: requestId,
					job_type: 'leads',
					status: 'completed',
					results_count: 0,
					callback_params: { contact_id: '77' },
				},
			]);
		});

		test('query parameters of the callback URL but token reach every item, under callback_params', async () => {
			const before = (await n8n.executions(ids.guarded)).length;
			const requestId = leadsId();
			const url = `${urls.guarded}?token=${encodeURIComponent(token)}&contact_id=crm-9&list=${encodeURIComponent('Q3 leads')}`;
			expect((await postTo(url, leadsCallback(requestId, [lead(1), lead(2)]))).status).toBe(200);
			const executions = (await finishedExecutions(ids.guarded, before + 1)).slice(before);
			expect(executions).toHaveLength(1);
			const run = await n8n.getExecution(executions[0].id);
			const items = nodeOutput(run, 'Nyne Trigger');
			expect(items).toEqual(
				[lead(1), lead(2)].map((entry) => ({
					...entry,
					request_id: requestId,
					job_type: 'leads',
					callback_params: { contact_id: 'crm-9', list: 'Q3 leads' },
				})),
			);
			expect(JSON.stringify(nodeItems(run, 'Edit Fields'))).not.toContain(token);
		});

		test('the panel warns while Token is empty, and not once one is set (node type as n8n serves it)', async () => {
			const types = (await session.nodeTypes()) as unknown as INodeTypeDescription[];
			const description = types.find((type) => type.name === 'n8n-nodes-nyne.nyneTrigger');
			expect(description).toBeDefined();
			const notice = description!.properties.find(
				(property) => property.name === 'tokenNotice',
			) as INodeProperties;
			expect(notice).toEqual(
				expect.objectContaining({
					type: 'notice',
					displayName: expect.stringContaining('anyone who learns this Production URL'),
				}),
			);
			const shown = (parameters: Record<string, string>) =>
				NodeHelpers.displayParameter(
					NodeHelpers.getNodeParameters(
						description!.properties,
						parameters,
						true,
						false,
						null,
						description!,
					) ?? {},
					notice,
					null,
					description!,
				);
			expect(shown({})).toBe(true);
			expect(shown({ token })).toBe(false);
		});
	});

	describe('callback flow: Submit Only with a Callback URL → the simulator → Nyne Trigger', () => {
		test('workflow B runs once with exactly the leads the simulator produced; delivered 2xx on the first attempt', async () => {
			sim.resetLog();
			const callbackUrl = `${urls.receiver}?token=${encodeURIComponent(token)}&contact_id=crm-4711`;
			const submitId = await n8n.importWorkflow(
				workflow(
					'E2E: callback flow A (submit)',
					[
						manualTrigger(),
						nyneNode(
							'Search Leads',
							{
								operation: 'searchLeads',
								mode: 'submit',
								searchDescription:
									'Marketing directors at SaaS companies interested in AI tools [n=5]',
								options: { callbackUrl },
							},
							{ credential },
						),
					],
					[['Start', 'Search Leads']],
				),
			);
			const runA = await n8n.execute(submitId); // a CLI process, while the server runs
			expect(runA.status).toBe('success');
			const [submitted] = nodeOutput(runA, 'Search Leads');
			expect(submitted).toEqual(
				expect.objectContaining({
					status: 'queued',
					request_id: expect.stringMatching(/^[0-9a-f]{64}$/),
				}),
			);
			const requestId = submitted.request_id as string;
			expect(sim.getJob(requestId)?.callbackUrl).toBe(callbackUrl);

			const [execution] = await finishedExecutions(ids.receiver, 1);
			expect(execution.status).toBe('success');
			const delivery = await waitFor(
				async () => {
					const [entry] = sim.getCallbacks(requestId);
					return entry && entry.state !== 'pending' ? entry : undefined;
				},
				{ timeoutMs: 20_000, description: `callback of ${requestId} settled` },
			);
			expect(delivery.state).toBe('delivered');
			expect(delivery.attempts).toHaveLength(1);
			expect(delivery.attempts[0]).toEqual(
				expect.objectContaining({ attempt: 1, ok: true, statusCode: 200 }),
			);

			const leads = (await pollSimulator(sim, 'leads', requestId)).results as Json[];
			expect(leads).toHaveLength(5);
			const run = await n8n.getExecution(execution.id);
			// Every item says which input it belongs to (the callback URL's contact_id); the token is in none.
			const expected = leads.map((entry) => ({
				...entry,
				request_id: requestId,
				job_type: 'leads',
				callback_params: { contact_id: 'crm-4711' },
			}));
			expect(nodeOutput(run, 'Nyne Trigger')).toEqual(expected);
			expect(JSON.stringify(nodeOutput(run, 'Nyne Trigger'))).not.toContain(token);
			expect(nodeItems(run, 'Received').map((item) => item.json)).toEqual(
				expected.map((item) => ({ ...item, seen_by: 'Received' })),
			);
			expect(await n8n.executions(ids.receiver)).toHaveLength(1);
		});
	});

	describe('after n8n restarts', () => {
		/*
		 * KNOWN LIMIT (README, Nyne Trigger → Dedupe): across a restart only the workflow's static data remains.
		 * n8n 2.x starts a delivery's execution before it answers, and building that execution re-wraps the
		 * stored static data, which clears the change flag: what webhook() wrote is saved only while the
		 * workflow had none (WebhookHelpers.executeWebhook, WorkflowRunner.run; test/harness/webhook.ts mirrors
		 * it). n8n 1.x answers, and saves, first. So on 2.x a repeat after a restart starts a second execution,
		 * on 1.x it is recognised. This asserts that outcome for the version under test: when it changes,
		 * change this and the README.
		 */
		const keepsWebhookStaticData = selectedN8nVersion().startsWith('1.');
		test(`a delivery repeated after a restart (Nyne retrying a callback n8n received) ${keepsWebhookStaticData ? 'is recognised' : 'starts a second execution'}`, async () => {
			const before = (await n8n.executions(ids.open)).length;
			// Other jobs first: the trigger has seen deliveries before, as on any instance in use.
			expect((await postTo(urls.open, leadsCallback(leadsId(), [lead(1)]))).status).toBe(200);
			const requestId = leadsId();
			const payload = leadsCallback(requestId, [lead(2), lead(3)]);
			expect((await postTo(urls.open, payload)).status).toBe(200);
			await finishedExecutions(ids.open, before + 2);
			// Before the restart the repeat is recognised (the trigger's memory).
			const repeat = await postTo(urls.open, payload);
			expect(repeat.status).toBe(200);
			expect(repeat.json).toEqual({ message: 'Already received.' });
			// What survives a restart: the workflow's static data.
			const staticData = await n8n.workflowStaticData(ids.open);
			expect(staticData).toEqual(expect.any(Object));
			expect(JSON.stringify(staticData).includes(requestId)).toBe(keepsWebhookStaticData);

			await n8n.stop();
			await n8n.start();
			await n8n.waitForWebhook(urls.open);
			const again = await postTo(urls.open, payload);
			expect(again.status).toBe(200);

			if (keepsWebhookStaticData) {
				await expectOnlySentinelExecution(urls.open, ids.open, before + 2);
				return;
			}
			const executions = await finishedExecutions(ids.open, before + 3);
			const since = executions.slice(before + 2);
			expect(since).toHaveLength(1);
			const run = await n8n.getExecution(since[0].id);
			expect(nodeOutput(run, 'Nyne Trigger').map((item) => item.request_id)).toEqual([
				requestId,
				requestId,
			]);
			await expectOnlySentinelExecution(urls.open, ids.open, before + 3);
		});
	});
});

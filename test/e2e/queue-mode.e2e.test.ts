/**
 * The packed package in n8n's queue mode, as users scale n8n: PostgreSQL and Redis (started here, on
 * 127.0.0.1, throw-away data), a main process (EXECUTIONS_MODE=queue), two workers (`n8n worker
 * --concurrency=1`) and a webhook processor (`n8n webhook`), each with the package installed in its own
 * user folder; the Nyne simulator at scaled rate limits.
 *
 * 1. Three workflows of 40 Get Interests items (Wait for Result, one shared key) started together, run by
 *    both workers: every item a result, nothing submitted twice, nothing accepted left uncollected, under 5%
 *    of requests answered 429; the 429 count and wall time are printed next to the same work in one n8n
 *    process (README → Scaling).
 * 2. Nyne's callbacks through the webhook processor to a Nyne Trigger: one execution per job, on a worker;
 *    the same delivery repeated 1 s and 5 s later (Nyne's retry schedule) starts none. A repeat that reaches
 *    another n8n process starts a second execution (a limit of n8n's static data, asserted as such); the
 *    callback example's Remove Duplicates node (its record is in n8n's database) is the remedy, tested here.
 *
 * Runs on the pinned n8n only (not on every version of the e2e matrix). Needs redis-server and postgresql
 * (scripts/install-queue-services.sh; .ci/run calls it). Part of `npm test`; alone:
 * `npx jest --selectProjects e2e -- test/e2e/queue-mode.e2e.test.ts`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NyneSimulator } from '../simulator';
import {
	createN8nInstance,
	describeE2e,
	ensureN8n,
	nodeOutput,
	packPackage,
	REPO_DIR,
	runError,
	sleep,
	waitFor,
	type N8nInstance,
	type RunJson,
	type WorkflowJson,
} from './lib';
import { DEFAULT_N8N_VERSION, selectedN8nVersion } from './lib/install';
import {
	createActiveWorkflowViaRest,
	createCredentialViaRest,
	createQueueCluster,
	type N8nQueueCluster,
} from './lib/queue';
import { Agent, request } from 'undici';
import {
	fastSimulator,
	itemsNodes,
	nyneNode,
	nyneTrigger,
	passThroughSet,
	simCredentialData,
	workflow,
	type NodeJson,
} from './lib/nyne';

type Json = Record<string, unknown>;
type Credential = { id: string; name: string };

const token = `tok-${randomBytes(12).toString('hex')}`;

/** Scenario 1's load: 3 executions × 40 Get Interests items on one key. */
const WORKFLOWS = 3;
const ITEMS = 40;
/** The key's limit, scaled: 30 requests per 3 s (and 1000 per 3 min), as in the issue's trial. */
const RATE = { perMinute: 30, perHour: 1000, rateWindowScale: 0.05 };

/** Simulator for scenario 1: job latency as documented (2–6 s), rate windows scaled. */
function rateLimitedSimulator(): Promise<NyneSimulator> {
	return fastSimulator({
		timeScale: 1,
		rateWindowScale: RATE.rateWindowScale,
		rateLimit: { perMinute: RATE.perMinute, perHour: RATE.perHour },
	});
}

/** A production Webhook trigger on /webhook/<path>, answering at once (in queue mode the execution is queued). */
function webhookTrigger(name: string, webhookPath: string): NodeJson {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/** Workflow `index` of scenario 1: a webhook starts it; 40 distinct people; Get Interests, Wait for Result. */
function interestsWorkflow(index: number, credential: Credential): WorkflowJson {
	const people = Array.from({ length: ITEMS }, (_, n) => ({
		email: `person-${index}-${n}@example.com`,
	}));
	return workflow(
		`Queue: ${ITEMS} Get Interests #${index}`,
		[
			webhookTrigger('Start', `queue-interests-${index}-${randomBytes(4).toString('hex')}`),
			...itemsNodes('People', people),
			nyneNode(
				'Get Interests',
				{ operation: 'getInterests', email: '={{ $json.email }}' },
				{ credential },
			),
		],
		[
			['Start', 'People (data)'],
			['People (data)', 'People'],
			['People', 'Get Interests'],
		],
	);
}

/** Submit Only with the callback URL posted to its webhook as `callback_url`: one leads job per topic. */
function submitWorkflow(
	webhookPath: string,
	credential: Credential,
	topics: string[],
): WorkflowJson {
	return workflow(
		'Queue: Submit Only with a callback',
		[
			webhookTrigger('Start', webhookPath),
			...itemsNodes(
				'Topics',
				topics.map((topic) => ({ topic })),
			),
			nyneNode(
				'Submit Leads',
				{
					operation: 'searchLeads',
					mode: 'submit',
					searchDescription: '={{ $json.topic }}',
					options: { callbackUrl: "={{ $('Start').first().json.body.callback_url }}" },
				},
				{ credential },
			),
		],
		[
			['Start', 'Topics (data)'],
			['Topics (data)', 'Topics'],
			['Topics', 'Submit Leads'],
		],
	);
}

const CALLBACK_EXAMPLE = path.join(REPO_DIR, 'examples', 'callback-flow-receive.json');

/** The shipped receive example (Nyne Trigger → Remove Duplicates on request_id → …), on its own path and our token. */
function callbackExample(webhookId: string): WorkflowJson {
	const example = JSON.parse(fs.readFileSync(CALLBACK_EXAMPLE, 'utf8')) as WorkflowJson;
	const nodes = example.nodes.map((node) =>
		node.type === 'n8n-nodes-nyne.nyneTrigger'
			? { ...node, webhookId, parameters: { ...(node.parameters as Json), token } }
			: node,
	);
	const { id: _id, pinData: _pinData, ...rest } = example;
	return { ...rest, name: `Queue: ${example.name}`, nodes };
}

/** The example's Remove Duplicates node: what it passes on is what the rest of the workflow sees. */
function dedupeNodeName(): string {
	const example = JSON.parse(fs.readFileSync(CALLBACK_EXAMPLE, 'utf8')) as WorkflowJson;
	const matches = example.nodes.filter((node) => node.type === 'n8n-nodes-base.removeDuplicates');
	expect(matches).toHaveLength(1);
	return matches[0].name as string;
}

/**
 * POSTs JSON on a connection of its own: a pooled keep-alive connection that n8n has just closed would fail
 * the request ("other side closed"), and a webhook call must not be sent twice to find out.
 */
async function postTo(url: string, body: unknown): Promise<{ status: number }> {
	const agent = new Agent();
	try {
		const res = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			dispatcher: agent,
		});
		await res.body.dump();
		return { status: res.statusCode };
	} finally {
		await agent.close();
	}
}

/** A database timestamp as ms; SQLite's have no zone and are UTC. */
function dbTime(value: string | null | undefined): number {
	const text = String(value);
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

function webhookPathOf(wf: WorkflowJson): string {
	const start = wf.nodes.find((node) => node.type === 'n8n-nodes-base.webhook') as NodeJson;
	return (start.parameters as Json).path as string;
}

interface LoadFigures {
	wallMs: number;
	requests: number;
	status429: number;
	accepted: number;
	duplicateSubmissions: number;
}

/**
 * What a user would check after scenario 1: every item of every execution is a completed result; every job
 * the simulator accepted reached an output (none paid for and dropped); nothing was submitted twice.
 */
function checkLoad(sim: NyneSimulator, runs: RunJson[]): Omit<LoadFigures, 'wallMs'> {
	const outputIds: string[] = [];
	for (const run of runs) {
		expect(runError(run)).toBeUndefined();
		const items = nodeOutput(run, 'Get Interests');
		expect(items).toHaveLength(ITEMS);
		for (const item of items) {
			expect(item).toEqual(
				expect.objectContaining({ status: 'completed', request_id: expect.any(String) }),
			);
			outputIds.push(item.request_id as string);
		}
	}
	const accepted = sim
		.getLog()
		.filter((entry) => entry.op === 'submit' && entry.status === 202)
		.map((entry) => entry.requestId as string);
	expect(new Set(outputIds).size).toBe(WORKFLOWS * ITEMS);
	expect([...accepted].sort()).toEqual([...outputIds].sort());
	const counters = sim.getCounters();
	expect(counters.duplicateSubmissions).toBe(0);
	return {
		requests: counters.requests,
		status429: counters.status429,
		accepted: accepted.length,
		duplicateSubmissions: counters.duplicateSubmissions,
	};
}

function describeFigures(label: string, figures: LoadFigures): string {
	const share = figures.requests ? ((100 * figures.status429) / figures.requests).toFixed(1) : '0';
	return `${label}: wall ${(figures.wallMs / 1000).toFixed(1)} s, ${figures.requests} requests, ${figures.status429} × 429 (${share}%), ${figures.accepted} jobs, ${figures.duplicateSubmissions} duplicate submissions`;
}

const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

const report: string[] = [];
const measured: { queue?: LoadFigures; single?: LoadFigures } = {};

// The matrix's other n8n versions run the rest of the e2e suite; queue mode is proven on the pinned one.
const describeOnPinnedN8n =
	selectedN8nVersion() === DEFAULT_N8N_VERSION ? describeE2e : describe.skip;

describeOnPinnedN8n(
	'n8n queue mode: main + 2 workers + webhook processor on PostgreSQL and Redis (packed package, simulator)',
	() => {
		let tarball: string | undefined;

		beforeAll(async () => {
			await ensureN8n();
			tarball = await packPackage(REPO_DIR);
		});

		afterAll(() => {
			if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
			if (measured.queue)
				report.push(describeFigures('scenario 1, queue mode (2 workers)', measured.queue));
			if (measured.single)
				report.push(describeFigures('scenario 1, one n8n process', measured.single));
			if (report.length > 0)
				console.log(`queue-mode figures:\n${report.map((line) => `  ${line}`).join('\n')}`);
		});

		describe('queue mode', () => {
			let cluster: N8nQueueCluster;
			let loadSim: NyneSimulator;
			let callbackSim: NyneSimulator;
			let load: WorkflowJson[] = [];
			const ids = { load: [] as string[], submit: '', receiver: '', dedupedReceiver: '' };
			const hooks = { receiver: randomUUID(), dedupedReceiver: randomUUID() };
			const submitPath = `queue-submit-${randomBytes(4).toString('hex')}`;
			/** The Nyne Trigger's production URL on the webhook processor and on main (both answer production webhooks). */
			const triggerUrl = (process: 'webhook' | 'main', hook: string) =>
				`${process === 'webhook' ? cluster.webhook.url('') : cluster.main.baseUrl}/webhook/${hook}/nyne?token=${encodeURIComponent(token)}`;

			beforeAll(async () => {
				[loadSim, callbackSim] = await Promise.all([
					rateLimitedSimulator(),
					// Callbacks a moment after the job ends; no retries of our own making (each attempt may take 10 s).
					fastSimulator({ callbackScale: 0.01, callbackTimeoutMs: 1_000_000 }),
				]);
				cluster = await createQueueCluster({
					tarball: tarball as string,
					workers: 2,
					workerConcurrency: 1,
				});
				await cluster.start();
				const session = await cluster.main.setupOwnerAndLogin();
				const loadCredential = await createCredentialViaRest(session, {
					name: 'Nyne (simulator)',
					type: 'nyneApi',
					data: simCredentialData(loadSim),
				});
				const callbackCredential = await createCredentialViaRest(session, {
					name: 'Nyne (callback simulator)',
					type: 'nyneApi',
					data: simCredentialData(callbackSim),
				});
				load = Array.from({ length: WORKFLOWS }, (_, index) =>
					interestsWorkflow(index + 1, loadCredential),
				);
				const topics = [
					'Founders of climate startups hiring engineers [n=3]',
					'Heads of data at retailers comparing warehouses [n=2]',
					'Nurses discussing scheduling software [n=4]',
					'Teachers looking for grading tools [n=1]',
					'Logistics managers evaluating route planners [n=2]',
				];
				const submit = submitWorkflow(submitPath, callbackCredential, topics);
				const receiver = workflow(
					'Queue: Nyne Trigger',
					[nyneTrigger('Nyne Trigger', hooks.receiver, { token }), passThroughSet('Received')],
					[['Nyne Trigger', 'Received']],
				);
				const dedupedReceiver = callbackExample(hooks.dedupedReceiver);
				ids.load = [];
				for (const wf of load) ids.load.push(await createActiveWorkflowViaRest(session, wf));
				ids.submit = await createActiveWorkflowViaRest(session, submit);
				ids.receiver = await createActiveWorkflowViaRest(session, receiver);
				ids.dedupedReceiver = await createActiveWorkflowViaRest(session, dedupedReceiver);
				for (const wf of [...load, submit])
					await cluster.waitForWebhook(cluster.webhook.url(`/webhook/${webhookPathOf(wf)}`));
				for (const hook of Object.values(hooks)) {
					await cluster.waitForWebhook(cluster.webhook.url(`/webhook/${hook}/nyne`));
					await cluster.waitForWebhook(`${cluster.main.baseUrl}/webhook/${hook}/nyne`);
				}
			});

			afterAll(async () => {
				await cluster?.dispose();
				await Promise.allSettled([loadSim?.stop(), callbackSim?.stop()]);
			});

			/** Runs the submit workflow (on a worker) for callbacks to `callbackUrl`; resolves with the delivered callbacks. */
			async function submitJobsWithCallbacks(callbackUrl: string) {
				callbackSim.resetLog();
				const before = (await cluster.executions(ids.submit)).length;
				expect(
					(
						await postTo(cluster.webhook.url(`/webhook/${submitPath}`), {
							callback_url: callbackUrl,
						})
					).status,
				).toBe(200);
				const runs = await cluster.waitForExecutions(ids.submit, before + 1);
				expect(runs[before].status).toBe('success');
				const requestIds = nodeOutput(
					await cluster.getExecution(runs[before].id),
					'Submit Leads',
				).map((item) => item.request_id as string);
				expect(requestIds).toHaveLength(5);
				// Nyne delivers each job once; every delivery is acknowledged on the first attempt.
				const deliveries = await waitFor(
					async () => {
						const all = requestIds.map((id) => callbackSim.getCallbacks(id)[0]);
						return all.every((delivery) => delivery && delivery.state !== 'pending')
							? all
							: undefined;
					},
					{ timeoutMs: 60_000, description: 'every callback delivered' },
				);
				for (const delivery of deliveries) {
					expect(delivery.state).toBe('delivered');
					expect(delivery.attempts).toHaveLength(1);
				}
				return { requestIds, deliveries };
			}

			/** Request ids each execution of the workflow passed to `nodeName` (executions where it did not run: none). */
			async function requestIdsPerExecution(
				workflowId: string,
				count: number,
				nodeName: string,
			): Promise<string[][]> {
				const rows = await cluster.waitForExecutions(workflowId, count);
				const owners = cluster.workerOfExecutions();
				for (const row of rows) {
					expect(row.status).toBe('success');
					expect(row.mode).toBe('webhook');
					expect(owners.get(Number(row.id))).toMatch(/^worker-/);
				}
				return await Promise.all(
					rows.map(async (row) => {
						const run = await cluster.getExecution(row.id);
						return run.data.resultData.runData[nodeName]
							? [...new Set(nodeOutput(run, nodeName).map((item) => item.request_id as string))]
							: [];
					}),
				);
			}

			/** The workflow's static data once two reads 2 s apart agree (at most 30 s). */
			async function settledStaticData(workflowId: string): Promise<unknown> {
				let last: string | undefined;
				const { data } = await waitFor(
					async () => {
						const data = await cluster.staticData(workflowId);
						const read = JSON.stringify(data);
						const stable = read === last;
						last = read;
						return stable ? { data } : undefined;
					},
					{
						timeoutMs: 30_000,
						intervalMs: 2_000,
						description: `static data of ${workflowId} to settle`,
					},
				);
				return data;
			}

			/** A fresh job sent last: once its execution has finished, any execution a repeat started is there too. */
			async function sendSentinel(url: string): Promise<string> {
				const sentinel = randomBytes(32).toString('hex');
				const body = {
					request_id: sentinel,
					status: 'completed',
					completed: true,
					results: [{ post_url: 'https://x.com/a/status/1234567890' }],
				};
				expect((await postTo(url, body)).status).toBe(200);
				return sentinel;
			}

			const sorted = (lists: string[][]) =>
				lists
					.map((list) => [...list].sort())
					.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));

			test('every process has the package loaded; main, two workers and the webhook processor are up', async () => {
				const session = await cluster.main.setupOwnerAndLogin();
				const types = (await session.nodeTypes()).map((type) => type.name);
				expect(types).toEqual(
					expect.arrayContaining(['n8n-nodes-nyne.nyne', 'n8n-nodes-nyne.nyneTrigger']),
				);
				for (const process of [...cluster.workers, cluster.webhook]) {
					expect(
						fs.existsSync(
							path.join(
								process.instance.userFolder,
								'.n8n',
								'nodes',
								'node_modules',
								'n8n-nodes-nyne',
								'package.json',
							),
						),
					).toBe(true);
					expect(process.isRunning).toBe(true);
				}
			});

			test(`${WORKFLOWS} × ${ITEMS} Get Interests on one key, started together on both workers: every item a result, nothing submitted twice or left uncollected, under 5% 429s`, async () => {
				loadSim.resetLog();
				const started = Date.now();
				const answers = await Promise.all(
					load.map((wf) => postTo(cluster.webhook.url(`/webhook/${webhookPathOf(wf)}`), {})),
				);
				for (const answer of answers) expect(answer.status).toBe(200);
				const rows = (
					await Promise.all(ids.load.map((id) => cluster.waitForExecutions(id, 1, 600_000)))
				).map(([row]) => row);
				const wallMs = Math.max(...rows.map((row) => dbTime(row.stoppedAt))) - started;
				for (const row of rows) {
					expect(row.status).toBe('success');
					expect(row.mode).toBe('webhook');
				}
				// Both workers took part (concurrency 1 each, three executions).
				const owners = cluster.workerOfExecutions();
				const ran = rows.map((row) => owners.get(Number(row.id)));
				expect(ran.every((name) => name?.startsWith('worker-'))).toBe(true);
				expect(new Set(ran).size).toBe(2);

				const runs = await Promise.all(rows.map((row) => cluster.getExecution(row.id)));
				measured.queue = { wallMs, ...checkLoad(loadSim, runs) };
				// Each worker keeps to its share of the key's windows (it sees the other only in the headers).
				expect(measured.queue.status429 / measured.queue.requests).toBeLessThan(0.05);
			});

			let delivered: Awaited<ReturnType<typeof submitJobsWithCallbacks>> | undefined;

			test('callbacks through the webhook processor: one execution per job, on a worker; the same delivery 1 s and 5 s later starts none', async () => {
				delivered = await submitJobsWithCallbacks(triggerUrl('webhook', hooks.receiver));
				const { requestIds, deliveries } = delivered;
				await cluster.waitForExecutions(ids.receiver, requestIds.length);

				// Nyne's retry schedule: the same body again 1 s and 5 s after the first attempt, to the same URL.
				await sleep(1_000);
				for (const delivery of deliveries)
					expect(
						(await postTo(triggerUrl('webhook', hooks.receiver), delivery.payload)).status,
					).toBe(200);
				await sleep(4_000);
				for (const delivery of deliveries)
					expect(
						(await postTo(triggerUrl('webhook', hooks.receiver), delivery.payload)).status,
					).toBe(200);

				const sentinel = await sendSentinel(triggerUrl('webhook', hooks.receiver));
				const perExecution = await requestIdsPerExecution(
					ids.receiver,
					requestIds.length + 1,
					'Nyne Trigger',
				);
				expect(sorted(perExecution)).toEqual(sorted([...requestIds.map((id) => [id]), [sentinel]]));

				// Evidence for the limit below: what the trigger wrote to static data, as the database holds it.
				const stored = (await cluster.staticData(ids.receiver)) as {
					'node:Nyne Trigger'?: { seenCallbacks?: Json };
				} | null;
				const recorded = Object.keys(stored?.['node:Nyne Trigger']?.seenCallbacks ?? {}).length;
				report.push(
					`scenario 2: static data in the database records ${recorded} of the ${requestIds.length + 1} deliveries the trigger received`,
				);
			});

			/*
			 * KNOWN LIMIT (README → Scaling): the trigger remembers deliveries in each process's memory and in the
			 * workflow's static data. n8n 2.x starts a delivery's execution before it answers, and building that
			 * execution re-wraps the stored static data, which clears its change flag: what webhook() wrote is saved
			 * only while the workflow had none, so the database keeps the first delivery ever. A repeat that reaches
			 * another n8n process (a second webhook processor behind a load balancer, or main) is therefore not
			 * recognised and starts a second execution — for every job static data does not hold. This asserts that
			 * outcome (the suite runs on the pinned n8n only); when it changes, change this and the README. The
			 * remedy users have today is the next test.
			 */
			test('a repeat that reaches another n8n process (main, answering the same URL) starts a second execution for each job static data does not hold (n8n limit)', async () => {
				const { requestIds, deliveries } = delivered as NonNullable<typeof delivered>;
				// A process may still be saving static data after the executions show as finished (seen once under
				// load: the database then held one more delivery than a single read said); read until it is stable.
				const stored = (await settledStaticData(ids.receiver)) as {
					'node:Nyne Trigger'?: { seenCallbacks?: Json };
				} | null;
				const held = new Set(
					Object.keys(stored?.['node:Nyne Trigger']?.seenCallbacks ?? {}).map(
						(key) => key.split('|')[0],
					),
				);
				const notHeld = requestIds.filter((id) => !held.has(id));
				// The database does not hold every delivery the trigger received.
				expect(notHeld.length).toBeGreaterThan(0);
				const before = (await cluster.executions(ids.receiver)).length;
				for (const delivery of deliveries)
					expect((await postTo(triggerUrl('main', hooks.receiver), delivery.payload)).status).toBe(
						200,
					);
				const sentinel = await sendSentinel(triggerUrl('main', hooks.receiver));
				const perExecution = await requestIdsPerExecution(
					ids.receiver,
					before + notHeld.length + 1,
					'Nyne Trigger',
				);
				expect(sorted(perExecution.slice(before))).toEqual(
					sorted([...notHeld.map((id) => [id]), [sentinel]]),
				);
			});

			/**
			 * Request ids the workflow's Remove Duplicates has recorded in n8n's database (it stores an MD5 of each
			 * value, base64). n8n records with an unlocked read-then-write: when two executions record at once, one
			 * can overwrite the other's entry (README → Scaling).
			 */
			async function recordedByRemoveDuplicates(
				workflowId: string,
				requestIds: string[],
			): Promise<string[]> {
				const rows = await cluster.postgres.query<{ value: string }>(
					`SELECT value FROM processed_data WHERE "workflowId" = '${workflowId}'`,
				);
				const hashes = new Set(
					rows.flatMap((row) => (JSON.parse(row.value) as { data?: string[] }).data ?? []),
				);
				return requestIds.filter((id) => hashes.has(createHash('md5').update(id).digest('base64')));
			}

			test('remedy, the callback example: its Remove Duplicates on request_id passes each job on once, whichever process the repeats reach (unless n8n lost its record)', async () => {
				const { requestIds, deliveries } = await submitJobsWithCallbacks(
					triggerUrl('webhook', hooks.dedupedReceiver),
				);
				await cluster.waitForExecutions(ids.dedupedReceiver, requestIds.length);
				// What n8n recorded of the first deliveries. Every repeat reads the record after this, so an entry
				// here is never lost later; an entry missing here (n8n's lost update) lets that job's repeats through.
				const recorded = await recordedByRemoveDuplicates(ids.dedupedReceiver, requestIds);
				// The last of concurrent writers always keeps its own entry: none recorded means none was kept.
				expect(recorded.length).toBeGreaterThan(0);
				await sleep(1_000);
				for (const delivery of deliveries)
					expect(
						(await postTo(triggerUrl('webhook', hooks.dedupedReceiver), delivery.payload)).status,
					).toBe(200);
				await sleep(4_000);
				for (const delivery of deliveries) {
					expect(
						(await postTo(triggerUrl('webhook', hooks.dedupedReceiver), delivery.payload)).status,
					).toBe(200);
					expect(
						(await postTo(triggerUrl('main', hooks.dedupedReceiver), delivery.payload)).status,
					).toBe(200);
				}
				const sentinel = await sendSentinel(triggerUrl('main', hooks.dedupedReceiver));
				// Every execution a repeat started was registered before n8n answered it: wait for all of them to end.
				const executions = await waitFor(
					async () => {
						const rows = await cluster.executions(ids.dedupedReceiver);
						return rows.length > requestIds.length &&
							rows.every((row) => FINAL_STATUSES.includes(row.status))
							? rows
							: undefined;
					},
					{
						timeoutMs: 60_000,
						description: 'every execution of the deduplicated receiver finished',
					},
				);
				// Main's repeats start executions (its memory never saw them), but Remove Duplicates drops their items.
				const perExecution = await requestIdsPerExecution(
					ids.dedupedReceiver,
					executions.length,
					dedupeNodeName(),
				);
				const timesPassedOn = new Map<string, number>();
				for (const id of perExecution.flat())
					timesPassedOn.set(id, (timesPassedOn.get(id) ?? 0) + 1);
				// Every job and the sentinel reach the rest of the workflow; nothing else does.
				expect([...timesPassedOn.keys()].sort()).toEqual([...requestIds, sentinel].sort());
				// A job whose first delivery n8n recorded passes on once, whichever process its repeats reach.
				for (const id of [...recorded, sentinel])
					expect([id, timesPassedOn.get(id)]).toEqual([id, 1]);
				const lost = requestIds.filter((id) => !recorded.includes(id));
				report.push(
					`scenario 2 remedy: ${perExecution.length} executions for ${requestIds.length + 1} jobs; ` +
						`${recorded.length} of ${requestIds.length} first deliveries recorded by n8n, each passed on once; ` +
						`${lost.length} record(s) lost to n8n's concurrent writes, passed on ${lost.map((id) => timesPassedOn.get(id)).join(', ') || '–'} time(s)`,
				);
			});
		});

		describe('the same load in one n8n process (regular mode, SQLite)', () => {
			let n8n: N8nInstance;
			let sim: NyneSimulator;
			let load: WorkflowJson[] = [];
			const ids: string[] = [];

			beforeAll(async () => {
				sim = await rateLimitedSimulator();
				n8n = await createN8nInstance({ tarball });
				// A loaded 2-core machine (the cluster just stopped) can take minutes to boot n8n.
				await n8n.start({ timeoutMs: 300_000 });
				const session = await n8n.setupOwnerAndLogin();
				const credential = await createCredentialViaRest(session, {
					name: 'Nyne (simulator)',
					type: 'nyneApi',
					data: simCredentialData(sim),
				});
				load = Array.from({ length: WORKFLOWS }, (_, index) =>
					interestsWorkflow(index + 1, credential),
				);
				for (const wf of load) ids.push(await createActiveWorkflowViaRest(session, wf));
				for (const wf of load)
					await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${webhookPathOf(wf)}`);
			});

			afterAll(async () => {
				await n8n?.dispose();
				await sim?.stop();
			});

			test(`${WORKFLOWS} × ${ITEMS} Get Interests on one key, started together: every item a result, nothing submitted twice or left uncollected`, async () => {
				sim.resetLog();
				const started = Date.now();
				const answers = await Promise.all(
					load.map((wf) => postTo(`${n8n.baseUrl}/webhook/${webhookPathOf(wf)}`, {})),
				);
				for (const answer of answers) expect(answer.status).toBe(200);
				const rows = (
					await Promise.all(ids.map((id) => n8n.waitForExecutions(id, 1, { timeoutMs: 600_000 })))
				).map(([row]) => row);
				for (const row of rows) expect(row.status).toBe('success');
				const wallMs = Math.max(...rows.map((row) => dbTime(row.stoppedAt))) - started;
				const runs = await Promise.all(rows.map((row) => n8n.getExecution(row.id)));
				measured.single = { wallMs, ...checkLoad(sim, runs) };
			});
		});
	},
);

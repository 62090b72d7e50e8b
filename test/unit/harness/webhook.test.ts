/**
 * The webhook harness: a real HTTP server calling trigger nodes' `webhook()` in n8n-core's WebhookContext.
 * First with a test-local node (harness semantics), then with the real Nyne Trigger, fed by the real Nyne
 * node's callback_url.
 */
import {
	HarnessNodeTypes,
	NODE_TYPES,
	runNode,
	runWorkflow,
	startWebhookHarness,
	type WebhookHarness,
} from '../../harness';
import { requestIdFor, startNyneStub, type NyneStub } from './nyne-stub';

let harness: WebhookHarness | undefined;
let nyne: NyneStub | undefined;
afterEach(async () => {
	await harness?.close();
	await nyne?.close();
	harness = undefined;
	nyne = undefined;
});

describe('startWebhookHarness with a test-local webhook node', () => {
	it('answers like n8n and records the execution the node starts', async () => {
		harness = await startWebhookHarness({ nodeType: 'echoWebhook' });
		expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[0-9a-f-]{36}\/echo$/);

		const answer = await harness.post({ id: 'a', hello: 'world' }, { query: { source: 'test' } });

		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ message: 'Workflow was started' });
		expect(harness.executions).toEqual([
			[
				[
					{
						json: {
							body: { id: 'a', hello: 'world' },
							query: { source: 'test' },
							delivery: 1,
							contentType: 'application/json',
						},
					},
				],
			],
		]);
	});

	it('persists static data written in webhook() only when n8n 2.41 does: a call that starts nothing, or the first one', async () => {
		harness = await startWebhookHarness({ nodeType: 'echoWebhook' });

		await harness.post({ id: 'a' }); // starts an execution; the workflow had no static data: saved
		const duplicate = await harness.post({ id: 'a' }); // starts nothing: saved
		await harness.post({ id: 'b' }); // starts an execution; the workflow has static data now: lost
		await harness.post({ id: 'b' }); // so b is not recognised

		expect(duplicate.status).toBe(200);
		expect(duplicate.body).toEqual({ message: 'duplicate', id: 'a' });
		expect(
			harness.executions.map((execution) => [
				execution[0][0].json.body,
				execution[0][0].json.delivery,
			]),
		).toEqual([
			[{ id: 'a' }, 1],
			[{ id: 'b' }, 3],
			[{ id: 'b' }, 3],
		]);
		expect(harness.nodeStaticData).toEqual({ deliveries: 2, seen: ['a'] });
	});

	it('drops what webhook() wrote when it starts an execution of a workflow that already has static data', async () => {
		harness = await startWebhookHarness({
			nodeType: 'echoWebhook',
			staticData: { 'node:Echo Webhook': { deliveries: 10 } },
		});

		await harness.post({ id: 'a' });
		await harness.post({ id: 'a' });

		expect(harness.executions.map((execution) => execution[0][0].json.delivery)).toEqual([11, 11]);
		expect(harness.nodeStaticData).toEqual({ deliveries: 10 });
	});

	it('lets the node answer by itself (noWebhookResponse) and starts nothing', async () => {
		harness = await startWebhookHarness({ nodeType: 'echoWebhook' });

		const denied = await harness.post({ id: 'a' }, { query: { deny: '1' } });

		expect(denied.status).toBe(403);
		expect(denied.body).toEqual({ message: 'denied' });
		expect(harness.executions).toHaveLength(0);
		expect(harness.calls[0].result).toEqual({ noWebhookResponse: true });
	});

	it('uses the webhook description’s response code and rejects what n8n rejects', async () => {
		harness = await startWebhookHarness({
			nodeType: 'echoWebhook',
			parameters: { responseCode: 202 },
			mode: 'manual',
		});
		expect(harness.url).toContain('/webhook-test/');

		expect((await harness.post({ id: 'a' })).status).toBe(202);
		expect(
			(await harness.post('{not json', { headers: { 'content-type': 'application/json' } })).status,
		).toBe(422);
		expect((await fetch(harness.url)).status).toBe(404); // GET: not registered
		expect((await harness.post({}, { url: `${harness.baseUrl}/webhook/elsewhere` })).status).toBe(
			404,
		);
		expect(harness.executions).toHaveLength(1);
	});
});

const triggerAvailable = new HarnessNodeTypes().isAvailable('nyneTrigger');

(triggerAvailable ? describe : describe.skip)('startWebhookHarness with the Nyne Trigger', () => {
	const requestId = requestIdFor('Founders raising a seed round');
	const callback = {
		request_id: requestId,
		status: 'completed',
		results: [{ full_name: 'Ada' }, { full_name: 'Lin' }],
	};

	it('starts one execution per first delivery and dedupes retries through its static data', async () => {
		harness = await startWebhookHarness({
			nodeType: 'nyneTrigger',
			parameters: { token: 's3cret' },
		});

		const first = await harness.post(callback, { query: { token: 's3cret' } });
		const retry = await harness.post(callback, { query: { token: 's3cret' } });
		const forged = await harness.post(callback, { query: { token: 'guess' } });

		expect(first).toMatchObject({ status: 200, body: { message: 'Workflow was started' } });
		expect(retry.status).toBe(200);
		expect(forged.status).toBe(401);
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0][0].map((item) => item.json.full_name)).toEqual(['Ada', 'Lin']);
		expect(Object.keys(harness.nodeStaticData.seenCallbacks as object)).toEqual([
			`${requestId}|completed`,
		]);
	});

	it('receives the callback of a job the Nyne node submitted with the trigger’s URL', async () => {
		harness = await startWebhookHarness({ nodeType: 'nyneTrigger' });
		nyne = await startNyneStub();

		const submitted = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'Founders raising a seed round',
				mode: 'submit',
				options: { callbackUrl: harness.url },
			},
			credentials: { apiKey: 'key', apiSecret: 'secret', baseUrl: nyne.url },
		});
		expect(submitted.error).toBeUndefined();
		const callbackUrl = (nyne.submits()[0].body as { callback_url?: string }).callback_url;
		expect(callbackUrl).toBe(harness.url);

		// Nyne finishes the job and POSTs it to the callback URL.
		const delivery = await fetch(callbackUrl!, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(callback),
		});
		expect(delivery.status).toBe(200);
		const [execution] = await harness.waitForExecutions(1);
		expect(execution[0]).toHaveLength(2);
		expect(execution[0][0].json).toMatchObject({ full_name: 'Ada', request_id: requestId });

		// The execution n8n would start: the trigger's items flowing into the rest of the workflow.
		const downstream = await runWorkflow(
			{
				nodes: [
					{ name: 'Nyne Trigger', type: NODE_TYPES.nyneTrigger },
					{
						name: 'Greet',
						type: NODE_TYPES.set,
						parameters: {
							fields: {
								values: [{ name: 'greeting', value: '={{ "Hello " + $json.full_name }}' }],
							},
						},
					},
				],
				connections: { 'Nyne Trigger': { main: [[{ node: 'Greet', type: 'main', index: 0 }]] } },
			},
			{ items: execution[0], mode: 'webhook' },
		);
		expect(downstream.executionStatus).toBe('success');
		expect(downstream.nodes.Greet.items.map((item) => item.json.greeting)).toEqual([
			'Hello Ada',
			'Hello Lin',
		]);
	});
});

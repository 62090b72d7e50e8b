/**
 * Proves the e2e harness (test/e2e/lib) against a real n8n with built-in nodes only:
 * CLI import + execute, `n8n start` with a published Webhook workflow, the REST session,
 * and loading this package's packed tarball (test/e2e/global-setup.js builds it).
 *
 * Part of `npm test`; alone: `npm run test:e2e`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import {
	createN8nInstance,
	ensureN8n,
	nodeOutput,
	packPackage,
	REPO_DIR,
	runError,
	type N8nInstance,
	type WorkflowJson,
	describeE2e,
} from './lib';

const enabled = process.env.N8N_E2E === '1';
if (!enabled) {
	// eslint-disable-next-line no-console
	console.info('n8n e2e tests skipped (N8N_E2E=0): run `npm run test:e2e`');
}

const manualSetWorkflow: WorkflowJson = {
	name: 'Harness: Manual → Set',
	nodes: [
		{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'n2',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'a1', name: 'greeting', value: 'hello', type: 'string' },
						{ id: 'a2', name: 'answer', value: '={{ 6 * 7 }}', type: 'number' },
					],
				},
				options: {},
			},
		},
	],
	connections: { Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
};

function webhookWorkflow(webhookPath: string): WorkflowJson {
	return {
		name: `Harness: Webhook ${webhookPath} → Set`,
		nodes: [
			{
				id: 'w1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `0c0c0c0c-0000-4000-8000-${webhookPath.replace(/[^0-9]/g, '').padStart(12, '0').slice(-12)}`,
				parameters: { httpMethod: 'POST', path: webhookPath, options: {} },
			},
			{
				id: 'w2',
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					assignments: {
						assignments: [{ id: 'b1', name: 'greeting', value: "={{ 'hello ' + $json.body.name }}", type: 'string' }],
					},
					options: {},
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
	};
}

async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
	const res = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.statusCode, text: await res.body.text() };
}

describeE2e('n8n e2e harness (built-in nodes)', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		await ensureN8n(); // installs n8n into the cache on first use
		n8n = await createN8nInstance();
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	test('imports and executes a Manual Trigger → Set workflow through the CLI', async () => {
		const id = await n8n.importWorkflow(manualSetWorkflow);
		const run = await n8n.execute(id);

		expect(runError(run)).toBeUndefined();
		expect(nodeOutput(run, 'Set')).toEqual([{ greeting: 'hello', answer: 42 }]);
	});

	test('serves a published Webhook workflow on `n8n start` and records its execution', async () => {
		const atStart = await n8n.importWorkflow(webhookWorkflow('harness-1'));
		await n8n.publishWorkflow(atStart); // server not running: `n8n publish:workflow`
		await n8n.start();

		const url = await n8n.webhookUrl(atStart, 'Webhook');
		expect(url).toBe(`${n8n.baseUrl}/webhook/harness-1`);
		const response = await postJson(url, { name: 'world' });
		expect(response.status).toBe(200);

		const [execution] = await n8n.waitForExecutions(atStart, 1);
		expect(execution.status).toBe('success');
		const run = await n8n.getExecution(execution.id);
		expect(nodeOutput(run, 'Set')).toEqual([{ greeting: 'hello world' }]);
	});

	test('REST session: owner setup, activation while running, credential test endpoint', async () => {
		await n8n.start(); // no-op when the previous test started it
		const session = await n8n.setupOwnerAndLogin();
		expect((await session.me()).email).toBe('owner@example.com');

		// Published while the server runs: goes through POST /rest/workflows/:id/activate.
		const live = await n8n.importWorkflow(webhookWorkflow('harness-2'));
		await n8n.publishWorkflow(live);
		const url = await n8n.webhookUrl(live, 'Webhook');
		expect((await postJson(url, { name: 'again' })).status).toBe(200);
		const [execution] = await n8n.waitForExecutions(live, 1);
		expect(nodeOutput(await n8n.getExecution(execution.id), 'Set')).toEqual([{ greeting: 'hello again' }]);
		expect((await session.listExecutions(live)).map((e) => String(e.id))).toEqual([String(execution.id)]);

		// POST /rest/credentials/test needs a stored credential id (imported even while running).
		const [credId] = await n8n.importCredentials([
			{ name: 'Header auth', type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: 'secret' } },
		]);
		const result = await session.testCredential({ id: credId, type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: 'secret' } });
		// httpHeaderAuth has no test function: n8n answers with a structured result, not an HTTP error.
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/no testing function/i) });
	});
});

describeE2e('n8n e2e harness (this package, packed)', () => {
	let n8n: N8nInstance;
	let tarball: string | undefined;

	beforeAll(async () => {
		await ensureN8n();
		tarball = await packPackage(REPO_DIR);
		n8n = await createN8nInstance({ tarball });
	});

	afterAll(async () => {
		await n8n?.dispose();
		if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	});

	test('n8n loads the package and lists its node and credential types', async () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as {
			name: string;
		};
		expect(fs.existsSync(path.join(n8n.userFolder, '.n8n/nodes/node_modules', manifest.name, 'package.json'))).toBe(true);

		await n8n.start();
		const session = await n8n.setupOwnerAndLogin();
		const nodeTypes = (await session.nodeTypes()).map((t) => t.name);
		const expected = [`${manifest.name}.nyne`];
		if (fs.existsSync(path.join(REPO_DIR, 'dist/nodes/NyneTrigger'))) expected.push(`${manifest.name}.nyneTrigger`);
		expect(nodeTypes).toEqual(expect.arrayContaining(expected));
		const credentialTypes = (await session.credentialTypes()).map((t) => t.name);
		expect(credentialTypes).toContain('nyneApi');
	});

	test('POST /rest/credentials/test runs the package credential test (against a local stand-in)', async () => {
		// Answers like Nyne: unknown request id -> 404 request_not_found (key works), bad key -> 401.
		const api = http.createServer((req, res) => {
			const ok = req.headers['x-api-key'] === 'good-key';
			res.writeHead(ok ? 404 : 401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { code: ok ? 'request_not_found' : 'invalid_credentials' } }));
		});
		await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
		try {
			const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
			await n8n.start();
			const session = await n8n.setupOwnerAndLogin();
			const data = { apiKey: 'good-key', apiSecret: 'secret', baseUrl };
			const [id] = await n8n.importCredentials([{ name: 'Nyne (local)', type: 'nyneApi', data }]);

			expect(await session.testCredential({ id, type: 'nyneApi', data })).toEqual(expect.objectContaining({ status: 'OK' }));
			expect(await session.testCredential({ id, type: 'nyneApi', data: { ...data, apiKey: 'bad-key' } })).toEqual({
				status: 'Error',
				message: expect.stringMatching(/rejected the API key/),
			});
		} finally {
			api.close();
		}
	});
});

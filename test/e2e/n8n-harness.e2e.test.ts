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
import { DEFAULT_KEY, DEFAULT_SECRET, fastSimulator } from './lib/nyne';

const enabled = process.env.N8N_E2E === '1';
if (!enabled) {
	// eslint-disable-next-line no-console
	console.info('n8n e2e tests skipped (N8N_E2E=0): run `npm run test:e2e`');
}

const manualSetWorkflow: WorkflowJson = {
	name: 'Harness: Manual → Set',
	nodes: [
		{
			id: 'n1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
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
				webhookId: `0c0c0c0c-0000-4000-8000-${webhookPath
					.replace(/[^0-9]/g, '')
					.padStart(12, '0')
					.slice(-12)}`,
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
						assignments: [
							{
								id: 'b1',
								name: 'greeting',
								value: "={{ 'hello ' + $json.body.name }}",
								type: 'string',
							},
						],
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
		expect(nodeOutput(await n8n.getExecution(execution.id), 'Set')).toEqual([
			{ greeting: 'hello again' },
		]);
		expect((await session.listExecutions(live)).map((e) => String(e.id))).toEqual([
			String(execution.id),
		]);

		// POST /rest/credentials/test needs a stored credential id (imported even while running).
		const [credId] = await n8n.importCredentials([
			{ name: 'Header auth', type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: 'secret' } },
		]);
		const test = session.testCredential({
			id: credId,
			type: 'httpHeaderAuth',
			data: { name: 'X-Api-Key', value: 'secret' },
		});
		if (n8n.majorVersion >= 2) {
			// httpHeaderAuth has no test function: n8n answers with a structured result, not an HTTP error.
			expect(await test).toEqual({
				status: 'Error',
				message: expect.stringMatching(/no testing function/i),
			});
		} else {
			// n8n 1.x looks for a testing node among every node that takes the credential, tool variants
			// included, and fails with HTTP 500 on one it has not registered (a credential type with a test of
			// its own, like nyneApi below, is unaffected).
			await expect(test).rejects.toMatchObject({
				status: 500,
				body: { message: expect.stringMatching(/Unrecognized node type/) },
			});
		}
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
		expect(
			fs.existsSync(
				path.join(n8n.userFolder, '.n8n/nodes/node_modules', manifest.name, 'package.json'),
			),
		).toBe(true);

		await n8n.start();
		const session = await n8n.setupOwnerAndLogin();
		const nodeTypes = (await session.nodeTypes()).map((t) => t.name);
		const expected = [`${manifest.name}.nyne`];
		if (fs.existsSync(path.join(REPO_DIR, 'dist/nodes/NyneTrigger')))
			expected.push(`${manifest.name}.nyneTrigger`);
		expect(nodeTypes).toEqual(expect.arrayContaining(expected));
		const credentialTypes = (await session.credentialTypes()).map((t) => t.name);
		expect(credentialTypes).toContain('nyneApi');
	});

	test('POST /rest/credentials/test runs the package credential test: OK only for Nyne, a clear message otherwise', async () => {
		const secret = 'secret-SENTINEL-e2e-91c3';
		const sim = await fastSimulator({
			keys: [
				{ key: DEFAULT_KEY, secret: DEFAULT_SECRET },
				{ key: 'key-SENTINEL-e2e', secret },
			],
		});
		// Servers that are not Nyne, by path prefix: an HTML page, `{}`, another API's JSON.
		const notNyne = http.createServer((req, res) => {
			if (req.url?.startsWith('/html/')) {
				res.writeHead(404, { 'content-type': 'text/html' });
				res.end('<html><head><title>Not Found</title></head><body>nginx</body></html>');
			} else if (req.url?.startsWith('/empty/')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{}');
			} else {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ detail: 'Not Found' }));
			}
		});
		await new Promise<void>((resolve) => notNyne.listen(0, '127.0.0.1', resolve));
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		try {
			const otherUrl = `http://127.0.0.1:${(notNyne.address() as AddressInfo).port}`;
			await n8n.start();
			const session = await n8n.setupOwnerAndLogin();
			const data = { apiKey: 'key-SENTINEL-e2e', apiSecret: secret, baseUrl: sim.url };
			const [id] = await n8n.importCredentials([
				{ name: 'Nyne (simulator)', type: 'nyneApi', data },
			]);
			const test = (overrides: Record<string, string>) =>
				session.testCredential({ id, type: 'nyneApi', data: { ...data, ...overrides } });

			expect(await test({})).toEqual({
				status: 'OK',
				message: expect.stringContaining('Nyne accepted the API key and secret'),
			});
			expect(sim.getCounters()).toMatchObject({ submits: 0, polls: 1 });
			const results = {
				wrongSecret: await test({ apiSecret: 'wrong-SENTINEL-secret' }),
				html: await test({ baseUrl: `${otherUrl}/html` }),
				emptyJson: await test({ baseUrl: `${otherUrl}/empty` }),
				otherJson: await test({ baseUrl: `${otherUrl}/other` }),
				wrongPath: await test({ baseUrl: `${sim.url}/v2` }),
				closedPort: await test({ baseUrl: `http://127.0.0.1:${closedPort}` }),
				noScheme: await test({ baseUrl: sim.url.replace('http://', '') }),
			};
			expect(results).toEqual({
				wrongSecret: {
					status: 'Error',
					message: 'Nyne rejected the API key or secret. Copy both again from your Nyne dashboard.',
				},
				html: {
					status: 'Error',
					message: expect.stringContaining(
						'/html/person/interests answered HTTP 404 with an HTML page ("Not Found")',
					),
				},
				emptyJson: {
					status: 'Error',
					message: expect.stringContaining('answered HTTP 200 with an empty JSON object {}'),
				},
				otherJson: {
					status: 'Error',
					message: expect.stringContaining(
						"answered HTTP 404 with JSON that is not Nyne's error envelope (keys: detail)",
					),
				},
				wrongPath: {
					status: 'Error',
					message: expect.stringMatching(
						/\/v2\/person\/interests answered HTTP 404 with Nyne-style error code "not_found".*wrong path/,
					),
				},
				closedPort: {
					status: 'Error',
					message: expect.stringContaining(`Nothing answered at http://127.0.0.1:${closedPort}`),
				},
				noScheme: {
					status: 'Error',
					message: expect.stringContaining('must be an http:// or https:// URL'),
				},
			});
			for (const result of Object.values(results)) {
				expect(result.message).toContain(
					result === results.wrongSecret ? 'API key or secret' : 'Base URL',
				);
			}
			const everything = JSON.stringify(results);
			for (const value of [secret, 'wrong-SENTINEL-secret', 'key-SENTINEL-e2e'])
				expect(everything).not.toContain(value);
			expect(sim.getCharges()).toEqual([]);
		} finally {
			notNyne.close();
			await sim.stop();
		}
	});
});

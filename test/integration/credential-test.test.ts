/**
 * The Nyne API credential's test (the node's `testedBy` method) run the way n8n's CredentialsTester runs
 * it: with n8n-core's CredentialTestContext and its real HTTP helper, against local servers. "OK" only for
 * Nyne's own answer; everything else fails with a message that says what came back. The same test runs
 * through n8n's REST API in test/e2e/n8n-harness.e2e.test.ts.
 */
import * as net from 'node:net';
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialsDecrypted, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { Nyne } from '../../nodes/Nyne/Nyne.node';
import {
	initN8nCore,
	startRecordingServer,
	type HandlerResponse,
	type RecordingServer,
} from '../harness';
import type { NyneSimulator } from '../simulator';
import { DEFAULT_KEY, DEFAULT_SECRET, fastSimulator } from './fixtures';

const SECRET = 'secret-SENTINEL-5f2e';

let sim: NyneSimulator;
let other: RecordingServer;
let answer: HandlerResponse;
beforeAll(async () => {
	initN8nCore();
	sim = await fastSimulator({
		keys: [
			{ key: DEFAULT_KEY, secret: DEFAULT_SECRET },
			{ key: 'key-SENTINEL-77', secret: SECRET },
		],
	});
	other = await startRecordingServer(() => answer);
});
afterAll(async () => {
	await other.close();
	await sim.stop();
});
beforeEach(() => sim.resetLog());

/** Runs the test function n8n finds through the node's `testedBy`, as n8n's CredentialsTester calls it. */
async function testCredential(data: Record<string, unknown>) {
	const node = new Nyne();
	const testedBy = node.description.credentials?.find(
		(credential) => credential.name === 'nyneApi',
	)?.testedBy;
	expect(typeof testedBy).toBe('string');
	const test = node.methods.credentialTest[testedBy as keyof typeof node.methods.credentialTest];
	const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
	const credential: ICredentialsDecrypted = {
		id: 'c1',
		name: 'Nyne',
		type: 'nyneApi',
		data: data as ICredentialsDecrypted['data'],
	};
	return await test.call(context, credential);
}

const simData = (overrides: Record<string, unknown> = {}) => ({
	apiKey: DEFAULT_KEY,
	apiSecret: DEFAULT_SECRET,
	baseUrl: sim.url,
	...overrides,
});

describe('the Nyne API credential test', () => {
	it('says OK for Nyne (the simulator) and costs nothing', async () => {
		expect(await testCredential(simData())).toEqual({
			status: 'OK',
			message: expect.stringContaining('Nyne accepted the API key and secret'),
		});
		const counters = sim.getCounters();
		expect(counters).toMatchObject({ requests: 1, submits: 0, polls: 1 });
		expect(sim.getLog()[0]).toMatchObject({
			method: 'GET',
			path: '/person/interests',
			status: 404,
			errorCode: 'request_not_found',
		});
		expect(sim.getCharges()).toEqual([]);
	});

	it('fails for a wrong secret, naming key and secret, without showing them', async () => {
		const result = await testCredential(
			simData({ apiKey: 'key-SENTINEL-77', apiSecret: 'wrong-SENTINEL-secret' }),
		);
		expect(result).toEqual({
			status: 'Error',
			message: 'Nyne rejected the API key or secret. Copy both again from your Nyne dashboard.',
		});
	});

	it('fails for a missing secret before sending anything', async () => {
		expect(await testCredential(simData({ apiSecret: '' }))).toEqual({
			status: 'Error',
			message: expect.stringContaining('Fill in both fields'),
		});
		expect(sim.getCounters().requests).toBe(0);
	});

	it.each([
		[
			'an HTML page',
			{
				status: 404,
				headers: { 'content-type': 'text/html' },
				body: '<html><head><title>Page not found</title></head></html>',
			},
			'HTTP 404 with an HTML page ("Page not found")',
		],
		[
			'n8n’s own editor page',
			{
				status: 200,
				headers: { 'content-type': 'text/html' },
				body: '<!DOCTYPE html><html><head><title>n8n.io - Workflow Automation</title></head></html>',
			},
			'HTTP 200 with an HTML page ("n8n.io - Workflow Automation")',
		],
		['{}', { status: 200, body: {} }, 'HTTP 200 with an empty JSON object {}'],
		[
			'another JSON',
			{ status: 404, body: { detail: 'Not Found' } },
			"HTTP 404 with JSON that is not Nyne's error envelope (keys: detail)",
		],
		[
			'another API’s error code',
			{ status: 404, body: { error: { code: 'route_missing' } } },
			'HTTP 404 with Nyne-style error code "route_missing"',
		],
		[
			'plain text',
			{ status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' },
			'HTTP 200 with text that is not JSON',
		],
	])('fails for %s, saying what came back', async (_label, response, what) => {
		answer = response;
		const result = await testCredential(simData({ baseUrl: other.url }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`GET ${other.url}/person/interests answered ${what}`);
		expect(result.message).toContain("Nyne's is https://api.nyne.ai");
		expect(other.requests.at(-1)).toMatchObject({
			method: 'GET',
			path: '/person/interests',
			query: { request_id: 'n8n-credential-test' },
		});
	});

	it('fails for Nyne behind a wrong path (the answer for an unknown route, not for an unknown job)', async () => {
		const result = await testCredential(simData({ baseUrl: `${sim.url}/v2` }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			`GET ${sim.url}/v2/person/interests answered HTTP 404 with Nyne-style error code "not_found"`,
		);
		expect(result.message).toContain('wrong path');
	});

	it('fails for a closed port, naming the address', async () => {
		const server = net.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as net.AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		const result = await testCredential(simData({ baseUrl: `http://127.0.0.1:${port}` }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`Nothing answered at http://127.0.0.1:${port}`);
		expect(result.message).toContain('ECONNREFUSED');
		expect(result.message).toContain('Check the Base URL');
	});

	it('fails for https:// against an http server (TLS error)', async () => {
		const result = await testCredential(
			simData({ baseUrl: sim.url.replace('http://', 'https://') }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('EPROTO');
		expect(result.message).toContain('does not seem to speak https');
	});

	it('fails for a Base URL that is not an http(s) URL, sending nothing', async () => {
		const result = await testCredential(simData({ baseUrl: sim.url.replace('http://', '') }));
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining(
				'The Base URL of the Nyne API credential must be an http:// or https:// URL',
			),
		});
		expect(sim.getCounters().requests).toBe(0);
	});

	it('never shows key or secret, even when a server echoes them back', async () => {
		answer = {
			status: 200,
			headers: { 'content-type': 'text/html' },
			body: `<html><title>key-SENTINEL-77 ${SECRET}</title></html>`,
		};
		const echoed = await testCredential({
			apiKey: 'key-SENTINEL-77',
			apiSecret: SECRET,
			baseUrl: other.url,
		});
		expect(echoed.status).toBe('Error');
		expect(echoed.message).toContain('an HTML page');
		expect(echoed.message).not.toContain(SECRET);
		expect(echoed.message).not.toContain('key-SENTINEL-77');
		expect(other.requests.at(-1)?.headers['x-api-secret']).toBe(SECRET);
	});
});

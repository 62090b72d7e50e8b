/**
 * Network failures through the real HTTP path (n8n-core's client → this package's transport → the engine),
 * against local servers that fail in each way a wrong Base URL or a broken connection does. Each failure
 * must say whether the job can have been accepted: nothing sent → retried (refused) or reported with the
 * Base URL to fix; sent without an answer → reported as "may have been accepted" and never resubmitted.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import {
	runNode,
	startRecordingServer,
	type HandlerResponse,
	type RecordingServer,
} from '../harness';
import type { NyneSimulator } from '../simulator';
import {
	credentialsFor,
	DEFAULT_KEY,
	DEFAULT_SECRET,
	fastSimulator,
	FAST_WAIT,
	storedError,
} from './fixtures';

const submitOnly = {
	operation: 'searchLeads',
	mode: 'submit',
	searchDescription: 'Founders raising a seed round',
};
const waitFor = (timeout: number) => ({
	...submitOnly,
	mode: 'wait',
	options: { ...FAST_WAIT, timeout },
});
const keys = { apiKey: DEFAULT_KEY, apiSecret: DEFAULT_SECRET };

/** The one item a single-input run with Continue On Fail outputs: its error message and details. */
async function errorItemFor(baseUrl: string, parameters: INodeParameters = waitFor(2)) {
	const { items, error } = await runNode({
		parameters,
		credentials: { ...keys, baseUrl },
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1);
	const json = items[0].json as { error?: string; details?: Record<string, unknown> };
	expect(json.error).toEqual(expect.any(String));
	return { message: json.error as string, details: json.details ?? {} };
}

async function listen(server: net.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as net.AddressInfo).port;
}

async function close(server: net.Server & { closeAllConnections?: () => void }): Promise<void> {
	const closed = new Promise((resolve) => server.close(resolve));
	server.closeAllConnections?.();
	await closed;
}

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	const port = await listen(server);
	await close(server);
	return port;
}

async function isRefused(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(true));
	});
}

let sim: NyneSimulator;
beforeAll(async () => {
	sim = await fastSimulator();
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.resetLog();
	sim.clearFaults();
});

describe('a submit the server read and then reset', () => {
	it('is accepted once, never resubmitted, and ends as an error item saying it may have been accepted', async () => {
		sim.setFaults({ submitResetRate: 1, applyTo: 'submit' });
		const { message, details } = await errorItemFor(sim.url, submitOnly);
		const counters = sim.getCounters();
		expect(counters).toMatchObject({
			submits: 1,
			accepted: 1,
			duplicateSubmissions: 0,
			connectionResets: 1,
		});
		expect(message).toContain('ECONNRESET');
		expect(message).toContain('may have accepted it');
		expect(message).toContain('not sent again');
		expect(message).not.toContain('Nothing was sent');
		expect(details.error_code).toBe('ECONNRESET');
		// The job is real: Nyne runs it and charges for it, which is why it must not be sent twice.
		const requestId = sim.getLog().find((entry) => entry.op === 'submit')?.requestId as string;
		expect((await sim.waitForJob(requestId)).status).toBe('completed');
	});

	it('is not resubmitted in Wait mode either', async () => {
		sim.setFaults({ submitResetRate: 1, applyTo: 'submit' });
		const { message } = await errorItemFor(sim.url, waitFor(5));
		expect(message).toContain('may have accepted it');
		expect(sim.getCounters()).toMatchObject({ submits: 1, accepted: 1, duplicateSubmissions: 0 });
	});
});

describe('a refused connection', () => {
	it('is retried, and the submit succeeds once Nyne is back: one job, one result', async () => {
		const restarted = sim.restart({ downtimeMs: 1500 });
		const { port } = sim;
		while (!(await isRefused(port))) await new Promise((resolve) => setTimeout(resolve, 10));
		const run = runNode({
			parameters: waitFor(30),
			credentials: credentialsFor(sim),
			continueOnFail: true,
		});
		// The node's first submit met the closed port (the server stays down for 1.5 s).
		await restarted;
		const { items, error } = await run;
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items[0].json.error).toBeUndefined();
		expect(items[0].json.post_url).toEqual(expect.any(String));
		expect(sim.getCounters()).toMatchObject({ submits: 1, accepted: 1, duplicateSubmissions: 0 });
	});

	it('that never ends says nothing was sent and points at the Base URL', async () => {
		const port = await closedPort();
		const { message, details } = await errorItemFor(`http://127.0.0.1:${port}`, waitFor(1));
		expect(message).toContain(`Nothing answered at http://127.0.0.1:${port}`);
		expect(message).toContain('ECONNREFUSED');
		expect(message).toContain('Nothing was sent to Nyne');
		expect(message).toContain('Base URL of the Nyne API credential');
		expect(message).toContain('not submitted');
		expect(message).not.toContain('may have');
		expect(details.error_code).toBe('ECONNREFUSED');
	});
});

describe('TLS and protocol mismatches: nothing is sent, no retry, the Base URL is named', () => {
	it('https:// against an http server (EPROTO)', async () => {
		const httpsUrl = sim.url.replace('http://', 'https://');
		const { message } = await errorItemFor(httpsUrl, waitFor(30));
		expect(message).toContain('EPROTO');
		expect(message).toContain('does not seem to speak https');
		expect(message).toContain('must start with http://');
		expect(message).toContain('Nothing was sent to Nyne');
		expect(message).not.toContain('may have');
		expect(sim.getCounters().requests).toBe(0);
	});

	it('an untrusted (self-signed) certificate', async () => {
		const tlsDir = path.join(__dirname, '..', 'support', 'tls');
		let requests = 0;
		const server = https.createServer(
			{
				key: fs.readFileSync(path.join(tlsDir, 'self-signed.key')),
				cert: fs.readFileSync(path.join(tlsDir, 'self-signed.crt')),
			},
			(_req, res) => {
				requests++;
				res.end('{}');
			},
		);
		const port = await listen(server);
		try {
			const { message } = await errorItemFor(`https://127.0.0.1:${port}`, waitFor(30));
			expect(message).toContain('SELF_SIGNED_CERT');
			expect(message).toContain('certificate');
			expect(message).toContain('Nothing was sent to Nyne');
			expect(message).not.toContain('may have');
			expect(requests).toBe(0);
		} finally {
			await close(server);
		}
	});

	it('a server that closes the connection during the TLS handshake', async () => {
		const server = net.createServer((socket) => socket.destroy());
		const port = await listen(server);
		try {
			const { message } = await errorItemFor(`https://127.0.0.1:${port}`, waitFor(30));
			expect(message).toContain('secure connection');
			expect(message).toContain('Nothing was sent to Nyne');
			expect(message).not.toContain('may have');
		} finally {
			await close(server);
		}
	});
});

describe('the credential’s Base URL must be an http(s) URL', () => {
	it.each([
		[
			'no scheme',
			(url: string) => url.replace('http://', ''),
			'must be an http:// or https:// URL',
		],
		[
			'another scheme',
			(url: string) => url.replace('http://', 'ftp://'),
			'must be an http:// or https:// URL',
		],
		[
			'a password in it',
			(url: string) => url.replace('http://', 'http://user:pa55word-SENTINEL@'),
			'must not contain a user name or password',
		],
		['a query', (url: string) => `${url}?token=1`, 'must not contain "?" or "#"'],
	])('%s: a clear error before anything is sent', async (_label, makeUrl, rule) => {
		const baseUrl = makeUrl(sim.url);
		const { items, error } = await runNode({
			parameters: waitFor(30),
			credentials: { ...keys, baseUrl },
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		for (const [index, item] of items.entries()) {
			expect(item.json.error).toContain('The Base URL of the Nyne API credential');
			expect(item.json.error).toContain(rule);
			expect(item.pairedItem).toEqual({ item: index });
		}
		expect(JSON.stringify(items)).not.toContain('pa55word-SENTINEL');
		expect(sim.getCounters().requests).toBe(0);
	});

	it('without Continue On Fail the node fails with that message and item 0', async () => {
		const { error: rawError } = await runNode({
			parameters: waitFor(30),
			credentials: { ...keys, baseUrl: sim.url.replace('http://', '') },
		});
		const error = storedError(rawError);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(
			'must be an http:// or https:// URL such as https://api.nyne.ai',
		);
		expect(error?.description).toContain('Nothing was sent to Nyne');
		expect(error?.context?.itemIndex).toBe(0);
	});
});

describe('a Base URL that is not Nyne’s API', () => {
	let other: RecordingServer;
	let answer: HandlerResponse;
	beforeAll(async () => {
		other = await startRecordingServer(() => answer);
	});
	afterAll(async () => {
		await other.close();
	});

	it.each([
		[
			'an HTML 404 page',
			{
				status: 404,
				headers: { 'content-type': 'text/html' },
				body: '<html><body>Not Found</body></html>',
			},
			'HTTP 404 with an HTML page',
		],
		[
			'an HTML 200 page',
			{
				status: 200,
				headers: { 'content-type': 'text/html' },
				body: '<!doctype html><title>n8n</title>',
			},
			'HTTP 200 with an HTML page',
		],
		['{} with 200', { status: 200, body: {} }, "HTTP 200 with JSON without Nyne's envelope"],
		[
			'plain text',
			{ status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' },
			'HTTP 200 with text that is not JSON',
		],
		[
			'a JSON 404',
			{ status: 404, body: { message: 'No such endpoint' } },
			'HTTP 404 with "No such endpoint"',
		],
	])('%s on submit says so and names the Base URL', async (_label, response, what) => {
		answer = response;
		const { message, details } = await errorItemFor(other.url, submitOnly);
		expect(message).toContain("The Base URL does not look like Nyne's API");
		expect(message).toContain(`POST /person/leads answered ${what}`);
		expect(message).toContain('Check the Base URL of the Nyne API credential');
		expect(details.description).toBe('No Nyne job was created by this request.');
	});

	it('a wrong path in front of Nyne (its 404 for unknown routes) says so on submit', async () => {
		const { message, details } = await errorItemFor(`${sim.url}/v2`, submitOnly);
		expect(message).toContain(
			"The Base URL does not look like Nyne's API: POST /person/leads answered HTTP 404",
		);
		expect(details.http_code).toBe(404);
		expect(sim.getCounters().accepted).toBe(0);
	});

	it('Get Job against a wrong path hints at the Base URL', async () => {
		const { message, details } = await errorItemFor(`${sim.url}/v2`, {
			operation: 'getJob',
			jobType: 'leads',
			requestId: 'a'.repeat(64),
		});
		expect(message).toContain('Nyne has no job');
		expect(details.description).toContain('check the Base URL of the Nyne API credential');
	});

	it('Get Job against an HTML page says it is not Nyne', async () => {
		answer = {
			status: 404,
			headers: { 'content-type': 'text/html' },
			body: '<html>Not Found</html>',
		};
		const { message } = await errorItemFor(other.url, {
			operation: 'getJob',
			jobType: 'leads',
			requestId: 'a'.repeat(64),
		});
		expect(message).toContain(
			"The Base URL does not look like Nyne's API: GET /person/leads answered HTTP 404 with an HTML page",
		);
	});
});

/**
 * The real Nyne node, executed by n8n-core's WorkflowExecute through the harness, against a local fake Nyne.
 */
import type { INodeParameters } from 'n8n-workflow';

import { clearLogs, logText, runNode } from '../../harness';
import { leadsFor, requestIdFor, startNyneStub, type NyneStub } from './nyne-stub';

const DESCRIPTION = 'Founders raising a seed round';
const API_KEY = 'harness-api-key-7f3a9c';
const API_SECRET = 'harness-api-secret-e41b02';

let nyne: NyneStub;
const credentials = () => ({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: nyne.url });
const searchLeads = (
	searchDescription: string,
	options: INodeParameters = { pollInterval: 0.1 },
): INodeParameters => ({
	resource: 'person',
	operation: 'searchLeads',
	searchDescription,
	options,
});

afterEach(async () => {
	await nyne?.close();
});

describe('runNode: Nyne searchLeads in n8n-core', () => {
	it('outputs one item per lead, paired with its input, after sending the credential headers', async () => {
		nyne = await startNyneStub({ pendingPolls: 1, leadsPerJob: 3 });

		const result = await runNode({
			parameters: searchLeads(DESCRIPTION),
			credentials: credentials(),
		});

		const requestId = requestIdFor(DESCRIPTION);
		expect(result.error).toBeUndefined();
		expect(result.executionStatus).toBe('success');
		expect(result.nodeStatus).toBe('success');
		expect(result.items).toEqual(
			leadsFor(requestId, 3).map((lead) => ({
				json: { ...lead, request_id: requestId },
				pairedItem: { item: 0 },
			})),
		);
		// The real engine ran both nodes and recorded them.
		expect(Object.keys(result.runData).sort()).toEqual(['Nyne', 'Start']);
		expect(result.workflow.executionOrder).toEqual(['Start', 'Nyne']);

		// One submit and polls until completed, each authenticated by the credential's generic `authenticate`.
		expect(nyne.submits()).toHaveLength(1);
		expect(nyne.submits()[0].body).toEqual({ search_description: DESCRIPTION });
		expect(nyne.polls()).toHaveLength(2);
		expect(nyne.polls().every((poll) => poll.query.request_id === requestId)).toBe(true);
		for (const request of nyne.requests) {
			expect(request.headers['x-api-key']).toBe(API_KEY);
			expect(request.headers['x-api-secret']).toBe(API_SECRET);
		}
	});

	it('resolves expressions per item and pairs each item’s leads with it', async () => {
		nyne = await startNyneStub({ leadsPerJob: 1 });
		const second = 'Marketing directors at SaaS companies';

		const result = await runNode({
			parameters: searchLeads('={{ $json.who }}'),
			items: [{ who: DESCRIPTION }, { who: second }],
			credentials: credentials(),
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.request_id, item.pairedItem])).toEqual([
			[requestIdFor(DESCRIPTION), { item: 0 }],
			[requestIdFor(second), { item: 1 }],
		]);
		expect(nyne.submits().map((request) => request.body)).toEqual([
			{ search_description: DESCRIPTION },
			{ search_description: second },
		]);
	});

	it('fails a too-short description before sending anything, with the error n8n stores', async () => {
		nyne = await startNyneStub();

		const result = await runNode({ parameters: searchLeads('short'), credentials: credentials() });

		expect(result.executionStatus).toBe('error');
		expect(result.nodeStatus).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringContaining('Search Description'),
			description: expect.stringContaining('Search Description'),
			context: expect.objectContaining({ itemIndex: 0 }),
			node: expect.objectContaining({ name: 'Nyne', type: 'n8n-nodes-nyne.nyne' }),
		});
		// As n8n stores it: a plain copy of the error, not the error instance.
		expect(result.error).not.toBeInstanceOf(Error);
		// The execution-level error is the same one.
		expect(result.workflow.error?.message).toBe(result.error?.message);
		expect(nyne.requests).toHaveLength(0);
	});

	it('with Continue On Fail, outputs an error item for the bad item and results for the good one', async () => {
		nyne = await startNyneStub({ leadsPerJob: 1 });

		const result = await runNode({
			parameters: searchLeads('={{ $json.who }}'),
			items: [{ who: 'short' }, { who: DESCRIPTION }],
			credentials: credentials(),
			continueOnFail: true,
		});

		expect(result.executionStatus).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0]).toEqual({
			json: expect.objectContaining({ error: expect.stringContaining('Search Description') }),
			pairedItem: { item: 0 },
		});
		expect(result.items[1].json.request_id).toBe(requestIdFor(DESCRIPTION));
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(nyne.submits()).toHaveLength(1);
	});

	it('turns an HTTP error into a NodeApiError with httpCode and never logs the key or secret', async () => {
		nyne = await startNyneStub({
			submitAnswer: {
				status: 401,
				body: {
					success: false,
					error: { code: 'invalid_credentials', message: 'Invalid API key' },
				},
			},
		});
		clearLogs();

		const result = await runNode({
			parameters: searchLeads(DESCRIPTION),
			credentials: credentials(),
		});

		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
			message: expect.stringContaining('Invalid API key'),
			context: expect.objectContaining({ itemIndex: 0 }),
		});
		// n8n's ErrorReporter logged the node error (through the harness's capturing logger)…
		expect(logText()).toContain('Invalid API key');
		// …but nothing logged, stored or reported carries the credential.
		for (const secret of [API_KEY, API_SECRET]) {
			expect(logText()).not.toContain(secret);
			expect(JSON.stringify(result.runData)).not.toContain(secret);
			expect(JSON.stringify(result.error)).not.toContain(secret);
		}
	});

	it('fails with n8n’s own error when the node has no credential', async () => {
		nyne = await startNyneStub();

		const result = await runNode({ parameters: searchLeads(DESCRIPTION), credentials: null });

		expect(result.executionStatus).toBe('error');
		expect(result.error?.message).toBe('Node does not have any credentials set');
		expect(nyne.requests).toHaveLength(0);
	});

	it('reports a required parameter left empty as n8n does, before the run starts', async () => {
		nyne = await startNyneStub();

		const result = await runNode({ parameters: searchLeads(''), credentials: credentials() });

		expect(result.executionStatus).toBe('error');
		expect(result.error).toMatchObject({
			name: 'WorkflowHasIssuesError',
			message: expect.stringContaining('Parameter "Search Description" is required'),
		});
		expect(result.runData).toEqual({});
		expect(nyne.requests).toHaveLength(0);
	});
});

/*
 * "Promptly" without a stopwatch: the node is left waiting for minutes (a 300 s poll interval, an answer that
 * never comes), and the harness fails the run if it has not stopped within `stopTimeoutMs` of the cancel.
 * So these pass only when the node acted on the cancel signal, however slow the machine is.
 */
describe('runNode: cancelling the execution', () => {
	it('stops a node waiting between polls (cancelAfterMs)', async () => {
		nyne = await startNyneStub({ neverComplete: true });

		const result = await runNode({
			parameters: searchLeads(DESCRIPTION, { pollInterval: 300 }),
			credentials: credentials(),
			cancelAfterMs: 300,
			stopTimeoutMs: 10_000,
		});

		expect(result.workflow.cancelled).toBe(true);
		expect(result.executionStatus).not.toBe('success');
		expect(result.error?.message).toMatch(/cancel/i);
		expect(nyne.submits()).toHaveLength(1);
		expect(nyne.polls()).toHaveLength(0);
	});

	it('stops the node when n8n’s workflow timeout is reached', async () => {
		nyne = await startNyneStub({ neverComplete: true });

		const result = await runNode({
			parameters: searchLeads(DESCRIPTION, { pollInterval: 300 }),
			credentials: credentials(),
			executionTimeoutMs: 300,
			stopTimeoutMs: 10_000,
		});

		expect(result.workflow.cancelled).toBe(true);
		expect(result.executionStatus).not.toBe('success');
		expect(nyne.submits()).toHaveLength(1);
		expect(nyne.polls()).toHaveLength(0);
	});

	it('aborts an HTTP request in flight when the execution is cancelled (AbortSignal)', async () => {
		// The poll is answered only after 10 minutes, longer than the node's own request timeout (30 s), which
		// is longer than the harness's stop deadline: the run can end in time only by aborting the request.
		nyne = await startNyneStub({ pollDelayMs: 600_000 });
		const controller = new AbortController();
		const cancelTimer = setTimeout(() => controller.abort(), 600);

		const result = await runNode({
			parameters: searchLeads(DESCRIPTION),
			credentials: credentials(),
			signal: controller.signal,
			stopTimeoutMs: 10_000,
		});
		clearTimeout(cancelTimer);

		expect(result.workflow.cancelled).toBe(true);
		expect(nyne.polls().length).toBeGreaterThanOrEqual(1);
		expect(result.error?.message).toMatch(/cancel/i);
	});
});

describe('runNode: as an AI agent tool', () => {
	it('runs the Tool variant with $fromAI arguments and always waits for the result', async () => {
		nyne = await startNyneStub({ pendingPolls: 0, leadsPerJob: 2 });

		const result = await runNode({
			asTool: true,
			parameters: {
				...searchLeads("={{ $fromAI('search_description', 'Who to look for', 'string') }}"),
				// Submit Only would return just a request ID; a tool always waits. (n8n drops the options that
				// Submit Only hides, Poll Interval included, so the first poll comes after the default 3 s.)
				mode: 'submit',
			},
			items: [{ toolArguments: { search_description: DESCRIPTION } }],
			credentials: credentials(),
		});

		const requestId = requestIdFor(DESCRIPTION);
		expect(result.executionStatus).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.response).toEqual(
			leadsFor(requestId, 2).map((lead) => ({ ...lead, request_id: requestId })),
		);
		expect(nyne.submits()[0].body).toEqual({ search_description: DESCRIPTION });
		expect(nyne.polls().length).toBeGreaterThanOrEqual(1);
		// n8n recorded the tool node's run under its ai_tool connection.
		expect(result.runData.Nyne[0].data?.ai_tool?.[0]?.[0]?.json.response).toEqual(
			result.items[0].json.response,
		);
	});
});

import { logText, runNode } from '../harness';
import type { NyneSimulator } from '../simulator';
import {
	credentialsFor,
	DEFAULT_KEY,
	DEFAULT_SECRET,
	fastSimulator,
	FAST_WAIT,
	storedError,
	type Options,
} from './fixtures';

const BROKE = { key: 'key-broke', secret: 'secret-broke', credits: 0 };
const NO_SUBSCRIPTION = { key: 'key-nosub', secret: 'secret-nosub', subscriptionRequired: true };
const IP_LOCKED = { key: 'key-iplocked', secret: 'secret-iplocked', allowedIps: ['10.9.9.9'] };

let sim: NyneSimulator;
beforeAll(async () => {
	sim = await fastSimulator({
		keys: [{ key: DEFAULT_KEY, secret: DEFAULT_SECRET }, BROKE, NO_SUBSCRIPTION, IP_LOCKED],
	});
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.resetLog();
	sim.clearFaults();
});

const leads = (searchDescription: string, options: Options = FAST_WAIT) => ({
	operation: 'searchLeads',
	searchDescription,
	options,
});

/** Waits (real time, bounded) until the simulator's log satisfies a condition. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('Nyne errors become clear NodeApiErrors', () => {
	it.each([
		[
			'401 wrong secret',
			{ apiKey: DEFAULT_KEY, apiSecret: 'wrong-secret' },
			'401',
			'invalid_credentials',
			'check the API key and secret',
		],
		[
			'402 no credits',
			{ apiKey: BROKE.key, apiSecret: BROKE.secret },
			'402',
			'insufficient_credits',
			'out of credits',
		],
		[
			'403 no subscription',
			{ apiKey: NO_SUBSCRIPTION.key, apiSecret: NO_SUBSCRIPTION.secret },
			'403',
			'subscription_required',
			'subscription',
		],
		[
			'403 IP not allowed',
			{ apiKey: IP_LOCKED.key, apiSecret: IP_LOCKED.secret },
			'403',
			'ip_not_allowed',
			'allow-list',
		],
	])('%s', async (_label, keys, httpCode, nyneCode, advice) => {
		const { items, error: rawError } = await runNode({
			parameters: leads('Founders raising a seed round'),
			credentials: credentialsFor(sim, keys),
		});
		const error = storedError(rawError);
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe(httpCode);
		expect(error?.message).toContain(advice);
		expect(error?.errorResponse?.code).toBe(nyneCode);
		expect(sim.getCounters().submits).toBe(1);
		expect(JSON.stringify(error)).not.toContain(keys.apiSecret);
	});

	it('fails a job Nyne reports as failed, with Nyne’s reason and the request id', async () => {
		const { error: rawError } = await runNode({
			parameters: leads('This search will fail [fail]'),
			credentials: credentialsFor(sim),
		});
		const error = storedError(rawError);
		const requestId = sim.getLog().find((entry) => entry.op === 'submit')?.requestId as string;
		expect(error?.message).toContain(requestId);
		expect(error?.message).toMatch(/failed: .+/);
		expect(sim.getCounters().submits).toBe(1);
	});

	it('stops waiting at the timeout with an error naming the request id for Get Job', async () => {
		const { error: rawError } = await runNode({
			parameters: leads('This search never finishes [never]', { pollInterval: 0.2, timeout: 1 }),
			credentials: credentialsFor(sim),
		});
		const error = storedError(rawError);
		const requestId = sim.getLog().find((entry) => entry.op === 'submit')?.requestId as string;
		expect(error?.message).toContain(requestId);
		expect(error?.message).toContain('1 s timeout');
		expect(error?.description).toContain('Get Job');
	});

	it('reports a request that expires while waiting (404 mid-poll)', async () => {
		const run = runNode({
			parameters: leads('This search takes a long time [never]', {
				pollInterval: 0.1,
				timeout: 30,
			}),
			credentials: credentialsFor(sim),
		});
		await until(() => sim.getCounters().polls >= 1);
		const requestId = sim.getLog().find((entry) => entry.op === 'submit')?.requestId as string;
		sim.expire(requestId);
		const { error: rawError } = await run;
		const error = storedError(rawError);
		expect(error?.httpCode).toBe('404');
		expect(error?.message).toContain('expired');
		expect(error?.message).toContain(requestId);
	});
});

describe('Bad input is rejected before anything is sent', () => {
	it('fails the node at the first bad item, naming the field, item index and rule, sending nothing', async () => {
		const { error: rawError } = await runNode({
			parameters: leads('={{ $json.topic }}'),
			items: [
				{ topic: 'Founders raising a seed round' },
				{ topic: 'CTOs moving to the cloud' },
				{ topic: 'too short' },
			],
			credentials: credentialsFor(sim),
		});
		const error = storedError(rawError);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			'Invalid input: Search Description: must be 10–2000 characters long, but is 9',
		);
		expect(error?.context?.itemIndex).toBe(2);
		expect(sim.getCounters().requests).toBe(0);
	});
});

describe('Continue On Fail', () => {
	it('turns each failing input into an error item and finishes the others', async () => {
		const { items, error: rawError } = await runNode({
			parameters: leads('={{ $json.topic }}'),
			items: [
				{ topic: 'Founders raising a seed round [n=2]' },
				{ topic: 'short' },
				{ topic: 'Marketers who will fail [fail]' },
			],
			credentials: credentialsFor(sim),
			continueOnFail: true,
		});
		const error = storedError(rawError);
		expect(error).toBeUndefined();
		const byInput = (index: number) =>
			items.filter((item) => (item.pairedItem as { item: number }).item === index);
		expect(byInput(0)).toHaveLength(2);
		expect(byInput(0)[0].json.post_url).toEqual(expect.any(String));
		expect(byInput(1)).toHaveLength(1);
		expect(byInput(1)[0].json.error).toContain('Search Description');
		expect(byInput(2)).toHaveLength(1);
		expect(byInput(2)[0].json).toEqual({
			error: expect.stringContaining('failed'),
			details: expect.objectContaining({
				request_id: expect.any(String),
				error_code: 'job_failed',
			}),
		});
		// Items stay in input order.
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 0, 1, 2]);
		expect(sim.getCounters().submits).toBe(2);
	});

	it('sends error items to the error output when On Error is “Continue (using error output)”', async () => {
		const { outputs } = await runNode({
			parameters: leads('={{ $json.topic }}'),
			items: [{ topic: 'Founders raising a seed round [n=1]' }, { topic: 'short' }],
			credentials: credentialsFor(sim),
			onError: 'continueErrorOutput',
		});
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json.post_url).toEqual(expect.any(String));
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json.error).toContain('Search Description');
		expect(outputs[1][0].json.details).toEqual(
			expect.objectContaining({ description: expect.stringContaining('item 1') }),
		);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
	});
});

describe('Nothing lost, nothing charged twice', () => {
	it('sends identical inputs once and gives each its own paired copy of the result', async () => {
		const { items } = await runNode({
			parameters: { operation: 'getInterests', email: '={{ $json.email }}', options: FAST_WAIT },
			items: [
				{ email: 'jane@example.com' },
				{ email: 'sam@example.com' },
				{ email: 'jane@example.com' },
				{ email: ' jane@example.com ' },
			],
			credentials: credentialsFor(sim),
		});
		expect(sim.getCounters()).toEqual(
			expect.objectContaining({ submits: 2, duplicateSubmissions: 0 }),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json).toEqual(items[2].json);
		expect(items[0].json.request_id).not.toEqual(items[1].json.request_id);
		const charged = sim.getCharges(DEFAULT_KEY).filter((charge) => charge.kind === 'interests');
		expect(charged.map((charge) => charge.requestId).sort()).toEqual(
			[items[0].json.request_id, items[1].json.request_id]
				.filter((id) => sim.getCharge(id as string) > 0)
				.sort(),
		);
	});

	it('gets every result through 503s, spurious 429s and dropped poll connections, without a duplicate submit', async () => {
		// Retries back off for real (1 s, 2 s, …), so the rates are moderate here; test/reliability runs the
		// heavy mix on the job engine itself.
		sim.setFaults({
			error503Rate: 0.15,
			spurious429Rate: 0.1,
			spurious429RetryAfter: 1,
			pollResetRate: 0.15,
		});
		const topics = Array.from({ length: 8 }, (_, i) => ({
			topic: `Founders of startup number ${i} [n=1]`,
		}));
		const { items, error: rawError } = await runNode({
			parameters: leads('={{ $json.topic }}'),
			items: topics,
			credentials: credentialsFor(sim),
		});
		const error = storedError(rawError);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(8);
		expect(new Set(items.map((item) => (item.pairedItem as { item: number }).item)).size).toBe(8);
		const counters = sim.getCounters();
		expect(counters.accepted).toBe(8);
		expect(counters.duplicateSubmissions).toBe(0);
		expect(counters.status503 + counters.status429 + counters.connectionResets).toBeGreaterThan(0);
	}, 180_000);

	it('submits every item before waiting on any (jobs run concurrently)', async () => {
		const topics = Array.from({ length: 30 }, (_, i) => ({
			topic: `People hiring engineers, batch ${i} [n=1]`,
		}));
		const { items } = await runNode({
			parameters: leads('={{ $json.topic }}', { pollInterval: 0.5 }),
			items: topics,
			credentials: credentialsFor(sim),
		});
		expect(items).toHaveLength(30);
		const log = sim.getLog();
		const lastSubmit = Math.max(
			...log.filter((entry) => entry.op === 'submit').map((entry) => entry.seq),
		);
		const firstPoll = Math.min(
			...log.filter((entry) => entry.op === 'poll').map((entry) => entry.seq),
		);
		expect(lastSubmit).toBeLessThan(firstPoll);
		// Each job finishes within the first poll or two: 30 jobs, not 30 sequential waits.
		expect(sim.getCounters().polls).toBeLessThanOrEqual(60);
	});
});

describe('Secrets', () => {
	it('never appear in outputs, errors or n8n’s logs', async () => {
		const secretive = { key: 'key-SENTINEL-8c1f', secret: 'secret-SENTINEL-77aa' };
		sim.addKey({ ...secretive, credits: 100 });
		const runs = await Promise.all([
			runNode({
				parameters: leads('Founders raising a seed round [n=2]'),
				credentials: credentialsFor(sim, { apiKey: secretive.key, apiSecret: secretive.secret }),
			}),
			runNode({
				parameters: leads('A search that fails [fail]'),
				credentials: credentialsFor(sim, { apiKey: secretive.key, apiSecret: secretive.secret }),
				continueOnFail: true,
			}),
			runNode({
				parameters: leads('Founders raising a seed round'),
				credentials: credentialsFor(sim, {
					apiKey: secretive.key,
					apiSecret: 'wrong-SENTINEL-secret',
				}),
			}),
		]);
		expect(runs[0].items).toHaveLength(2);
		expect(runs[1].items[0].json.error).toBeDefined();
		expect(storedError(runs[2].error)?.httpCode).toBe('401');
		const everything =
			JSON.stringify(
				runs.map((run) => ({ items: run.items, error: run.error, runData: run.runData })),
			) + logText();
		for (const secret of [secretive.key, secretive.secret, 'wrong-SENTINEL-secret']) {
			expect(everything).not.toContain(secret);
		}
	});
});

describe('Cancellation and AI tools', () => {
	it('stops polling promptly when the execution is cancelled, and ends as canceled', async () => {
		const { executionStatus } = await runNode({
			parameters: leads('This search never finishes [never]', { pollInterval: 0.1, timeout: 600 }),
			credentials: credentialsFor(sim),
			cancelAfterMs: 700,
		});
		expect(executionStatus).toBe('canceled');
		const pollsAtEnd = sim.getCounters().polls;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(sim.getCounters().polls).toBe(pollsAtEnd);
	});

	it('always waits for the result when used as an AI agent’s tool, even in Submit Only mode', async () => {
		const { items, error: rawError } = await runNode({
			asTool: true,
			parameters: {
				operation: 'searchLeads',
				mode: 'submit',
				searchDescription: "={{ $fromAI('search_description', 'Who to look for', 'string') }}",
			},
			items: [
				{ toolArguments: { search_description: 'Founders raising a seed round [n=2] [instant]' } },
			],
			credentials: credentialsFor(sim),
		});
		const error = storedError(rawError);
		expect(error).toBeUndefined();
		expect(sim.getCounters().polls).toBeGreaterThan(0);
		expect(JSON.stringify(items[0].json)).toContain('post_url');
	});
});

/**
 * What each output item holds on its own: identical inputs run one Nyne job but must not share objects
 * (a later node editing one item would change the other), and an error item of a job Nyne accepted
 * carries its request id.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runNode } from '../harness';
import type { NyneSimulator } from '../simulator';
import { credentialsFor, DEFAULT_KEY, DEFAULT_SECRET, fastSimulator, FAST_WAIT } from './fixtures';

let sim: NyneSimulator;
const EXPIRING = { key: 'key-expires-after-submit', secret: 'secret-expiring' };
beforeAll(async () => {
	sim = await fastSimulator({
		keys: [{ key: DEFAULT_KEY, secret: DEFAULT_SECRET }, EXPIRING],
		// The key expires right after Nyne accepted its job: the polls that follow get 401.
		behaviour: (job) => {
			if (job.key === EXPIRING.key) sim.updateKey(EXPIRING.key, { expired: true });
			return undefined;
		},
	});
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.resetLog();
});

const input = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

/** Edits every object inside the items in place, as a Code node changing `$json` (or a nested field) does. */
function editInPlace(value: unknown): void {
	if (Array.isArray(value)) value.forEach(editInPlace);
	else if (value && typeof value === 'object') {
		for (const nested of Object.values(value)) editInPlace(nested);
		(value as IDataObject).edited_by_a_later_node = true;
	}
}

describe('identical inputs get their own copies of the shared result', () => {
	const description = 'Founders raising a seed round [n=2]';
	it.each<[string, INodeParameters]>([
		[
			'wait, one item per lead',
			{ operation: 'searchLeads', searchDescription: description, options: FAST_WAIT },
		],
		[
			'wait, Split Results off',
			{
				operation: 'searchLeads',
				searchDescription: description,
				options: { ...FAST_WAIT, splitResults: false },
			},
		],
		['Submit Only', { operation: 'searchLeads', searchDescription: description, mode: 'submit' }],
		['interests', { operation: 'getInterests', email: 'jane@example.com', options: FAST_WAIT }],
	])('%s', async (_label, parameters) => {
		const { items, error } = await runNode({
			parameters,
			items: [{}, {}],
			credentials: credentialsFor(sim),
		});
		expect(error).toBeUndefined();
		expect(sim.getCounters().accepted).toBe(1);
		const second = items.filter((item) => input(item) === 1);
		expect(second.length).toBeGreaterThan(0);
		const before = JSON.stringify(second.map((item) => item.json));

		editInPlace(items.filter((item) => input(item) === 0).map((item) => item.json));

		expect(JSON.stringify(second.map((item) => item.json))).toBe(before);
	});

	it('Get Job of the same request id twice', async () => {
		const submitted = await runNode({
			parameters: { operation: 'searchLeads', searchDescription: description, mode: 'submit' },
			credentials: credentialsFor(sim),
		});
		const requestId = submitted.items[0].json.request_id as string;
		await sim.waitForJob(requestId);
		const { items } = await runNode({
			parameters: { operation: 'getJob', jobType: 'leads', requestId },
			items: [{}, {}],
			credentials: credentialsFor(sim),
		});
		expect(items.map(input)).toEqual([0, 1]);
		const before = JSON.stringify(items[1].json);
		editInPlace(items[0].json);
		expect(JSON.stringify(items[1].json)).toBe(before);
	});
});

describe('Continue On Fail', () => {
	it('an error item of a job Nyne accepted carries its request id in details', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: '={{ $json.topic }}',
				options: { pollInterval: 0.1, timeout: 2 },
			},
			items: [
				{ topic: 'Marketers whose search fails [fail]' },
				{ topic: 'A search that never ends [never]' },
			],
			credentials: credentialsFor(sim),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const accepted = sim.getLog().filter((entry) => entry.op === 'submit' && entry.status === 202);
		expect(accepted).toHaveLength(2);
		const idOf = (topic: string) =>
			sim.listJobs().find((job) => String(job.body.search_description).startsWith(topic))
				?.requestId;
		expect([idOf('Marketers whose search fails'), idOf('A search that never ends')]).toEqual([
			expect.stringMatching(/^[0-9a-f]{64}$/),
			expect.stringMatching(/^[0-9a-f]{64}$/),
		]);
		expect(items.map((item) => [input(item), item.json.details])).toEqual([
			[
				0,
				expect.objectContaining({
					request_id: idOf('Marketers whose search fails'),
					error_code: 'job_failed',
				}),
			],
			[1, expect.objectContaining({ request_id: idOf('A search that never ends') })],
		]);
		expect(new Set(accepted.map((entry) => entry.requestId))).toEqual(
			new Set([idOf('Marketers whose search fails'), idOf('A search that never ends')]),
		);
	});

	it('also when Nyne refuses the polls after it accepted the job (HTTP error while waiting)', async () => {
		const { items, error } = await runNode({
			parameters: {
				operation: 'searchLeads',
				searchDescription: 'Founders raising a seed round',
				options: FAST_WAIT,
			},
			credentials: credentialsFor(sim, { apiKey: EXPIRING.key, apiSecret: EXPIRING.secret }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const [job] = sim.listJobs().filter((entry) => entry.key === EXPIRING.key);
		expect(
			sim
				.getLog()
				.filter((entry) => entry.op === 'poll')
				.map((entry) => entry.status),
		).toEqual([401]);
		expect(items).toHaveLength(1);
		expect(items[0].json.details).toEqual(
			expect.objectContaining({ request_id: job.requestId, http_code: 401 }),
		);
	});
});

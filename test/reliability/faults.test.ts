/**
 * Fault injection through the whole node (n8n-core's engine, real HTTP to the simulator): outcomes, not
 * times, are asserted. Retries back off for real, so these runs take tens of seconds.
 */
import { credentialsFor, fastSimulator } from '../integration/fixtures';
import { logText, runNode } from '../harness';
import { CREDIT_COST, DEFAULT_KEY, type NyneSimulator } from '../simulator';

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

const leadItems = (count: number, tag: string) =>
	Array.from({ length: count }, (_, i) => ({
		topic: `Founders of startup ${tag}-${i} talking about hiring`,
	}));

const searchLeads = {
	operation: 'searchLeads',
	searchDescription: '={{ $json.topic }}',
	options: { pollInterval: 0.2, timeout: 600 },
};

it('200 jobs with 20% 503 and 10% spurious 429 on every request: 200 results, no duplicate submit, credits once per non-empty result', async () => {
	sim.setFaults({
		error503Rate: 0.2,
		spurious429Rate: 0.1,
		spurious429RetryAfter: 1,
		applyTo: 'both',
	});
	const chargesBefore = sim.getCharges(DEFAULT_KEY).length;
	const creditsBefore = sim.getCredits(DEFAULT_KEY);
	const { items, error } = await runNode({
		parameters: { ...searchLeads, options: { ...searchLeads.options, splitResults: false } },
		items: leadItems(200, 'a'),
		credentials: credentialsFor(sim),
	});
	expect(error).toBeUndefined();
	expect(items).toHaveLength(200);
	expect(items.every((item) => item.json.status === 'completed')).toBe(true);
	expect(new Set(items.map((item) => item.json.request_id)).size).toBe(200);

	const counters = sim.getCounters();
	expect(counters.accepted).toBe(200);
	expect(counters.duplicateSubmissions).toBe(0);
	expect(counters.status503).toBeGreaterThan(0);
	expect(counters.status429).toBeGreaterThan(0);

	// Against the requests: the jobs Nyne accepted are exactly the 200 the items report, and every credit
	// charged during the run was for one of them that came back non-empty (a resubmitted job would show up
	// as a 201st accepted submit and an extra charge).
	const acceptedIds = sim
		.getLog()
		.filter((entry) => entry.op === 'submit' && entry.status === 202)
		.map((entry) => entry.requestId);
	expect(acceptedIds).toHaveLength(200);
	expect(new Set(acceptedIds)).toEqual(new Set(items.map((item) => item.json.request_id)));
	const nonEmptyIds = items
		.filter((item) => Number(item.json.results_count) > 0)
		.map((item) => item.json.request_id);
	expect(nonEmptyIds.length).toBeGreaterThan(0);
	const charges = sim.getCharges(DEFAULT_KEY).slice(chargesBefore);
	expect(charges.map((charge) => charge.requestId).sort()).toEqual([...nonEmptyIds].sort());
	expect(charges.every((charge) => charge.credits === CREDIT_COST.leads)).toBe(true);
	expect(creditsBefore - sim.getCredits(DEFAULT_KEY)).toBe(nonEmptyIds.length * CREDIT_COST.leads);
}, 600_000);

it('slow answers and connection resets on polls still give every result', async () => {
	sim.setFaults({ responseDelayMs: 150, pollResetRate: 0.3 });
	const { items, error } = await runNode({
		parameters: { ...searchLeads, options: { ...searchLeads.options, splitResults: false } },
		items: leadItems(20, 'b'),
		credentials: credentialsFor(sim),
	});
	expect(error).toBeUndefined();
	expect(items).toHaveLength(20);
	expect(items.every((item) => item.json.status === 'completed')).toBe(true);
	expect(sim.getCounters().connectionResets).toBeGreaterThan(0);
	expect(sim.getCounters().accepted).toBe(20);
}, 300_000);

it('a restart of Nyne mid-run loses nothing and creates no duplicate', async () => {
	const run = runNode({
		parameters: {
			...searchLeads,
			searchDescription: '={{ $json.topic }} [latency=1500]',
			options: { ...searchLeads.options, splitResults: false },
		},
		items: leadItems(10, 'c'),
		credentials: credentialsFor(sim),
	});
	// Restart once every job is accepted, while they all still run.
	const started = Date.now();
	while (sim.getCounters().accepted < 10 && Date.now() - started < 20_000)
		await new Promise((resolve) => setTimeout(resolve, 20));
	await sim.restart({ downtimeMs: 800 });
	const { items, error } = await run;
	expect(error).toBeUndefined();
	expect(items).toHaveLength(10);
	expect(items.every((item) => item.json.status === 'completed')).toBe(true);
	expect(sim.getCounters().duplicateSubmissions).toBe(0);
	expect(sim.getCounters().accepted).toBe(10);
}, 300_000);

it('jobs that never finish end as errors with their request ids, while the others complete', async () => {
	const { items } = await runNode({
		parameters: { ...searchLeads, options: { pollInterval: 0.2, timeout: 3, splitResults: false } },
		items: [
			{ topic: 'Founders raising a seed round' },
			{ topic: 'A search that never ends [never]' },
			{ topic: 'CTOs moving to the cloud' },
		],
		credentials: credentialsFor(sim),
		continueOnFail: true,
	});
	expect(items.map((item) => item.json.status ?? 'error')).toEqual([
		'completed',
		'error',
		'completed',
	]);
	const stuck = items[1].json as { error: string; details: { request_id: string } };
	expect(stuck.details.request_id).toMatch(/^[0-9a-f]{64}$/);
	expect(stuck.error).toContain(stuck.details.request_id);
	// The key never shows up in anything n8n logged during the suite.
	expect(logText()).not.toContain('sim-secret');
}, 120_000);

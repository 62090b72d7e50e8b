/**
 * One rate budget per Nyne key, shared by every execution in the n8n process: what one execution learns
 * holds back the requests of another. (A 429's Retry-After holding back a later job is proven on virtual
 * time in test/unit/jobs/sharedBudget.test.ts: here the moment the client has read the 429 is unknowable.)
 */
import { runNode } from '../harness';
import type { NyneSimulator } from '../simulator';
import { credentialsFor, fastSimulator } from './fixtures';

let sim: NyneSimulator;
afterEach(async () => {
	await sim?.stop();
});

const submitOnly = (searchDescription: string) => ({
	operation: 'searchLeads',
	mode: 'submit',
	searchDescription,
});

/** The simulator's log entry of the accepted submit of `requestId`. */
function acceptedSubmit(requestId: unknown) {
	const entry = sim
		.getLog()
		.find(
			(logged) => logged.op === 'submit' && logged.status === 202 && logged.requestId === requestId,
		);
	if (!entry) throw new Error(`no accepted submit of ${String(requestId)} in the log`);
	return entry;
}

it('an execution started after another spent the window waits for its reset instead of collecting a 429', async () => {
	// 3 requests per window of 60 s × 0.03 = 1.8 s (Nyne says: reset in 2 s).
	sim = await fastSimulator({
		rateWindowScale: 0.03,
		keys: [{ key: 'key-window', secret: 'secret-window', perMinute: 3 }],
	});
	const credentials = credentialsFor(sim, { apiKey: 'key-window', apiSecret: 'secret-window' });

	const first = await runNode({
		parameters: submitOnly('={{ $json.topic }}'),
		items: [
			{ topic: 'Founders raising a seed round' },
			{ topic: 'CTOs planning a cloud migration' },
			{ topic: 'People hiring a head of growth' },
		],
		credentials,
	});
	const second = await runNode({
		parameters: submitOnly('Marketers who love AI tools'),
		credentials,
	});

	expect(first.error).toBeUndefined();
	expect(second.error).toBeUndefined();
	expect(first.items).toHaveLength(3);
	expect(second.items[0].json.request_id).toEqual(expect.any(String));
	expect(sim.getCounters()).toEqual(expect.objectContaining({ status429: 0, accepted: 4 }));
	// The window that the first execution spent had ended when the second one's job went out.
	const windowStart = Math.min(...sim.getLog().map((entry) => entry.time));
	expect(acceptedSubmit(second.items[0].json.request_id).time - windowStart).toBeGreaterThanOrEqual(
		1800,
	);
});

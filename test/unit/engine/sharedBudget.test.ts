/**
 * Two executions on one key share one RatePacer (transport keeps one per key): what one learns from a 429
 * holds back what the other sends later. Virtual time, so the moments are exact.
 */
import { JobEngine } from '../../../nodes/Nyne/engine/engine';
import { DEFAULT_POLLING } from '../../../nodes/Nyne/engine/limits';
import { RatePacer } from '../../../nodes/Nyne/engine/ratePacer';
import type { JobSpec } from '../../../nodes/Nyne/engine/types';
import { VirtualClock } from '../../support/virtualTime';
import { accepted, nyneError, ScriptedNyne } from './scriptedNyne';

const submitOnly = (description: string): JobSpec => ({
	action: 'submit',
	kind: 'leads',
	body: { search_description: description },
	wait: false,
});

it('after a 429, a job that arrives during the Retry-After wait is sent only after it', async () => {
	const clock = new VirtualClock();
	let refused = false;
	// A 429 with budget left in the window (no rate headers): only Retry-After says when to come back.
	const nyne = new ScriptedNyne(clock, (request) => {
		if (!refused) {
			refused = true;
			return nyneError(429, 'rate_limit_exceeded', { 'retry-after': '7' });
		}
		return accepted(`id-${String(request.body?.search_description)}`);
	});
	const pacer = new RatePacer({ sleep: clock.sleep, now: clock.clock });
	const execution = () =>
		new JobEngine({
			send: nyne.send,
			pacer,
			sleep: clock.sleep,
			now: clock.clock,
			random: () => 0.5,
			polling: DEFAULT_POLLING,
		});

	const outcomes = await clock.run(
		Promise.all([
			execution().runAll([submitOnly('first search text')]),
			clock
				.sleep(1000)
				.then(async () => await execution().runAll([submitOnly('second search text')])),
		]),
	);

	expect(outcomes.flat().every((outcome) => outcome.ok)).toBe(true);
	const sends = (description: string) =>
		nyne.calls
			.filter((call) => call.body?.search_description === description)
			.map((call) => call.at);
	expect(sends('first search text')).toEqual([0, expect.any(Number)]);
	expect(sends('first search text')[1]).toBeGreaterThanOrEqual(7000);
	// Sent once, after Retry-After, though it arrived at 1 s.
	expect(sends('second search text')).toHaveLength(1);
	expect(sends('second search text')[0]).toBeGreaterThanOrEqual(7000);
});

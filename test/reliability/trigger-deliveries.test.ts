/** 100 callbacks to the Nyne Trigger with duplicates and wrong tokens: exactly the unique, authorised ones start executions. */
import { startWebhookHarness } from '../harness';

const TOKEN = 'reliability-token-4d1e';

it('100 deliveries, 20% duplicates and 10% wrong token → one execution per unique authorised job', async () => {
	const hook = await startWebhookHarness({ nodeType: 'nyneTrigger', parameters: { token: TOKEN } });
	try {
		// Deterministic mix: deliveries 3, 13, 23, … carry a wrong token (10); deliveries 4, 9, 14, … repeat
		// the authorised job delivered two places earlier (20); the other 70 are new jobs.
		const deliveries: Array<{ requestId: string; token: string }> = [];
		let next = 0;
		for (let n = 0; n < 100; n++) {
			const wrongToken = n % 10 === 3;
			const duplicate = n % 5 === 4;
			const requestId = duplicate
				? deliveries[n - 2].requestId
				: (next++).toString(16).padStart(64, 'c');
			deliveries.push({ requestId, token: wrongToken ? 'not-the-token' : TOKEN });
		}
		const answers: number[] = [];
		for (const { requestId, token } of deliveries) {
			const answer = await hook.post(
				{
					request_id: requestId,
					status: 'completed',
					completed: true,
					results_count: 1,
					results: [{ platform: 'twitter', post_url: `https://x.com/p/${requestId.slice(-4)}` }],
				},
				{ query: { token } },
			);
			answers.push(answer.status);
		}
		const authorised = deliveries.filter((delivery) => delivery.token === TOKEN);
		const uniqueAuthorised = new Set(authorised.map((delivery) => delivery.requestId));
		expect(deliveries.filter((delivery) => delivery.token !== TOKEN)).toHaveLength(10);
		expect(authorised.length - uniqueAuthorised.size).toBe(20);
		expect(uniqueAuthorised.size).toBe(70);

		expect(answers.filter((status) => status === 401)).toHaveLength(10);
		expect(answers.filter((status) => status === 200)).toHaveLength(90);
		const started = hook.executions.map((execution) => execution[0][0].json.request_id);
		expect(started).toHaveLength(uniqueAuthorised.size);
		expect(new Set(started)).toEqual(uniqueAuthorised);
	} finally {
		await hook.close();
	}
});

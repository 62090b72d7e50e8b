/**
 * A table of bad inputs across all operations: each is rejected before anything is sent, with the field
 * named, and the other items of the same execution are not held back.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { credentialsFor, fastSimulator } from '../integration/fixtures';
import { runNode } from '../harness';
import type { NyneSimulator } from '../simulator';

let sim: NyneSimulator;
beforeAll(async () => {
	sim = await fastSimulator();
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.resetLog());

type Case = [label: string, input: IDataObject, field: string];

/** Every parameter comes from the item, so one execution carries the whole table for an operation. */
const fromItem = (names: string[]): INodeParameters =>
	Object.fromEntries(names.map((name) => [name, `={{ $json.${name} }}`]));

const OPTIONS: INodeParameters = {
	callbackUrl: '={{ $json.callbackUrl ?? "" }}',
	pollInterval: '={{ $json.pollInterval ?? 0.1 }}',
	timeout: '={{ $json.timeout ?? 60 }}',
};

const TABLES: Array<{ operation: string; parameters: INodeParameters; cases: Case[] }> = [
	{
		operation: 'searchLeads',
		parameters: { ...fromItem(['searchDescription']), options: OPTIONS },
		cases: [
			['empty description', { searchDescription: '' }, 'Search Description'],
			['whitespace only', { searchDescription: '     \t   ' }, 'Search Description'],
			['too short', { searchDescription: 'CTOs' }, 'Search Description'],
			['9 characters after trimming', { searchDescription: '   123456789   ' }, 'Search Description'],
			['too long', { searchDescription: 'x'.repeat(2001) }, 'Search Description'],
			['emoji only, 5 characters', { searchDescription: '🚀🚀🚀🚀🚀' }, 'Search Description'],
			['a number', { searchDescription: 12345 }, 'Search Description'],
			['a list', { searchDescription: ['founders', 'raising'] }, 'Search Description'],
			['an object', { searchDescription: { text: 'founders raising seed' } }, 'Search Description'],
			['ftp callback', { searchDescription: 'Founders raising a seed round', callbackUrl: 'ftp://example.com/hook' }, 'Callback URL'],
			['callback without scheme', { searchDescription: 'Founders raising a seed round', callbackUrl: 'example.com/hook' }, 'Callback URL'],
			['javascript callback', { searchDescription: 'Founders raising a seed round', callbackUrl: 'javascript:alert(1)' }, 'Callback URL'],
			['callback with spaces', { searchDescription: 'Founders raising a seed round', callbackUrl: 'http://exa mple.com/hook' }, 'Callback URL'],
			['zero poll interval', { searchDescription: 'Founders raising a seed round', pollInterval: 0 }, 'Poll Interval'],
			['negative poll interval', { searchDescription: 'Founders raising a seed round', pollInterval: -3 }, 'Poll Interval'],
			['zero timeout', { searchDescription: 'Founders raising a seed round', timeout: 0 }, 'Timeout'],
			['timeout over a day', { searchDescription: 'Founders raising a seed round', timeout: 90_000 }, 'Timeout'],
		],
	},
	{
		operation: 'getInterests',
		parameters: { ...fromItem(['email', 'phone', 'socialMediaUrl', 'name', 'company']), options: OPTIONS },
		cases: [
			['nothing to identify the person', {}, 'Email, Phone, Social Media URL or Name'],
			['only a company', { company: 'Acme Inc' }, 'Email, Phone, Social Media URL or Name'],
			['only whitespace', { email: '   ', name: '  ' }, 'Email, Phone, Social Media URL or Name'],
			['email without @', { email: 'jane.example.com' }, 'Email'],
			['email without domain dot', { email: 'jane@example' }, 'Email'],
			['email with two @', { email: 'jane@@example.com' }, 'Email'],
			['email with a space', { email: 'jane doe@example.com' }, 'Email'],
			['email as a number', { email: 42 }, 'Email'],
			['phone in words', { phone: 'call me maybe' }, 'Phone'],
			['phone too short', { phone: '12345' }, 'Phone'],
			['phone too long', { phone: '+1 234 567 890 123 456' }, 'Phone'],
			['profile URL without scheme', { socialMediaUrl: 'linkedin.com/in/jane' }, 'Social Media URL'],
			['one-letter name', { name: 'J' }, 'Name'],
			['overlong name', { name: 'N'.repeat(201) }, 'Name'],
		],
	},
	{
		operation: 'getInteractions',
		parameters: { ...fromItem(['socialMediaUrl', 'interactionType', 'username', 'tweetId', 'maxResults']), options: OPTIONS },
		cases: [
			['Facebook URL', { socialMediaUrl: 'https://facebook.com/jane', interactionType: 'followers', maxResults: 100 }, 'Social Media URL'],
			['LinkedIn URL', { socialMediaUrl: 'https://www.linkedin.com/in/jane', interactionType: 'followers', maxResults: 100 }, 'Social Media URL'],
			['look-alike host', { socialMediaUrl: 'https://x.com.evil.example/jane', interactionType: 'followers', maxResults: 100 }, 'Social Media URL'],
			['no URL and no username', { interactionType: 'followers', maxResults: 100 }, 'Username'],
			['username with spaces', { username: 'jane doe', interactionType: 'followers', maxResults: 100 }, 'Username'],
			['overlong username', { username: `@${'j'.repeat(31)}`, interactionType: 'following', maxResults: 100 }, 'Username'],
			['unicode username', { username: 'jäne', interactionType: 'following', maxResults: 100 }, 'Username'],
			['replies on Instagram', { socialMediaUrl: 'https://www.instagram.com/jane/', interactionType: 'replies', maxResults: 100 }, 'Interaction Type'],
			['replies without a tweet', { socialMediaUrl: 'https://x.com/jane', interactionType: 'replies', maxResults: 100 }, 'Tweet ID'],
			['tweet id too short', { socialMediaUrl: 'https://x.com/jane', interactionType: 'replies', tweetId: '12345', maxResults: 100 }, 'Tweet ID'],
			['tweet id with letters', { socialMediaUrl: 'https://x.com/jane', interactionType: 'replies', tweetId: '12345abcde12', maxResults: 100 }, 'Tweet ID'],
			['max results below 10', { socialMediaUrl: 'https://x.com/jane', interactionType: 'followers', maxResults: 5 }, 'Max Results'],
			['max results above 1000', { socialMediaUrl: 'https://x.com/jane', interactionType: 'followers', maxResults: 5000 }, 'Max Results'],
			['fractional max results', { socialMediaUrl: 'https://x.com/jane', interactionType: 'followers', maxResults: 10.5 }, 'Max Results'],
		],
	},
	{
		operation: 'getJob',
		parameters: fromItem(['jobType', 'requestId']),
		cases: [
			['empty request id', { jobType: 'leads', requestId: '' }, 'Request ID'],
			['request id with spaces', { jobType: 'leads', requestId: 'abc def ghi jkl' }, 'Request ID'],
			['request id with markup', { jobType: 'interests', requestId: '<script>alert(1)</script>' }, 'Request ID'],
			['interactions id under Leads', { jobType: 'leads', requestId: 'interaction_a1b2c3d4e5f6a1b2_1717000000_4271' }, 'Job Type'],
			['leads id under Interests', { jobType: 'interests', requestId: 'a'.repeat(64) }, 'Job Type'],
		],
	},
];

const allCases = TABLES.flatMap((table) => table.cases);

it('has at least 40 bad inputs across all operations', () => {
	expect(allCases.length).toBeGreaterThanOrEqual(40);
});

describe.each(TABLES)('$operation', ({ operation, parameters, cases }) => {
	it('rejects each bad input naming the field, sends nothing for it, and finishes the good item', async () => {
		const good: Record<string, IDataObject> = {
			searchLeads: { searchDescription: 'Founders raising a seed round [n=1]' },
			getInterests: { email: 'jane@example.com' },
			getInteractions: { socialMediaUrl: 'https://x.com/jane', interactionType: 'following', maxResults: 10 },
			getJob: { jobType: 'leads', requestId: 'b'.repeat(64) },
		};
		const { items, error } = await runNode({
			parameters: { operation, ...parameters },
			items: [...cases.map(([, input]) => input), good[operation]],
			credentials: credentialsFor(sim),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const byInput = new Map<number, IDataObject[]>();
		for (const item of items) {
			const index = (item.pairedItem as { item: number }).item;
			byInput.set(index, [...(byInput.get(index) ?? []), item.json]);
		}
		cases.forEach(([label, , field], index) => {
			const outputs = byInput.get(index) ?? [];
			expect({ label, count: outputs.length }).toEqual({ label, count: 1 });
			expect({ label, message: String(outputs[0].error) }).toEqual({ label, message: expect.stringContaining(field) });
		});
		// Only the good item reached Nyne.
		const requests = sim.getLog().filter((entry) => entry.op !== 'other');
		expect(requests.length).toBeGreaterThan(0);
		const goodIndex = cases.length;
		expect(byInput.get(goodIndex)?.length).toBeGreaterThan(0);
		expect(sim.getCounters().submits).toBe(operation === 'getJob' ? 0 : 1);
		if (operation === 'getJob') expect(sim.getCounters().polls).toBe(1);
	});
});

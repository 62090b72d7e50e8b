/**
 * A table of bad inputs across all operations: each is rejected before anything is sent, with the field
 * named, and the other items of the same execution are not held back.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { credentialsFor, fastSimulator, recordSubmittedBodies } from '../integration/fixtures';
import { runNode } from '../harness';
import type { NyneSimulator } from '../simulator';

let sim: NyneSimulator;
const sent = recordSubmittedBodies();
beforeAll(async () => {
	sim = await fastSimulator({ behaviour: sent.behaviour });
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.resetLog());

/** `rule`: a part of the message that says what to do, when the field alone does not. */
type Case = [label: string, input: IDataObject, field: string, rule?: string];

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
			[
				'9 characters after trimming',
				{ searchDescription: '   123456789   ' },
				'Search Description',
			],
			['too long', { searchDescription: 'x'.repeat(2001) }, 'Search Description'],
			[
				'emoji only, 5 characters',
				{ searchDescription: '🚀🚀🚀🚀🚀' },
				'Search Description',
				'but is 5',
			],
			[
				'2001 emoji (4002 UTF-16 units)',
				{ searchDescription: '🚀'.repeat(2001) },
				'Search Description',
				'but is 2001',
			],
			['a number', { searchDescription: 12345 }, 'Search Description'],
			['a list', { searchDescription: ['founders', 'raising'] }, 'Search Description'],
			['an object', { searchDescription: { text: 'founders raising seed' } }, 'Search Description'],
			[
				'ftp callback',
				{
					searchDescription: 'Founders raising a seed round',
					callbackUrl: 'ftp://example.com/hook',
				},
				'Callback URL',
			],
			[
				'callback without scheme',
				{ searchDescription: 'Founders raising a seed round', callbackUrl: 'example.com/hook' },
				'Callback URL',
			],
			[
				'javascript callback',
				{ searchDescription: 'Founders raising a seed round', callbackUrl: 'javascript:alert(1)' },
				'Callback URL',
			],
			[
				'callback with spaces',
				{
					searchDescription: 'Founders raising a seed round',
					callbackUrl: 'http://exa mple.com/hook',
				},
				'Callback URL',
			],
			[
				'zero poll interval',
				{ searchDescription: 'Founders raising a seed round', pollInterval: 0 },
				'Poll Interval',
			],
			[
				'negative poll interval',
				{ searchDescription: 'Founders raising a seed round', pollInterval: -3 },
				'Poll Interval',
			],
			[
				'zero timeout',
				{ searchDescription: 'Founders raising a seed round', timeout: 0 },
				'Timeout',
			],
			[
				'timeout over a day',
				{ searchDescription: 'Founders raising a seed round', timeout: 90_000 },
				'Timeout',
			],
		],
	},
	{
		operation: 'getInterests',
		parameters: {
			...fromItem(['email', 'phone', 'socialMediaUrl', 'name', 'company']),
			options: OPTIONS,
		},
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
			['tel: with words', { phone: 'tel:call-me' }, 'Phone'],
			['only an extension', { phone: 'ext. 1234' }, 'Phone'],
			[
				'phone with letters after the extension',
				{ phone: '+1 415 555 0100 ext. 12 please' },
				'Phone',
			],
			['profile URL that is one word', { socialMediaUrl: 'jane' }, 'Social Media URL'],
			['ftp profile URL', { socialMediaUrl: 'ftp://linkedin.com/in/jane' }, 'Social Media URL'],
			['overlong name', { name: 'N'.repeat(201) }, 'Name'],
		],
	},
	{
		operation: 'getInteractions',
		parameters: {
			...fromItem(['socialMediaUrl', 'interactionType', 'username', 'tweetId', 'maxResults']),
			platform: '={{ $json.platform ?? "twitter" }}',
			options: OPTIONS,
		},
		cases: [
			[
				'Instagram post',
				{
					socialMediaUrl: 'https://www.instagram.com/p/C8xYz12AbCd/',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
				'is a post, not a profile',
			],
			[
				'Instagram reel',
				{
					socialMediaUrl: 'https://instagram.com/reel/C9aBc34DeFg',
					interactionType: 'following',
					maxResults: 100,
				},
				'Social Media URL',
				'https://www.instagram.com/<username>',
			],
			[
				'Instagram stories page',
				{
					socialMediaUrl: 'https://www.instagram.com/stories/jane/3141592653',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
				'names no account',
			],
			[
				'Instagram home, no account',
				{
					socialMediaUrl: 'https://www.instagram.com/',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
				'names no account',
			],
			[
				'X post without its author, for followers',
				{
					socialMediaUrl: 'https://x.com/i/web/status/1234567890123',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
				'https://x.com/<username>',
			],
			[
				'X home',
				{ socialMediaUrl: 'https://x.com/home', interactionType: 'followers', maxResults: 100 },
				'Social Media URL',
				'the page /home/ of x.com',
			],
			[
				'X explore, no scheme',
				{ socialMediaUrl: 'x.com/explore', interactionType: 'following', maxResults: 100 },
				'Social Media URL',
				'names no account',
			],
			[
				'X search on a mobile host',
				{
					socialMediaUrl: 'https://mobile.twitter.com/search?q=jane',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
				'names no account',
			],
			[
				'/status/ without an id',
				{
					socialMediaUrl: 'https://x.com/jane/status/abc',
					interactionType: 'replies',
					maxResults: 100,
				},
				'Social Media URL',
				'10–25 digits',
			],
			[
				'numeric tweet id above 2^53',
				{
					socialMediaUrl: 'https://x.com/jane',
					interactionType: 'replies',
					tweetId: 1234567890123456789,
					maxResults: 100,
				},
				'Tweet ID',
				'pass it as text',
			],
			[
				'unknown platform for a username',
				{ username: 'jane', platform: 'facebook', interactionType: 'followers', maxResults: 100 },
				'Platform',
			],
			[
				'replies for an Instagram username',
				{
					username: 'jane',
					platform: 'instagram',
					interactionType: 'replies',
					tweetId: '1234567890123',
					maxResults: 100,
				},
				'Interaction Type',
			],
			[
				'Facebook URL',
				{
					socialMediaUrl: 'https://facebook.com/jane',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
			],
			[
				'LinkedIn URL',
				{
					socialMediaUrl: 'https://www.linkedin.com/in/jane',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
			],
			[
				'look-alike host',
				{
					socialMediaUrl: 'https://x.com.evil.example/jane',
					interactionType: 'followers',
					maxResults: 100,
				},
				'Social Media URL',
			],
			['no URL and no username', { interactionType: 'followers', maxResults: 100 }, 'Username'],
			[
				'username with spaces',
				{ username: 'jane doe', interactionType: 'followers', maxResults: 100 },
				'Username',
			],
			[
				'overlong username',
				{ username: `@${'j'.repeat(31)}`, interactionType: 'following', maxResults: 100 },
				'Username',
			],
			[
				'unicode username',
				{ username: 'jäne', interactionType: 'following', maxResults: 100 },
				'Username',
			],
			[
				'replies on Instagram',
				{
					socialMediaUrl: 'https://www.instagram.com/jane/',
					interactionType: 'replies',
					maxResults: 100,
				},
				'Interaction Type',
			],
			[
				'replies without a tweet',
				{ socialMediaUrl: 'https://x.com/jane', interactionType: 'replies', maxResults: 100 },
				'Tweet ID',
			],
			[
				'tweet id too short',
				{
					socialMediaUrl: 'https://x.com/jane',
					interactionType: 'replies',
					tweetId: '12345',
					maxResults: 100,
				},
				'Tweet ID',
			],
			[
				'tweet id with letters',
				{
					socialMediaUrl: 'https://x.com/jane',
					interactionType: 'replies',
					tweetId: '12345abcde12',
					maxResults: 100,
				},
				'Tweet ID',
			],
			[
				'max results below 10',
				{ socialMediaUrl: 'https://x.com/jane', interactionType: 'followers', maxResults: 5 },
				'Max Results',
			],
			[
				'max results above 1000',
				{ socialMediaUrl: 'https://x.com/jane', interactionType: 'followers', maxResults: 5000 },
				'Max Results',
			],
			[
				'fractional max results',
				{ socialMediaUrl: 'https://x.com/jane', interactionType: 'followers', maxResults: 10.5 },
				'Max Results',
			],
		],
	},
	{
		operation: 'getJob',
		parameters: fromItem(['jobType', 'requestId']),
		cases: [
			['empty request id', { jobType: 'leads', requestId: '' }, 'Request ID'],
			['request id with spaces', { jobType: 'leads', requestId: 'abc def ghi jkl' }, 'Request ID'],
			[
				'request id with markup',
				{ jobType: 'interests', requestId: '<script>alert(1)</script>' },
				'Request ID',
			],
			[
				'interactions id under Leads',
				{ jobType: 'leads', requestId: 'interaction_a1b2c3d4e5f6a1b2_1717000000_4271' },
				'Job Type',
			],
			['leads id under Interests', { jobType: 'interests', requestId: 'a'.repeat(64) }, 'Job Type'],
		],
	},
];

const allCases = TABLES.flatMap((table) => table.cases);

it('has at least 60 bad inputs across all operations', () => {
	expect(allCases.length).toBeGreaterThanOrEqual(60);
});

describe.each(TABLES)('$operation', ({ operation, parameters, cases }) => {
	it('rejects each bad input naming the field, sends nothing for it, and finishes the good item', async () => {
		const good: Record<string, IDataObject> = {
			searchLeads: { searchDescription: 'Founders raising a seed round [n=1]' },
			getInterests: { email: 'jane@example.com' },
			getInteractions: {
				socialMediaUrl: 'https://x.com/jane',
				interactionType: 'following',
				maxResults: 10,
			},
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
		cases.forEach(([label, , field, rule], index) => {
			const outputs = byInput.get(index) ?? [];
			expect({ label, count: outputs.length }).toEqual({ label, count: 1 });
			expect({ label, message: String(outputs[0].error) }).toEqual({
				label,
				message: expect.stringContaining(`${field}: `),
			});
			if (rule)
				expect({ label, message: String(outputs[0].error) }).toEqual({
					label,
					message: expect.stringContaining(rule),
				});
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

/** Inputs whose intent is clear: normalised, sent, and accepted by Nyne. `sent` is the body's part that was normalised. */
type Normalised = [label: string, input: IDataObject, sent: IDataObject, notSent?: string[]];

const NORMALISED: Array<{ operation: string; parameters: INodeParameters; cases: Normalised[] }> = [
	{
		operation: 'searchLeads',
		parameters: fromItem(['searchDescription']),
		cases: [
			[
				'10 emoji: 10 characters',
				{ searchDescription: '🚀'.repeat(10) },
				{ search_description: '🚀'.repeat(10) },
			],
			[
				'2000 emoji: 2000 characters (4000 UTF-16 units)',
				{ searchDescription: '🚀'.repeat(2000) },
				{ search_description: '🚀'.repeat(2000) },
			],
		],
	},
	{
		operation: 'getInterests',
		parameters: fromItem(['email', 'phone', 'socialMediaUrl', 'name', 'company']),
		cases: [
			[
				'phone with no-break spaces',
				{ phone: '+1\u00a0415\u00a0555\u00a00100' },
				{ phone: '+1 415 555 0100' },
			],
			[
				'phone with thin spaces',
				{ phone: '+44\u200920\u20097946\u20090958' },
				{ phone: '+44 20 7946 0958' },
			],
			[
				'phone with en and em dashes',
				{ phone: '(415)\u2013555\u20140101' },
				{ phone: '(415)-555-0101' },
			],
			['phone with a minus sign', { phone: '415\u2212555\u22120102' }, { phone: '415-555-0102' }],
			['tel: link', { phone: 'tel:+14155550103' }, { phone: '+14155550103' }],
			['phone with ext.', { phone: '+1 415 555 0104 ext. 12' }, { phone: '+1 415 555 0104' }],
			['phone with x extension', { phone: '415.555.0105 x7' }, { phone: '415.555.0105' }],
			['phone with a slash', { phone: '089/1234567' }, { phone: '089/1234567' }],
			[
				'profile URL without scheme',
				{ socialMediaUrl: 'linkedin.com/in/jane' },
				{ social_media_url: 'https://linkedin.com/in/jane' },
			],
			[
				'X URL without scheme',
				{ socialMediaUrl: 'x.com/jane' },
				{ social_media_url: 'https://x.com/jane' },
			],
			['one-character name', { name: '王' }, { name: '王' }],
			['one-letter name', { name: 'J', company: 'Acme' }, { name: 'J', company: 'Acme' }],
		],
	},
	{
		operation: 'getInteractions',
		parameters: {
			...fromItem(['socialMediaUrl', 'interactionType', 'username', 'tweetId']),
			platform: '={{ $json.platform ?? "twitter" }}',
		},
		cases: [
			[
				'X URL without scheme',
				{ socialMediaUrl: 'x.com/jane', interactionType: 'followers' },
				{ social_media_url: 'https://x.com/jane' },
			],
			[
				'mobile.twitter.com',
				{ socialMediaUrl: 'https://mobile.twitter.com/jane1', interactionType: 'followers' },
				{ social_media_url: 'https://twitter.com/jane1' },
			],
			[
				'mobile.x.com',
				{ socialMediaUrl: 'https://mobile.x.com/jane2', interactionType: 'following' },
				{ social_media_url: 'https://x.com/jane2' },
			],
			[
				'm.instagram.com',
				{ socialMediaUrl: 'https://m.instagram.com/jane3/', interactionType: 'followers' },
				{ social_media_url: 'https://www.instagram.com/jane3/' },
			],
			[
				'X post URL names its author',
				{
					socialMediaUrl: 'https://x.com/jane4/status/1234567890123',
					interactionType: 'followers',
				},
				{ social_media_url: 'https://x.com/jane4/status/1234567890123' },
			],
			[
				'URL wins over a different Username',
				{ socialMediaUrl: 'https://x.com/jane5', username: 'john', interactionType: 'followers' },
				{ social_media_url: 'https://x.com/jane5' },
				['username'],
			],
			[
				'Username alone, X/Twitter by default',
				{ username: '@jane6', interactionType: 'followers' },
				{ social_media_url: 'https://x.com/jane6', username: 'jane6' },
			],
			[
				'Username alone on Instagram',
				{ username: 'jane7', platform: 'instagram', interactionType: 'following' },
				{ social_media_url: 'https://www.instagram.com/jane7', username: 'jane7' },
			],
			[
				'/status/ id wins over a different Tweet ID',
				{
					socialMediaUrl: 'https://x.com/jane8/status/1111111111111',
					tweetId: '2222222222222',
					interactionType: 'replies',
				},
				{ social_media_url: 'https://x.com/jane8/status/1111111111111', tweet_id: '1111111111111' },
			],
			[
				'numeric Tweet ID below 2^53',
				{
					socialMediaUrl: 'https://x.com/jane9',
					tweetId: 1234567890123,
					interactionType: 'replies',
				},
				{ tweet_id: '1234567890123' },
			],
			[
				'X post without its author, for replies',
				{ socialMediaUrl: 'https://x.com/i/web/status/3333333333333', interactionType: 'replies' },
				{ social_media_url: 'https://x.com/i/web/status/3333333333333', tweet_id: '3333333333333' },
			],
		],
	},
];

describe.each(NORMALISED)(
	'$operation, inputs read the way people type them',
	({ operation, parameters, cases }) => {
		it('sends the normalised value, and Nyne accepts it', async () => {
			const { items, error } = await runNode({
				parameters: { operation, mode: 'submit', ...parameters, maxResults: 10 },
				items: cases.map(([, input]) => input),
				credentials: credentialsFor(sim),
				continueOnFail: true,
			});
			expect(error).toBeUndefined();
			cases.forEach(([label, , expected, notSent], index) => {
				const outputs = items
					.filter((item) => (item.pairedItem as { item: number }).item === index)
					.map((item) => item.json);
				expect({ label, outputs }).toEqual({
					label,
					outputs: [expect.objectContaining({ request_id: expect.any(String) })],
				});
				const body = sent.bodies.get(outputs[0].request_id as string);
				expect({ label, body }).toEqual({ label, body: expect.objectContaining(expected) });
				for (const field of notSent ?? [])
					expect({ label, body }).toEqual({
						label,
						body: expect.not.objectContaining({ [field]: expect.anything() }),
					});
			});
			expect(sim.getCounters().submits).toBe(cases.length);
		});
	},
);

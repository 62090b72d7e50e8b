import type { INodeProperties } from 'n8n-workflow';

import {
	POLL_INTERVAL_SECONDS,
	SUBMIT_TIMEOUT_SECONDS,
	submitJob,
	TIMEOUT_SECONDS,
} from '../../../nodes/Nyne/actions/jobOptions';
import { description, operations } from '../../../nodes/Nyne/actions/person';
import * as getInteractions from '../../../nodes/Nyne/actions/person/getInteractions.operation';
import * as getInterests from '../../../nodes/Nyne/actions/person/getInterests.operation';
import * as getJob from '../../../nodes/Nyne/actions/person/getJob.operation';
import * as searchLeads from '../../../nodes/Nyne/actions/person/searchLeads.operation';
import type { ItemParameters, JobPlan } from '../../../nodes/Nyne/actions/types';
import { fieldError } from '../../support/fieldError';
import {
	FIELD_BOUNDS,
	JOB_KINDS,
	REQUEST_ID_FORMATS,
	type JobKind,
} from '../../../nodes/shared/nyneApi';

/** One item's parameters as n8n hands them to `plan`: the fallback when a parameter is not set. */
function itemOf(parameters: Record<string, unknown>, asTool = false): ItemParameters {
	return {
		read: (name, fallback) =>
			Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : fallback,
		asTool,
	};
}

/** The wait options of an item that sets no Options: the node's defaults, in ms. */
const DEFAULT_WAIT = {
	firstPollDelayMs: POLL_INTERVAL_SECONDS.default * 1000,
	timeoutMs: TIMEOUT_SECONDS.default * 1000,
};

/** The plan of a job waited for with the default options. */
function waited(kind: JobKind, body: Record<string, unknown>, output = 'split'): JobPlan {
	return { spec: { action: 'submit', kind, body, wait: DEFAULT_WAIT }, output } as JobPlan;
}

const LEADS_QUERY = 'Marketing directors at SaaS companies interested in AI tools';
const MAX_RESULTS = FIELD_BOUNDS.maxResults;

describe('Mode and Options (submitJob)', () => {
	const fields = { search_description: LEADS_QUERY };

	it('defaults to Wait for Result, polling after 3 s, for at most 900 s; Submit Timeout 60 s', () => {
		// The defaults a user sees in the node.
		expect(POLL_INTERVAL_SECONDS.default).toBe(3);
		expect(TIMEOUT_SECONDS.default).toBe(900);
		expect(SUBMIT_TIMEOUT_SECONDS.default).toBe(60);
		expect(submitJob(itemOf({}), 'leads', fields)).toEqual({
			spec: {
				action: 'submit',
				kind: 'leads',
				body: { search_description: LEADS_QUERY },
				wait: { firstPollDelayMs: 3000, timeoutMs: 900_000 },
			},
			output: 'split',
		});
	});

	it('sends the Callback URL as callback_url, trimmed, without changing the fields passed in', () => {
		const passed = { ...fields };
		const plan = submitJob(
			itemOf({ options: { callbackUrl: '  https://n8n.example.com/webhook/nyne?token=abc ' } }),
			'leads',
			passed,
		);
		expect(plan.spec).toMatchObject({
			body: {
				search_description: LEADS_QUERY,
				callback_url: 'https://n8n.example.com/webhook/nyne?token=abc',
			},
		});
		expect(passed).toEqual(fields);
	});

	it('sends no callback_url when the Callback URL is empty', () => {
		const plan = submitJob(itemOf({ options: { callbackUrl: '   ' } }), 'leads', fields);
		expect(plan.spec).toEqual(waited('leads', fields).spec);
	});

	it('refuses a Callback URL that is not http(s)', () => {
		const error = fieldError(() =>
			submitJob(itemOf({ options: { callbackUrl: 'ftp://n8n.example.com/x' } }), 'leads', fields),
		);
		expect(error.field).toBe('Callback URL');
		expect(error.message).toBe('Callback URL: must be an http:// or https:// URL, not ftp:');
	});

	it('Submit Only: does not wait, reaches Nyne for the default Submit Timeout, outputs Nyne’s answer', () => {
		expect(submitJob(itemOf({ mode: 'submit' }), 'interests', { email: 'a@b.co' })).toEqual({
			spec: {
				action: 'submit',
				kind: 'interests',
				body: { email: 'a@b.co' },
				wait: false,
				reachTimeoutMs: SUBMIT_TIMEOUT_SECONDS.default * 1000,
			},
			output: 'raw',
		});
	});

	it('Submit Only: the Submit Timeout in ms, the callback in the body', () => {
		const plan = submitJob(
			itemOf({
				mode: 'submit',
				options: { submitTimeout: 120, callbackUrl: 'https://n8n.example.com/webhook/r' },
			}),
			'leads',
			fields,
		);
		expect(plan).toEqual({
			spec: {
				action: 'submit',
				kind: 'leads',
				body: { ...fields, callback_url: 'https://n8n.example.com/webhook/r' },
				wait: false,
				reachTimeoutMs: 120_000,
			},
			output: 'raw',
		});
	});

	it('Submit Only ignores the hidden Poll Interval and Timeout, even out-of-range ones', () => {
		const plan = submitJob(
			itemOf({ mode: 'submit', options: { pollInterval: 0, timeout: 0 } }),
			'leads',
			fields,
		);
		expect(plan.spec).toMatchObject({ wait: false });
	});

	it('Wait for Result ignores the hidden Submit Timeout, even an out-of-range one', () => {
		const plan = submitJob(
			itemOf({ mode: 'wait', options: { submitTimeout: 0 } }),
			'leads',
			fields,
		);
		expect(plan.spec).toEqual(waited('leads', fields).spec);
	});

	it('converts Poll Interval and Timeout from seconds (fractions allowed) to ms', () => {
		const plan = submitJob(
			itemOf({ options: { pollInterval: 2.5, timeout: '120' } }),
			'leads',
			fields,
		);
		expect(plan.spec).toMatchObject({ wait: { firstPollDelayMs: 2500, timeoutMs: 120_000 } });
	});

	it('uses the defaults when the options are null', () => {
		expect(submitJob(itemOf({ options: null }), 'leads', fields)).toEqual(waited('leads', fields));
		expect(
			submitJob(itemOf({ options: { pollInterval: null, timeout: null } }), 'leads', fields),
		).toEqual(waited('leads', fields));
	});

	it.each([
		['Poll Interval', 'pollInterval', 'wait', POLL_INTERVAL_SECONDS],
		['Timeout', 'timeout', 'wait', TIMEOUT_SECONDS],
		['Submit Timeout', 'submitTimeout', 'submit', SUBMIT_TIMEOUT_SECONDS],
	])('%s: accepts its bounds and refuses values outside them', (label, name, mode, bounds) => {
		for (const value of [bounds.min, bounds.max]) {
			expect(() =>
				submitJob(itemOf({ mode, options: { [name]: value } }), 'leads', fields),
			).not.toThrow();
		}
		for (const value of [bounds.min / 2, bounds.max + 1, -1, 'soon']) {
			const error = fieldError(() =>
				submitJob(itemOf({ mode, options: { [name]: value } }), 'leads', fields),
			);
			expect(error.field).toBe(label);
			expect(error.message).toBe(
				`${label}: must be a number of seconds from ${bounds.min} to ${bounds.max}`,
			);
		}
	});

	it('Split Results off outputs one item with the whole result; on (the default) splits', () => {
		expect(submitJob(itemOf({ options: { splitResults: false } }), 'leads', fields).output).toBe(
			'result',
		);
		expect(submitJob(itemOf({ options: { splitResults: true } }), 'leads', fields).output).toBe(
			'split',
		);
	});

	it('refuses an unknown Mode', () => {
		const error = fieldError(() => submitJob(itemOf({ mode: 'later' }), 'leads', fields));
		expect(error.field).toBe('Mode');
		expect(error.message).toBe('Mode: must be one of wait, submit');
	});

	it('as an AI tool always waits, whatever the Mode, keeping the Options', () => {
		expect(submitJob(itemOf({ mode: 'submit' }, true), 'leads', fields)).toEqual(
			waited('leads', fields),
		);
		expect(submitJob(itemOf({ mode: 'later' }, true), 'leads', fields)).toEqual(
			waited('leads', fields),
		);
		expect(
			submitJob(
				itemOf({ mode: 'submit', options: { pollInterval: 10, splitResults: false } }, true),
				'leads',
				fields,
			),
		).toEqual({
			spec: {
				action: 'submit',
				kind: 'leads',
				body: fields,
				wait: { firstPollDelayMs: 10_000, timeoutMs: DEFAULT_WAIT.timeoutMs },
			},
			output: 'result',
		});
	});
});

describe('Search Leads', () => {
	const { min, max } = FIELD_BOUNDS.searchDescription;

	it('sends the trimmed Search Description as search_description', () => {
		expect(searchLeads.plan(itemOf({ searchDescription: `  ${LEADS_QUERY}\n` }))).toEqual(
			waited('leads', { search_description: LEADS_QUERY }),
		);
	});

	it('Submit Only with a callback: the body Nyne receives', () => {
		const plan = searchLeads.plan(
			itemOf({
				searchDescription: LEADS_QUERY,
				mode: 'submit',
				options: { callbackUrl: 'https://n8n.example.com/webhook/leads' },
			}),
		);
		expect(plan).toEqual({
			spec: {
				action: 'submit',
				kind: 'leads',
				body: {
					search_description: LEADS_QUERY,
					callback_url: 'https://n8n.example.com/webhook/leads',
				},
				wait: false,
				reachTimeoutMs: SUBMIT_TIMEOUT_SECONDS.default * 1000,
			},
			output: 'raw',
		});
	});

	it('accepts the length bounds, counting an emoji as one character', () => {
		const atMin = '🚀'.repeat(min);
		expect(searchLeads.plan(itemOf({ searchDescription: atMin })).spec).toMatchObject({
			body: { search_description: atMin },
		});
		const atMax = 'a'.repeat(max);
		expect(searchLeads.plan(itemOf({ searchDescription: atMax })).spec).toMatchObject({
			body: { search_description: atMax },
		});
	});

	it.each([
		['one character short', 'a'.repeat(min - 1), min - 1],
		['one character long', 'a'.repeat(max + 1), max + 1],
		['empty', '', 0],
		['only spaces', ' '.repeat(min + 5), 0],
	])('refuses a description %s, giving its length', (_what, value, length) => {
		const error = fieldError(() => searchLeads.plan(itemOf({ searchDescription: value })));
		expect(error.field).toBe('Search Description');
		expect(error.message).toBe(
			`Search Description: must be ${min}–${max} characters long, but is ${length}`,
		);
	});
});

describe('Get Interests', () => {
	const { max } = FIELD_BOUNDS.personText;

	it('sends every identifier, normalised, under its snake_case name', () => {
		const plan = getInterests.plan(
			itemOf({
				email: ' Jane.Doe@Example.COM ',
				phone: 'tel:+1\u00a0415\u2011555\u20110100 ext. 7',
				socialMediaUrl: 'linkedin.com/in/janedoe',
				name: ' Jane Doe ',
				company: ' Acme ',
			}),
		);
		expect(plan).toEqual(
			waited('interests', {
				email: 'jane.doe@example.com',
				phone: '+1 415-555-0100',
				social_media_url: 'https://linkedin.com/in/janedoe',
				name: 'Jane Doe',
				company: 'Acme',
			}),
		);
	});

	it.each([
		['Email', { email: 'jane@example.com' }, { email: 'jane@example.com' }],
		['Phone', { phone: '+44 20 7946 0958' }, { phone: '+44 20 7946 0958' }],
		[
			'Social Media URL',
			{ socialMediaUrl: 'https://x.com/janedoe' },
			{ social_media_url: 'https://x.com/janedoe' },
		],
		['Name', { name: '王' }, { name: '王' }],
	])('%s alone identifies the person; only set fields are sent', (_field, parameters, body) => {
		expect(getInterests.plan(itemOf({ ...parameters, company: '' })).spec).toEqual(
			waited('interests', body).spec,
		);
	});

	it('refuses Company alone, and an item with no identifier', () => {
		for (const parameters of [{ company: 'Acme' }, {}, { email: '  ', name: ' ' }]) {
			const error = fieldError(() => getInterests.plan(itemOf(parameters)));
			expect(error.field).toBe('Email, Phone, Social Media URL or Name');
			expect(error.message).toBe(
				'Email, Phone, Social Media URL or Name: at least one of them is required to identify the person (Company alone is not enough)',
			);
		}
	});

	it('accepts a Name and Company of the maximum length (code points), refuses one more', () => {
		const longest = '🚀'.repeat(max);
		expect(getInterests.plan(itemOf({ name: longest, company: longest })).spec).toMatchObject({
			body: { name: longest, company: longest },
		});
		for (const [field, name] of [
			['Name', 'name'],
			['Company', 'company'],
		]) {
			const error = fieldError(() =>
				getInterests.plan(itemOf({ email: 'a@b.co', [name]: 'a'.repeat(max + 1) })),
			);
			expect(error.field).toBe(field);
			expect(error.message).toBe(`${field}: must be 1–${max} characters long, but is ${max + 1}`);
		}
	});

	it('names the field of an invalid Email, Phone or Social Media URL', () => {
		expect(fieldError(() => getInterests.plan(itemOf({ email: 'jane@example' }))).message).toBe(
			'Email: "jane@example" is not a valid email address',
		);
		expect(fieldError(() => getInterests.plan(itemOf({ phone: '12345' }))).field).toBe('Phone');
		expect(
			fieldError(() => getInterests.plan(itemOf({ socialMediaUrl: 'ftp://x.com/jane' }))).message,
		).toBe('Social Media URL: must be an http:// or https:// URL, not ftp:');
	});

	it('Submit Only outputs Nyne’s answer as it is', () => {
		expect(getInterests.plan(itemOf({ email: 'a@b.co', mode: 'submit' })).output).toBe('raw');
	});
});

describe('Get Interactions', () => {
	const interactions = (body: Record<string, unknown>) =>
		waited('interactions', { max_results: MAX_RESULTS.default, ...body });

	it('builds the X profile URL from a Username (without its @)', () => {
		expect(getInteractions.plan(itemOf({ username: '@janedoe' }))).toEqual(
			interactions({
				type: 'followers',
				social_media_url: 'https://x.com/janedoe',
				username: 'janedoe',
			}),
		);
	});

	it('builds the Instagram profile URL when Platform is Instagram', () => {
		expect(
			getInteractions.plan(
				itemOf({ username: 'jane.doe', platform: 'instagram', interactionType: 'following' }),
			).spec,
		).toEqual(
			interactions({
				type: 'following',
				social_media_url: 'https://www.instagram.com/jane.doe',
				username: 'jane.doe',
			}).spec,
		);
	});

	it('the Social Media URL wins over Username and Platform: no username is sent', () => {
		expect(
			getInteractions.plan(
				itemOf({
					socialMediaUrl: 'https://www.instagram.com/ada',
					username: 'bob',
					platform: 'twitter',
					interactionType: 'followers,following',
				}),
			).spec,
		).toEqual(
			interactions({
				type: 'followers,following',
				social_media_url: 'https://www.instagram.com/ada',
			}).spec,
		);
	});

	it.each([
		['https://mobile.twitter.com/janedoe', 'https://twitter.com/janedoe'],
		['https://mobile.x.com/janedoe?s=20', 'https://x.com/janedoe?s=20'],
		['mobile.x.com/janedoe', 'https://x.com/janedoe'],
		['https://m.instagram.com/janedoe/', 'https://www.instagram.com/janedoe/'],
	])('sends the mobile URL %p as the canonical %p', (typed, sent) => {
		expect(getInteractions.plan(itemOf({ socialMediaUrl: typed })).spec).toMatchObject({
			body: { social_media_url: sent },
		});
	});

	it('keeps other X/Instagram URLs as typed, adding https:// when missing', () => {
		expect(getInteractions.plan(itemOf({ socialMediaUrl: 'x.com/janedoe' })).spec).toMatchObject({
			body: { social_media_url: 'https://x.com/janedoe' },
		});
		expect(
			getInteractions.plan(itemOf({ socialMediaUrl: 'https://www.twitter.com/JaneDoe' })).spec,
		).toMatchObject({ body: { social_media_url: 'https://www.twitter.com/JaneDoe' } });
	});

	it('refuses a URL of another site, naming its host', () => {
		const error = fieldError(() =>
			getInteractions.plan(itemOf({ socialMediaUrl: 'https://www.linkedin.com/in/jane' })),
		);
		expect(error.field).toBe('Social Media URL');
		expect(error.message).toBe(
			'Social Media URL: must be an X/Twitter or Instagram URL, not www.linkedin.com',
		);
	});

	it.each([
		['https://x.com/home', 'is the page /home/ of x.com, not a profile, so it names no account'],
		['https://www.instagram.com/p/Cabc123/', 'is a post, not a profile, so it names no account'],
		['https://x.com/', 'names no account'],
	])('refuses %p, which names no account, pointing to a profile URL', (url, rule) => {
		const error = fieldError(() => getInteractions.plan(itemOf({ socialMediaUrl: url })));
		expect(error.field).toBe('Social Media URL');
		expect(error.message).toMatch(new RegExp(`^Social Media URL: ${rule}: use the account's`));
		expect(error.message).toMatch(/or leave the URL empty and enter the Username$/);
	});

	it('requires a valid Username when there is no URL', () => {
		const missing = fieldError(() => getInteractions.plan(itemOf({ username: ' @ ' })));
		expect(missing.field).toBe('Username');
		expect(missing.message).toBe('Username: is required when no Social Media URL is given');
		const invalid = fieldError(() => getInteractions.plan(itemOf({ username: 'jane doe' })));
		expect(invalid.field).toBe('Username');
		expect(invalid.message).toBe('Username: must be 1–30 letters, digits, underscores or dots');
	});

	it('refuses an unknown Interaction Type, listing the allowed ones', () => {
		const error = fieldError(() =>
			getInteractions.plan(itemOf({ username: 'jane', interactionType: 'likes' })),
		);
		expect(error.field).toBe('Interaction Type');
		expect(error.message).toBe(
			'Interaction Type: must be one of replies, followers, following, followers,following',
		);
	});

	describe('Replies', () => {
		it('reads the tweet id from an X /status/ URL', () => {
			expect(
				getInteractions.plan(
					itemOf({
						socialMediaUrl: 'https://x.com/janedoe/status/1790000000000000001',
						interactionType: 'replies',
					}),
				).spec,
			).toEqual(
				interactions({
					type: 'replies',
					social_media_url: 'https://x.com/janedoe/status/1790000000000000001',
					tweet_id: '1790000000000000001',
				}).spec,
			);
		});

		it("the URL's tweet id wins over the Tweet ID field", () => {
			expect(
				getInteractions.plan(
					itemOf({
						socialMediaUrl: 'https://twitter.com/janedoe/status/1790000000000000001',
						interactionType: 'replies',
						tweetId: '1111111111',
					}),
				).spec,
			).toMatchObject({ body: { tweet_id: '1790000000000000001' } });
		});

		it('accepts a post URL without its author', () => {
			expect(
				getInteractions.plan(
					itemOf({
						socialMediaUrl: 'https://x.com/i/web/status/1790000000000000001',
						interactionType: 'replies',
					}),
				).spec,
			).toEqual(
				interactions({
					type: 'replies',
					social_media_url: 'https://x.com/i/web/status/1790000000000000001',
					tweet_id: '1790000000000000001',
				}).spec,
			);
		});

		it('uses the Tweet ID field when the URL has no /status/ part, or with a Username', () => {
			expect(
				getInteractions.plan(
					itemOf({
						socialMediaUrl: 'https://x.com/janedoe',
						interactionType: 'replies',
						tweetId: ' 1790000000000000001 ',
					}),
				).spec,
			).toMatchObject({ body: { tweet_id: '1790000000000000001' } });
			expect(
				getInteractions.plan(
					itemOf({
						username: 'janedoe',
						interactionType: 'replies',
						tweetId: '1790000000000000001',
					}),
				).spec,
			).toEqual(
				interactions({
					type: 'replies',
					social_media_url: 'https://x.com/janedoe',
					username: 'janedoe',
					tweet_id: '1790000000000000001',
				}).spec,
			);
		});

		it('accepts a Tweet ID given as a number that keeps its digits', () => {
			expect(
				getInteractions.plan(
					itemOf({ username: 'janedoe', interactionType: 'replies', tweetId: 1234567890123 }),
				).spec,
			).toMatchObject({ body: { tweet_id: '1234567890123' } });
		});

		it('refuses a numeric Tweet ID above 2^53, which has lost digits', () => {
			const tooBig = 2 ** 53 + 2;
			const error = fieldError(() =>
				getInteractions.plan(
					itemOf({ username: 'janedoe', interactionType: 'replies', tweetId: tooBig }),
				),
			);
			expect(error.field).toBe('Tweet ID');
			expect(error.message).toBe(
				`Tweet ID: ${tooBig} is a number too large to keep its digits (above 2^53): pass it as text, e.g. "1234567890123456789"`,
			);
		});

		it('requires a tweet id', () => {
			const error = fieldError(() =>
				getInteractions.plan(
					itemOf({ socialMediaUrl: 'https://x.com/janedoe', interactionType: 'replies' }),
				),
			);
			expect(error.field).toBe('Tweet ID');
			expect(error.message).toBe(
				'Tweet ID: is required for Replies: enter it or use a post URL containing /status/<id>',
			);
		});

		it('refuses a Tweet ID that is not 10–25 digits', () => {
			for (const tweetId of ['123456789', '1'.repeat(26), 'abcdefghijk']) {
				const error = fieldError(() =>
					getInteractions.plan(
						itemOf({ username: 'janedoe', interactionType: 'replies', tweetId }),
					),
				);
				expect(error.field).toBe('Tweet ID');
				expect(error.message).toBe('Tweet ID: a tweet ID must be 10–25 digits');
			}
		});

		it('refuses a /status/ URL without a valid tweet id', () => {
			const error = fieldError(() =>
				getInteractions.plan(
					itemOf({
						socialMediaUrl: 'https://x.com/janedoe/status/12345',
						interactionType: 'replies',
						tweetId: '1790000000000000001',
					}),
				),
			);
			expect(error.field).toBe('Social Media URL');
			expect(error.message).toBe(
				'Social Media URL: the /status/ part must be followed by the tweet ID (10–25 digits)',
			);
		});

		it('refuses Replies on Instagram, from the Platform or from the URL', () => {
			for (const parameters of [
				{ username: 'janedoe', platform: 'instagram', tweetId: '1790000000000000001' },
				{ socialMediaUrl: 'https://www.instagram.com/janedoe', platform: 'twitter' },
			]) {
				const error = fieldError(() =>
					getInteractions.plan(itemOf({ ...parameters, interactionType: 'replies' })),
				);
				expect(error.field).toBe('Interaction Type');
				expect(error.message).toBe(
					'Interaction Type: Replies are only available on X/Twitter; Instagram supports Followers, Following, or both',
				);
			}
		});

		it('sends no tweet_id for other interaction types', () => {
			expect(
				getInteractions.plan(
					itemOf({
						username: 'janedoe',
						interactionType: 'following',
						tweetId: '1790000000000000001',
					}),
				).spec,
			).toEqual(
				interactions({
					type: 'following',
					social_media_url: 'https://x.com/janedoe',
					username: 'janedoe',
				}).spec,
			);
		});
	});

	describe('Max Results', () => {
		it(`defaults to ${MAX_RESULTS.default} and accepts its bounds`, () => {
			expect(getInteractions.plan(itemOf({ username: 'jane' })).spec).toMatchObject({
				body: { max_results: MAX_RESULTS.default },
			});
			for (const value of [MAX_RESULTS.min, MAX_RESULTS.max, String(MAX_RESULTS.max)]) {
				expect(
					getInteractions.plan(itemOf({ username: 'jane', maxResults: value })).spec,
				).toMatchObject({ body: { max_results: Number(value) } });
			}
		});

		it('refuses values outside the bounds instead of clamping them', () => {
			for (const value of [MAX_RESULTS.min - 1, MAX_RESULTS.max + 1]) {
				const error = fieldError(() =>
					getInteractions.plan(itemOf({ username: 'jane', maxResults: value })),
				);
				expect(error.field).toBe('Max Results');
				expect(error.message).toBe(
					`Max Results: must be from ${MAX_RESULTS.min} to ${MAX_RESULTS.max}, but is ${value}`,
				);
			}
		});

		it('refuses a fraction', () => {
			const error = fieldError(() =>
				getInteractions.plan(itemOf({ username: 'jane', maxResults: 50.5 })),
			);
			expect(error.field).toBe('Max Results');
			expect(error.message).toBe(
				`Max Results: must be a whole number from ${MAX_RESULTS.min} to ${MAX_RESULTS.max}`,
			);
		});
	});
});

describe('values the UI allows but JavaScript reads loosely', () => {
	it('a Poll Interval of 16.1 s is 16100 ms, a whole number of milliseconds', () => {
		const { spec } = submitJob(itemOf({ options: { pollInterval: 16.1 } }), 'leads', {});
		expect(spec).toMatchObject({ wait: { firstPollDelayMs: 16_100 } });
	});

	it('a fractional Tweet ID is refused as not digits (not as a number too large)', () => {
		const error = fieldError(() =>
			getInteractions.plan(
				itemOf({
					socialMediaUrl: 'https://x.com/janedoe',
					interactionType: 'replies',
					tweetId: 1234567890.5,
				}),
			),
		);
		expect(error.field).toBe('Tweet ID');
		expect(error.message).toBe('Tweet ID: a tweet ID must be 10–25 digits');
	});
});

describe('Get Job', () => {
	/** Request ids in each format Nyne documents (as in its pages' examples). */
	const SAMPLE_IDS: Record<JobKind, string> = {
		interests: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4_1717000000_4271',
		interactions: 'interaction_abc123def456_1234567890_1111',
		leads: 'a7f8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8',
	};

	it('the sample ids are each in exactly their own documented format', () => {
		for (const kind of JOB_KINDS) {
			for (const format of JOB_KINDS) {
				expect(REQUEST_ID_FORMATS[format].test(SAMPLE_IDS[kind])).toBe(format === kind);
			}
		}
	});

	it.each(JOB_KINDS.map((kind) => [kind]))(
		'checks a %s job once and outputs Nyne’s answer as it is',
		(kind) => {
			expect(getJob.plan(itemOf({ jobType: kind, requestId: ` ${SAMPLE_IDS[kind]} ` }))).toEqual({
				spec: { action: 'get', kind, requestId: SAMPLE_IDS[kind] },
				output: 'raw',
			});
		},
	);

	it('defaults to Job Type Leads', () => {
		expect(getJob.plan(itemOf({ requestId: SAMPLE_IDS.leads })).spec).toEqual({
			action: 'get',
			kind: 'leads',
			requestId: SAMPLE_IDS.leads,
		});
	});

	it('ignores Mode: a status check never submits', () => {
		expect(
			getJob.plan(itemOf({ jobType: 'leads', requestId: SAMPLE_IDS.leads, mode: 'submit' })).spec,
		).toMatchObject({ action: 'get' });
	});

	it('accepts an id in no documented format under any Job Type', () => {
		for (const kind of JOB_KINDS) {
			expect(getJob.plan(itemOf({ jobType: kind, requestId: 'req_0123456789' })).spec).toEqual({
				action: 'get',
				kind,
				requestId: 'req_0123456789',
			});
		}
	});

	it('names the kind an id pasted under the wrong Job Type belongs to', () => {
		for (const format of JOB_KINDS) {
			for (const jobType of JOB_KINDS.filter((kind) => kind !== format)) {
				const error = fieldError(() =>
					getJob.plan(itemOf({ jobType, requestId: SAMPLE_IDS[format] })),
				);
				expect(error.field).toBe('Job Type');
				expect(error.message).toBe(
					`Job Type: the request ID has the format of ${format} jobs, not of ${jobType} jobs`,
				);
			}
		}
	});

	it('requires a Request ID', () => {
		const error = fieldError(() => getJob.plan(itemOf({ jobType: 'leads', requestId: '  ' })));
		expect(error.field).toBe('Request ID');
		expect(error.message).toBe('Request ID: is required');
	});

	it.each(['abc1234', 'has spaces 123', 'id/with/slashes', 'x'.repeat(201), 'naïve-id-123'])(
		'refuses the Request ID %p',
		(requestId) => {
			const error = fieldError(() => getJob.plan(itemOf({ jobType: 'leads', requestId })));
			expect(error.field).toBe('Request ID');
			expect(error.message).toBe(
				'Request ID: must be 8–200 letters, digits, underscores or dashes, as Nyne returns it',
			);
		},
	);

	it('accepts the shortest and longest Request IDs', () => {
		for (const requestId of ['abcd1234', 'x'.repeat(200)]) {
			expect(getJob.plan(itemOf({ jobType: 'leads', requestId })).spec).toMatchObject({
				requestId,
			});
		}
	});

	it('refuses an unknown Job Type', () => {
		const error = fieldError(() =>
			getJob.plan(itemOf({ jobType: 'people', requestId: 'req_0123456789' })),
		);
		expect(error.field).toBe('Job Type');
		expect(error.message).toBe('Job Type: must be one of interests, interactions, leads');
	});
});

describe("the node's description", () => {
	const property = (name: string): INodeProperties => {
		const found = description.filter((entry) => entry.name === name);
		expect(found).toHaveLength(1);
		return found[0];
	};
	const optionValues = (entry: INodeProperties) =>
		(entry.options ?? []).map((option) => (option as { value: string }).value);
	const submitting = Object.keys(operations)
		.filter((name) => operations[name].submitsJob)
		.sort();

	it('every Operation option has an implementation, and every implementation an option', () => {
		const values = optionValues(property('operation'));
		for (const value of values) expect(operations[value]).toBeDefined();
		expect([...values].sort()).toEqual(Object.keys(operations).sort());
	});

	it('the default Operation is one of its options', () => {
		const operation = property('operation');
		expect(optionValues(operation)).toContain(operation.default);
	});

	it('every operation submits a job except Get Job', () => {
		expect(submitting).toEqual(['getInteractions', 'getInterests', 'searchLeads']);
		expect(operations.getJob.submitsJob).toBe(false);
	});

	it.each(['mode', 'options'])('%s shows exactly for the operations that submit a job', (name) => {
		const show = property(name).displayOptions?.show;
		expect(show?.resource).toEqual(['person']);
		expect([...((show?.operation as string[]) ?? [])].sort()).toEqual(submitting);
	});

	it("each operation's own fields show only for it", () => {
		const own: Array<[string, INodeProperties[]]> = [
			['searchLeads', searchLeads.description],
			['getInterests', getInterests.description],
			['getInteractions', getInteractions.description],
			['getJob', getJob.description],
		];
		for (const [name, fields] of own) {
			expect(fields.length).toBeGreaterThan(0);
			for (const field of fields) {
				expect(field.displayOptions?.show).toMatchObject({
					resource: ['person'],
					operation: [name],
				});
				expect(description).toContain(field);
			}
		}
	});

	it('Split Results shows only for the operations with lists to split', () => {
		const splitResults = (property('options').options as INodeProperties[]).find(
			(option) => option.name === 'splitResults',
		);
		expect(splitResults?.displayOptions?.show).toEqual({
			'/operation': ['getInteractions', 'searchLeads'],
			'/mode': ['wait'],
		});
	});

	it.each([
		['pollInterval', 'Poll Interval', 'wait'],
		['timeout', 'Timeout', 'wait'],
		['submitTimeout', 'Submit Timeout', 'submit'],
	])('%s: the default and bounds shown are the ones plan() applies', (name, label, mode) => {
		const option = (property('options').options as INodeProperties[]).find(
			(entry) => entry.name === name,
		) as INodeProperties;
		expect(option.displayOptions?.show).toEqual({ '/mode': [mode] });
		const { minValue, maxValue } = option.typeOptions as { minValue: number; maxValue: number };
		const plan = (value?: number) =>
			searchLeads.plan(
				itemOf({
					searchDescription: LEADS_QUERY,
					mode,
					options: value === undefined ? {} : { [name]: value },
				}),
			);
		expect(plan(option.default as number)).toEqual(plan());
		expect(() => plan(minValue)).not.toThrow();
		expect(() => plan(maxValue)).not.toThrow();
		expect(fieldError(() => plan(maxValue + 1)).field).toBe(label);
		expect(fieldError(() => plan(minValue / 2)).field).toBe(label);
	});

	it('Max Results: the default and bounds shown are the ones plan() applies', () => {
		const option = getInteractions.description.find((entry) => entry.name === 'maxResults');
		expect(option?.default).toBe(MAX_RESULTS.default);
		expect(option?.typeOptions).toMatchObject({
			minValue: MAX_RESULTS.min,
			maxValue: MAX_RESULTS.max,
		});
		const plan = (maxResults: unknown) =>
			getInteractions.plan(itemOf({ username: 'jane', maxResults }));
		expect(plan(option?.typeOptions?.minValue).spec).toMatchObject({
			body: { max_results: MAX_RESULTS.min },
		});
		expect(fieldError(() => plan((option?.typeOptions?.maxValue as number) + 1)).field).toBe(
			'Max Results',
		);
	});
});

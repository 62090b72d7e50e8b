import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { FIELD_BOUNDS, TWEET_ID, USERNAME } from '../../../shared/nyneApi';
import { submitJob } from '../jobOptions';
import type { ItemParameters, JobPlan } from '../types';
import { FieldError, integerBetween, oneOf, profileUrl, text } from '../validation';

const MAX_RESULTS = FIELD_BOUNDS.maxResults;
const TWEET_DIGITS = `${FIELD_BOUNDS.tweetIdDigits.min}–${FIELD_BOUNDS.tweetIdDigits.max} digits`;
// A plain name for the description's default (the community-package scanner reads `X.default` as missing).
const MAX_RESULTS_DEFAULT = MAX_RESULTS.default;

const INTERACTION_TYPES = ['replies', 'followers', 'following', 'followers,following'] as const;
type InteractionType = (typeof INTERACTION_TYPES)[number];
type Platform = 'twitter' | 'instagram';

const properties: INodeProperties[] = [
	{
		displayName: 'Social Media URL',
		name: 'socialMediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://x.com/janedoe or https://x.com/janedoe/status/1234567890',
		description:
			'X/Twitter or Instagram profile URL (or an X post URL). The platform, username and tweet ID are read from it; it wins over Username and Tweet ID.',
	},
	{
		displayName: 'Interaction Type',
		name: 'interactionType',
		type: 'options',
		options: [
			{
				name: 'Replies',
				value: 'replies',
				description: 'People who replied to a post (X/Twitter only)',
			},
			{ name: 'Followers', value: 'followers', description: 'Accounts following the person' },
			{ name: 'Following', value: 'following', description: 'Accounts the person follows' },
			{
				name: 'Followers and Following',
				value: 'followers,following',
				description: 'Both lists in one job (one request, one charge)',
			},
		],
		default: 'followers',
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		placeholder: 'janedoe',
		description:
			'Handle (leading @ is removed). Used only when no Social Media URL is given; then Platform says where.',
	},
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		options: [
			{ name: 'Instagram', value: 'instagram' },
			{ name: 'X/Twitter', value: 'twitter' },
		],
		default: 'twitter',
		description:
			'Where the Username is. Used only when no Social Media URL is given (a URL names its platform).',
	},
	{
		displayName: 'Tweet ID',
		name: 'tweetId',
		type: 'string',
		default: '',
		placeholder: '1234567890123456789',
		description: `Post whose replies to fetch (${TWEET_DIGITS}, as text). Used when the Social Media URL has no /status/ part with the post ID.`,
		displayOptions: { show: { interactionType: ['replies'] } },
	},
	{
		displayName: 'Max Results',
		name: 'maxResults',
		type: 'number',
		typeOptions: { minValue: MAX_RESULTS.min, maxValue: MAX_RESULTS.max },
		default: MAX_RESULTS_DEFAULT,
		description: `Max number of results to return (${MAX_RESULTS.min}–${MAX_RESULTS.max})`,
	},
];

/** Hosts Nyne reads, by platform; mobile hosts are sent as their canonical host, as Nyne refuses them. */
const HOSTS: Record<string, { platform: Platform; canonical?: string }> = {
	'x.com': { platform: 'twitter' },
	'www.x.com': { platform: 'twitter' },
	'mobile.x.com': { platform: 'twitter', canonical: 'x.com' },
	'twitter.com': { platform: 'twitter' },
	'www.twitter.com': { platform: 'twitter' },
	'mobile.twitter.com': { platform: 'twitter', canonical: 'twitter.com' },
	'instagram.com': { platform: 'instagram' },
	'www.instagram.com': { platform: 'instagram' },
	'm.instagram.com': { platform: 'instagram', canonical: 'www.instagram.com' },
};

/** First path segments that are pages of the site, not accounts: a lookup there would be for an account named so. */
const SYSTEM_PATHS: Record<Platform, Set<string>> = {
	twitter: new Set([
		'i',
		'home',
		'explore',
		'search',
		'notifications',
		'messages',
		'settings',
		'compose',
		'intent',
		'share',
		'hashtag',
		'login',
		'logout',
		'signup',
		'tos',
		'privacy',
		'about',
		'jobs',
		'status',
	]),
	instagram: new Set([
		'p',
		'reel',
		'reels',
		'tv',
		'stories',
		'explore',
		'accounts',
		'direct',
		'about',
		'developer',
		'legal',
		'web',
		'challenge',
	]),
};
const INSTAGRAM_POSTS = new Set(['p', 'reel', 'reels', 'tv']);
const PROFILE_EXAMPLE: Record<Platform, string> = {
	twitter: 'https://x.com/<username>',
	instagram: 'https://www.instagram.com/<username>',
};

/** What a Social Media URL says: its platform, the account it names, the post id of an X /status/ URL. */
interface ReadUrl {
	platform: Platform;
	/** The URL to send: as typed, with https:// added or a mobile host made canonical. */
	text: string;
	account?: string;
	statusId?: string;
}

function readSocialMediaUrl(value: string, type: InteractionType): ReadUrl | undefined {
	const parsed = profileUrl('Social Media URL', value);
	if (!parsed) return undefined;
	const { url } = parsed;
	const host = HOSTS[url.hostname.toLowerCase()];
	if (!host)
		throw new FieldError(
			'Social Media URL',
			`must be an X/Twitter or Instagram URL, not ${url.hostname}`,
		);
	let text = parsed.text;
	if (host.canonical) {
		url.hostname = host.canonical;
		text = url.href;
	}
	const { platform } = host;
	const segments = url.pathname.split('/').filter(Boolean);
	const statusAt =
		platform === 'twitter' ? segments.findIndex((segment) => /^status(es)?$/i.test(segment)) : -1;
	const statusId = statusAt >= 0 ? segments[statusAt + 1] : undefined;
	if (statusAt >= 0 && !TWEET_ID.test(statusId ?? '')) {
		throw new FieldError(
			'Social Media URL',
			`the /status/ part must be followed by the tweet ID (${TWEET_DIGITS})`,
		);
	}
	const first = segments[0]?.replace(/^@/, '');
	if (first && !SYSTEM_PATHS[platform].has(first.toLowerCase()))
		return { platform, text, account: first, statusId };
	// A post without its author (x.com/i/web/status/<id>) still names the post Replies need.
	if (type === 'replies' && statusId) return { platform, text, statusId };
	const fix = `use the account's profile URL, e.g. ${PROFILE_EXAMPLE[platform]}, or leave the URL empty and enter the Username`;
	if (!first) throw new FieldError('Social Media URL', `names no account: ${fix}`);
	const what =
		platform === 'instagram' && INSTAGRAM_POSTS.has(first.toLowerCase())
			? 'a post'
			: `the page /${first}/ of ${url.hostname}`;
	throw new FieldError(
		'Social Media URL',
		`is ${what}, not a profile, so it names no account: ${fix}`,
	);
}

/** A Tweet ID as text. A number above 2^53 has already lost digits in JavaScript, so it is refused. */
function tweetIdText(value: unknown): string {
	if (typeof value === 'number' && !Number.isInteger(value)) {
		throw new FieldError('Tweet ID', `a tweet ID must be ${TWEET_DIGITS}`);
	}
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		throw new FieldError(
			'Tweet ID',
			`${value} is a number too large to keep its digits (above 2^53): pass it as text, e.g. "1234567890123456789"`,
		);
	}
	return text('Tweet ID', value);
}

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['getInteractions'] } },
	properties,
);

export const submitsJob = true;

export function plan(item: ItemParameters): JobPlan {
	const { read } = item;
	const urlText = text('Social Media URL', read('socialMediaUrl', ''));
	const type: InteractionType = oneOf(
		'Interaction Type',
		read('interactionType', 'followers'),
		INTERACTION_TYPES,
	);
	const usernameText = text('Username', read('username', '')).replace(/^@/, '');
	const maxResults = integerBetween(
		'Max Results',
		read('maxResults', MAX_RESULTS.default),
		MAX_RESULTS.min,
		MAX_RESULTS.max,
	);
	const fromUrl = readSocialMediaUrl(urlText, type);

	// The URL wins: with one, the Username is not sent. Without one, Username and Platform build it.
	let platform: Platform;
	let socialMediaUrl: string;
	let username: string | undefined;
	if (fromUrl) {
		platform = fromUrl.platform;
		socialMediaUrl = fromUrl.text;
	} else {
		if (!usernameText)
			throw new FieldError('Username', 'is required when no Social Media URL is given');
		if (!USERNAME.test(usernameText)) {
			throw new FieldError(
				'Username',
				`must be ${FIELD_BOUNDS.username.min}–${FIELD_BOUNDS.username.max} letters, digits, underscores or dots`,
			);
		}
		platform = oneOf('Platform', read('platform', 'twitter'), ['twitter', 'instagram'] as const);
		username = usernameText;
		socialMediaUrl = PROFILE_EXAMPLE[platform].replace('<username>', username);
	}
	if (platform === 'instagram' && type === 'replies') {
		throw new FieldError(
			'Interaction Type',
			'Replies are only available on X/Twitter; Instagram supports Followers, Following, or both',
		);
	}
	const fields: Record<string, unknown> = { type, social_media_url: socialMediaUrl };
	if (username) fields.username = username;
	if (type === 'replies') {
		// The URL's /status/ id wins; the Tweet ID field is used when the URL has none.
		const tweetId = fromUrl?.statusId ?? tweetIdText(read('tweetId', ''));
		if (!tweetId) {
			throw new FieldError(
				'Tweet ID',
				'is required for Replies: enter it or use a post URL containing /status/<id>',
			);
		}
		if (!TWEET_ID.test(tweetId))
			throw new FieldError('Tweet ID', `a tweet ID must be ${TWEET_DIGITS}`);
		fields.tweet_id = tweetId;
	}
	fields.max_results = maxResults;
	return submitJob(item, 'interactions', fields);
}

import type { INodeProperties } from 'n8n-workflow';

import { showFor, type SubmitOperation } from '../common';
import { FieldError, httpUrl, integerBetween, oneOf, text } from '../validation';

const show = showFor(['getInteractions']);

export const INTERACTION_TYPES = ['replies', 'followers', 'following', 'followers,following'] as const;
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
			'X/Twitter or Instagram profile or post URL. The platform, username and tweet ID are read from it.',
		displayOptions: show,
	},
	{
		displayName: 'Interaction Type',
		name: 'interactionType',
		type: 'options',
		options: [
			{ name: 'Replies', value: 'replies', description: 'People who replied to a post (X/Twitter only)' },
			{ name: 'Followers', value: 'followers', description: 'Accounts following the person' },
			{ name: 'Following', value: 'following', description: 'Accounts the person follows' },
			{
				name: 'Followers and Following',
				value: 'followers,following',
				description: 'Both lists in one job (one request, one charge)',
			},
		],
		default: 'followers',
		displayOptions: show,
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		placeholder: 'janedoe',
		description: 'X/Twitter handle (leading @ is removed). Required when no Social Media URL is given.',
		displayOptions: show,
	},
	{
		displayName: 'Tweet ID',
		name: 'tweetId',
		type: 'string',
		default: '',
		placeholder: '1234567890123456789',
		description: 'Post whose replies to fetch (10–25 digits). Read from a /status/ URL when empty.',
		displayOptions: { show: { ...show.show, interactionType: ['replies'] } },
	},
	{
		displayName: 'Max Results',
		name: 'maxResults',
		type: 'number',
		typeOptions: { minValue: 10, maxValue: 1000 },
		default: 100,
		description: 'Max number of results to return (10–1000)',
		displayOptions: show,
	},
];

const TWITTER_HOSTS = new Set(['twitter.com', 'x.com', 'mobile.twitter.com', 'mobile.x.com']);
const INSTAGRAM_HOSTS = new Set(['instagram.com', 'm.instagram.com']);
const USERNAME = /^[A-Za-z0-9_.]{1,30}$/;
const TWEET_ID = /^\d{10,25}$/;

function platformOf(url: URL): Platform {
	const host = url.hostname.toLowerCase().replace(/^www\./, '');
	if (TWITTER_HOSTS.has(host)) return 'twitter';
	if (INSTAGRAM_HOSTS.has(host)) return 'instagram';
	throw new FieldError('Social Media URL', `must be an X/Twitter or Instagram URL, not ${url.hostname}`);
}

export const getInteractions: SubmitOperation = {
	value: 'getInteractions',
	kind: 'interactions',
	properties,
	buildBody(read) {
		const urlText = text('Social Media URL', read('socialMediaUrl', ''));
		const type: InteractionType = oneOf('Interaction Type', read('interactionType', 'followers'), INTERACTION_TYPES);
		const username = text('Username', read('username', '')).replace(/^@/, '');
		const maxResults = integerBetween('Max Results', read('maxResults', 100), 10, 1000);

		const url = httpUrl('Social Media URL', urlText);
		const platform: Platform = url ? platformOf(url) : 'twitter';
		if (!url && !username) {
			throw new FieldError('Username', 'is required when no Social Media URL is given');
		}
		if (username && !USERNAME.test(username)) {
			throw new FieldError('Username', 'must be 1–30 letters, digits, underscores or dots');
		}
		if (platform === 'instagram' && type === 'replies') {
			throw new FieldError(
				'Interaction Type',
				'Replies are only available on X/Twitter; Instagram supports Followers, Following, or both',
			);
		}
		const body: Record<string, unknown> = { type };
		if (url) body.social_media_url = urlText;
		if (username) body.username = username;
		if (type === 'replies') {
			const tweetIdText = text('Tweet ID', read('tweetId', ''));
			const fromUrl = url ? /\/status(?:es)?\/(\d+)/.exec(url.pathname)?.[1] : undefined;
			const tweetId = tweetIdText || fromUrl;
			if (!tweetId) {
				throw new FieldError('Tweet ID', 'is required for Replies: enter it or use a post URL containing /status/<id>');
			}
			if (!TWEET_ID.test(tweetId)) {
				throw new FieldError(tweetIdText ? 'Tweet ID' : 'Social Media URL', 'a tweet ID must be 10–25 digits');
			}
			body.tweet_id = tweetId;
		}
		body.max_results = maxResults;
		return body;
	},
};

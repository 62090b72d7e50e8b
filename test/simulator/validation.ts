/**
 * Request-body validation and normalisation for the three submit endpoints, following the Nyne docs
 * (see /work/shared/nyne-api). Returns either a normalised request or a documented 400 error code.
 */
import type { JobKind } from './types';

export type InteractionType = 'replies' | 'followers' | 'following' | 'followers,following';
export type Platform = 'twitter' | 'instagram';

export interface ValidationError {
	ok: false;
	code: string;
	message: string;
}

export interface InterestsRequest {
	kind: 'interests';
	email?: string;
	phone?: string;
	social_media_url?: string;
	name?: string;
	company?: string;
	callback_url?: string;
}

export interface InteractionsRequest {
	kind: 'interactions';
	interaction_type: InteractionType;
	platform: Platform;
	social_media_url?: string;
	username?: string;
	tweet_id?: string;
	max_results: number;
	/** Host used for generated profile URLs (x.com, twitter.com, instagram.com). */
	profile_host: string;
	callback_url?: string;
}

export interface LeadsRequest {
	kind: 'leads';
	search_description: string;
	callback_url?: string;
}

export type NormalisedRequest = InterestsRequest | InteractionsRequest | LeadsRequest;

export type ValidationResult = { ok: true; request: NormalisedRequest } | ValidationError;

export interface ValidationContext {
	callbackAllowList?: string[];
}

const fail = (code: string, message: string): ValidationError => ({ ok: false, code, message });

export const MARKER_PATTERN =
	/\[(fail|empty|never|slow|instant|http500|http503|n=\d+|latency=\d+)\]/gi;

/** Strip magic markers (and the whitespace they leave behind) from a string. */
export function stripMarkers(value: string): string {
	return value
		.replace(MARKER_PATTERN, '')
		.replace(/\s{2,}/g, ' ')
		.trim();
}

/** Markers found anywhere in any string value of the body (percent-decoded too). */
export interface Markers {
	fail: boolean;
	empty: boolean;
	never: boolean;
	slow: boolean;
	instant: boolean;
	http500: boolean;
	http503: boolean;
	count?: number;
	latencyMs?: number;
}

export function findMarkers(body: unknown): Markers {
	const markers: Markers = {
		fail: false,
		empty: false,
		never: false,
		slow: false,
		instant: false,
		http500: false,
		http503: false,
	};
	const visit = (value: unknown): void => {
		if (typeof value === 'string') {
			let text = value;
			try {
				text += ' ' + decodeURIComponent(value);
			} catch {
				/* not percent-encoded */
			}
			for (const match of text.matchAll(MARKER_PATTERN)) {
				const token = match[1].toLowerCase();
				if (token.startsWith('n=')) markers.count = Number(token.slice(2));
				else if (token.startsWith('latency=')) markers.latencyMs = Number(token.slice(8));
				else (markers as unknown as Record<string, boolean>)[token] = true;
			}
		} else if (Array.isArray(value)) value.forEach(visit);
		else if (value && typeof value === 'object') Object.values(value).forEach(visit);
	};
	visit(body);
	return markers;
}

type FieldResult = { value?: string } | ValidationError;

/** Optional string field: absent, null and blank strings count as "not given". */
function optionalString(
	body: Record<string, unknown>,
	field: string,
	...aliases: string[]
): FieldResult {
	for (const name of [field, ...aliases]) {
		const raw = body[name];
		if (raw === undefined || raw === null) continue;
		if (typeof raw === 'number' && (field === 'phone' || field === 'tweet_id'))
			return { value: String(raw) };
		if (typeof raw !== 'string') return fail('invalid_parameters', `${name} must be a string`);
		const trimmed = raw.trim();
		if (trimmed !== '') return { value: trimmed };
	}
	return {};
}

const isError = (r: unknown): r is ValidationError =>
	!!r && typeof r === 'object' && (r as ValidationError).ok === false;

function parseHttpUrl(value: string, allowMissingScheme: boolean): URL | undefined {
	let candidate = value;
	const hasScheme = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(candidate);
	if (hasScheme && !/^https?:\/\//i.test(candidate)) return undefined;
	if (allowMissingScheme && !hasScheme) candidate = `https://${candidate}`;
	try {
		const url = new URL(candidate);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
		if (!url.hostname) return undefined;
		return url;
	} catch {
		return undefined;
	}
}

function validateCallback(body: Record<string, unknown>, ctx: ValidationContext): FieldResult {
	const cb = optionalString(body, 'callback_url');
	if (isError(cb))
		return fail('invalid_callback_url', 'callback_url must be a valid HTTP or HTTPS URL');
	if (cb.value === undefined) return cb;
	const url = parseHttpUrl(cb.value, false);
	if (!url) return fail('invalid_callback_url', 'callback_url must be a valid HTTP or HTTPS URL');
	if (ctx.callbackAllowList && ctx.callbackAllowList.length > 0) {
		const allowed = ctx.callbackAllowList.map((h) => h.toLowerCase());
		if (
			!allowed.includes(url.hostname.toLowerCase()) &&
			!allowed.includes(url.host.toLowerCase())
		) {
			return fail(
				'invalid_callback_url',
				`callback_url host ${url.host} is not on the callback allow-list`,
			);
		}
	}
	return cb;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function validateInterests(
	body: Record<string, unknown>,
	ctx: ValidationContext,
): ValidationResult {
	const email = optionalString(body, 'email');
	const phone = optionalString(body, 'phone');
	const url = optionalString(body, 'social_media_url');
	const name = optionalString(body, 'name');
	const company = optionalString(body, 'company');
	for (const r of [email, phone, url, name, company]) if (isError(r)) return r;
	const e = email as { value?: string };
	const p = phone as { value?: string };
	const u = url as { value?: string };
	const n = name as { value?: string };
	const c = company as { value?: string };
	if (!e.value && !p.value && !u.value && !n.value) {
		return fail(
			'missing_parameters',
			'At least one of email, phone, social_media_url or name is required',
		);
	}
	if (e.value !== undefined && !EMAIL.test(e.value))
		return fail('invalid_email', 'email is not a valid email address');
	if (u.value !== undefined && !parseHttpUrl(u.value, true)) {
		return fail('invalid_url', 'social_media_url is not a valid URL');
	}
	const cb = validateCallback(body, ctx);
	if (isError(cb)) return cb;
	const request: InterestsRequest = { kind: 'interests' };
	if (e.value !== undefined) request.email = e.value.toLowerCase();
	if (p.value !== undefined) request.phone = p.value;
	if (u.value !== undefined) request.social_media_url = u.value;
	if (n.value !== undefined) request.name = n.value;
	if (c.value !== undefined) request.company = c.value;
	if (cb.value !== undefined) request.callback_url = cb.value;
	return { ok: true, request };
}

// Mobile hosts (mobile.twitter.com, mobile.x.com, m.instagram.com) are refused: seen from the real Nyne (issue 10), not documented.
const TWITTER_HOSTS = new Set(['twitter.com', 'www.twitter.com', 'x.com', 'www.x.com']);
const INSTAGRAM_HOSTS = new Set(['instagram.com', 'www.instagram.com']);
const RESERVED_SEGMENTS = new Set([
	'i',
	'home',
	'intent',
	'share',
	'search',
	'explore',
	'p',
	'reel',
	'reels',
	'stories',
	'tv',
	'hashtag',
]);
const TWEET_ID = /^\d{10,25}$/;

function normaliseType(raw: string): InteractionType | undefined {
	const parts = [
		...new Set(
			raw
				.toLowerCase()
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean),
		),
	];
	if (parts.length === 1 && ['replies', 'followers', 'following'].includes(parts[0]))
		return parts[0] as InteractionType;
	if (parts.length === 2 && parts.includes('followers') && parts.includes('following'))
		return 'followers,following';
	return undefined;
}

function validateInteractions(
	body: Record<string, unknown>,
	ctx: ValidationContext,
): ValidationResult {
	const typeField = optionalString(body, 'type', 'interaction_type');
	const urlField = optionalString(body, 'social_media_url', 'twitter_url');
	const userField = optionalString(body, 'username');
	const tweetField = optionalString(body, 'tweet_id');
	const platformField = optionalString(body, 'platform');
	for (const r of [typeField, urlField, userField, tweetField, platformField])
		if (isError(r)) return r;
	const rawType = (typeField as { value?: string }).value;
	const rawUrl = (urlField as { value?: string }).value;
	let username = (userField as { value?: string }).value?.replace(/^@+/, '') || undefined;
	let tweetId = (tweetField as { value?: string }).value;
	const platformHint = (platformField as { value?: string }).value?.toLowerCase();

	if (!rawType)
		return fail(
			'missing_parameters',
			'type is required (replies, followers, following or followers,following)',
		);
	if (!rawUrl && !username && !tweetId) {
		return fail('missing_parameters', 'social_media_url is required (or username / tweet_id)');
	}
	const interactionType = normaliseType(rawType);
	if (!interactionType) {
		return fail(
			'invalid_interaction_type',
			`Unsupported interaction type "${rawType}". Valid types: replies, followers, following, followers,following`,
		);
	}

	let platform: Platform = 'twitter';
	let profileHost = 'x.com';
	if (rawUrl) {
		const url = parseHttpUrl(rawUrl, true);
		const host = url?.hostname.toLowerCase() ?? '';
		if (!url || (!TWITTER_HOSTS.has(host) && !INSTAGRAM_HOSTS.has(host))) {
			return fail(
				'invalid_url',
				'social_media_url is not a valid URL or is from an unsupported platform. Supported: Twitter/X, Instagram',
			);
		}
		platform = TWITTER_HOSTS.has(host) ? 'twitter' : 'instagram';
		profileHost = platform === 'twitter' ? host.replace(/^www\./, '') : 'instagram.com';
		const segments = url.pathname.split('/').filter(Boolean);
		if (segments.length > 0 && !RESERVED_SEGMENTS.has(segments[0].toLowerCase())) {
			username = segments[0].replace(/^@+/, '');
		}
		if (platform === 'twitter') {
			const statusIndex = segments.findIndex((s) => s === 'status' || s === 'statuses');
			if (statusIndex >= 0) {
				const id = segments[statusIndex + 1] ?? '';
				if (!TWEET_ID.test(id))
					return fail(
						'invalid_url',
						'The /status/ URL does not contain a valid tweet id (10-25 digits)',
					);
				tweetId = tweetId ?? id;
			}
		}
	} else if (platformHint === 'instagram') {
		platform = 'instagram';
		profileHost = 'instagram.com';
	} else if (platformHint !== undefined && !['twitter', 'x'].includes(platformHint)) {
		return fail(
			'invalid_url',
			`Unsupported platform "${platformHint}". Supported: Twitter/X, Instagram`,
		);
	}

	if (platform === 'instagram' && interactionType === 'replies') {
		return fail(
			'invalid_interaction_type',
			'Instagram supports followers, following and followers,following; replies are only available on Twitter/X',
		);
	}
	if (interactionType === 'replies') {
		if (!tweetId)
			return fail('missing_parameters', 'tweet_id (or a /status/ URL) is required for replies');
		if (!TWEET_ID.test(tweetId)) return fail('invalid_parameters', 'tweet_id must be 10-25 digits');
	} else if (!username) {
		return fail(
			'missing_parameters',
			'username (or a profile URL) is required for follower/following lookups',
		);
	}

	let maxResults = 100;
	const rawMax = body.max_results;
	if (rawMax !== undefined && rawMax !== null && rawMax !== '') {
		const n =
			typeof rawMax === 'number'
				? rawMax
				: typeof rawMax === 'string' && /^\s*-?\d+\s*$/.test(rawMax)
					? Number(rawMax)
					: NaN;
		if (!Number.isFinite(n) || !Number.isInteger(n))
			return fail('invalid_parameters', 'max_results must be an integer');
		maxResults = Math.min(1000, Math.max(10, n));
	}

	const cb = validateCallback(body, ctx);
	if (isError(cb)) return cb;

	const request: InteractionsRequest = {
		kind: 'interactions',
		interaction_type: interactionType,
		platform,
		max_results: maxResults,
		profile_host: profileHost,
	};
	if (rawUrl) request.social_media_url = rawUrl;
	if (username) request.username = username;
	if (interactionType === 'replies' && tweetId) request.tweet_id = tweetId;
	if (cb.value !== undefined) request.callback_url = cb.value;
	return { ok: true, request };
}

function validateLeads(body: Record<string, unknown>, ctx: ValidationContext): ValidationResult {
	const raw = body.search_description;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		return fail('missing_parameters', 'search_description parameter is required');
	}
	if (typeof raw !== 'string')
		return fail(
			'invalid_search_description',
			'search_description must be a string of 10-2000 characters',
		);
	const description = raw.trim();
	// Guess: Nyne's "characters" are Unicode code points (as Python's len() counts), so 🚀 is one.
	const length = [...description].length;
	if (length < 10 || length > 2000) {
		return fail('invalid_search_description', 'search_description must be 10-2000 characters');
	}
	const cb = validateCallback(body, ctx);
	if (isError(cb)) return cb;
	const request: LeadsRequest = { kind: 'leads', search_description: description };
	if (cb.value !== undefined) request.callback_url = cb.value;
	return { ok: true, request };
}

export function validateSubmit(
	kind: JobKind,
	body: Record<string, unknown>,
	ctx: ValidationContext = {},
): ValidationResult {
	switch (kind) {
		case 'interests':
			return validateInterests(body, ctx);
		case 'interactions':
			return validateInteractions(body, ctx);
		case 'leads':
			return validateLeads(body, ctx);
	}
}

/**
 * What Nyne's API documents, in one place: its address, the job kinds and their endpoints, the answer
 * envelopes, error codes, status names, request-id formats, field bounds, rate-limit and quota headers.
 * The documents are incomplete, so every reader here accepts the spellings Nyne is likely to use, not
 * only the one a page shows (see test/simulator/README.md for which is documented and which is a guess).
 * Plain TypeScript: the engine, the node, the trigger and the credential test all read Nyne through it.
 */

/** Nyne's own API address: the credential's default Base URL. */
export const NYNE_BASE_URL = 'https://api.nyne.ai';

export type JobKind = 'interests' | 'interactions' | 'leads';

export const JOB_KINDS: readonly JobKind[] = ['interests', 'interactions', 'leads'];

/** The endpoint of each job kind; POST submits, GET `?request_id=` polls. */
export const JOB_PATHS: Record<JobKind, string> = {
	interests: '/person/interests',
	interactions: '/person/interactions',
	leads: '/person/leads',
};

/** Nyne's `data` object for a job: the 202 answer of a submit, a status answer, a callback's body. */
export type JobData = Record<string, unknown>;

export type HeaderValue = string | string[] | number | undefined;

/**
 * Bounds of the fields Nyne validates, as its pages state them: the node checks them before sending, so
 * a bad item costs nothing. Lengths count Unicode code points.
 */
export const FIELD_BOUNDS = {
	searchDescription: { min: 10, max: 2000 },
	maxResults: { min: 10, max: 1000, default: 100 },
	/** Name and Company: what Nyne can store. */
	personText: { min: 1, max: 200 },
	phoneDigits: { min: 7, max: 15 },
	/** An X/Instagram handle: letters, digits, underscores or dots. */
	username: { min: 1, max: 30 },
	/** A tweet ID: digits only, kept as text (they exceed 2^53). */
	tweetIdDigits: { min: 10, max: 25 },
	/** Any request id Nyne returns: letters, digits, underscores or dashes. */
	requestId: { min: 8, max: 200 },
} as const;

const { username, tweetIdDigits, requestId } = FIELD_BOUNDS;
export const USERNAME = new RegExp(`^[A-Za-z0-9_.]{${username.min},${username.max}}$`);
export const TWEET_ID = new RegExp(`^\\d{${tweetIdDigits.min},${tweetIdDigits.max}}$`);
export const REQUEST_ID = new RegExp(`^[A-Za-z0-9_-]{${requestId.min},${requestId.max}}$`);

/** Request-id formats Nyne documents per kind: a clue to a job's kind when nothing else says. */
export const REQUEST_ID_FORMATS: Record<JobKind, RegExp> = {
	interests: /^[0-9a-f]{32}_\d+_\d+$/i,
	interactions: /^interaction_/,
	leads: /^[0-9a-f]{64}$/i,
};

/** Sections of an interests result as Nyne documents them; any one of them marks a body as an interests job. */
export const INTEREST_SECTIONS = [
	'core_profile',
	'location_intelligence',
	'cultural_dna',
	'psychographics',
	'interest_graph',
	'brand_affinities',
	'professional_ecosystem',
	'social_graph_clusters',
];

/** Where Nyne's pages put a job's result: `result` (polls, interests), `data` (interactions), `results` (leads). */
export const RESULT_FIELDS = ['result', 'data', 'results'] as const;

/**
 * Nyne's documented rate limits per key. The pacer assumes them until the rate-limit headers describe
 * the active window; the hourly one also caps what it plans for, as the headers show only one window.
 */
export const DOCUMENTED_RATE_LIMITS = {
	perMinute: { limit: 60, windowMs: 60_000 },
	perHour: { limit: 1000, windowMs: 3_600_000 },
} as const;

/** Nyne's 404 codes for a status request whose id it does not have (the pages use both spellings). */
export const UNKNOWN_ID_CODES: ReadonlySet<string> = new Set(['request_not_found', 'not_found']);

/** The code Nyne's interests page documents for an unknown id: the credential test's proof of Nyne. */
export const UNKNOWN_ID_CODE = 'request_not_found';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

/** The `data` of Nyne's `{ success, data, timestamp }` envelope, when it is an object. */
export function envelopeData(body: unknown): JobData | undefined {
	return asRecord(asRecord(body)?.data);
}

/** Nyne's error code and message from an error body, whichever of the usual shapes it uses. */
export function nyneErrorOf(body: unknown): { code?: string; message?: string } {
	const record = asRecord(body);
	if (!record) return typeof body === 'string' && body ? { message: body.slice(0, 300) } : {};
	const error = record.error;
	const nested = asRecord(error);
	if (nested) {
		return {
			code: typeof nested.code === 'string' ? nested.code : undefined,
			message: typeof nested.message === 'string' ? nested.message : undefined,
		};
	}
	return {
		code:
			typeof record.code === 'string' ? record.code : typeof error === 'string' ? error : undefined,
		message: typeof record.message === 'string' ? record.message : undefined,
	};
}

/**
 * Where a job stands by its status answer. `completed: true` wins over the status text; `failed`, or
 * `completed: false` with an `error`, is failed. Anything else (queued, processing, pending, analyzing,
 * searching, aggregating, and any status not documented) is still running.
 */
export function jobState(data: JobData): 'completed' | 'failed' | 'running' {
	if (data.completed === true) return 'completed';
	const status = typeof data.status === 'string' ? data.status.trim().toLowerCase() : '';
	if (status === 'completed' || status === 'complete') return 'completed';
	if (status === 'failed') return 'failed';
	if (
		data.completed === false &&
		data.error !== undefined &&
		data.error !== null &&
		data.error !== ''
	)
		return 'failed';
	return 'running';
}

/** A header by name in any case; the first of a repeated one. */
function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
	const raw = key === undefined ? undefined : headers[key];
	const value = Array.isArray(raw) ? raw[0] : raw;
	return value === undefined || value === '' ? undefined : String(value);
}

function headerNumber(headers: Record<string, HeaderValue>, name: string): number | undefined {
	const value = headerValue(headers, name);
	const parsed = value === undefined ? NaN : Number(value);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/** What an answer's rate-limit headers say (`RateLimit-*` or `X-RateLimit-*`, and `Retry-After`). */
export interface RateLimitHeaders {
	limit?: number;
	remaining?: number;
	/** Seconds until the active window resets. */
	resetInSeconds?: number;
	retryAfterSeconds?: number;
}

export function rateLimitHeaders(
	headers: Record<string, HeaderValue>,
	nowMs: number,
): RateLimitHeaders {
	let resetInSeconds = headerNumber(headers, 'ratelimit-reset');
	if (resetInSeconds === undefined) {
		// X-RateLimit-Reset is an epoch time in seconds.
		const resetEpoch = headerNumber(headers, 'x-ratelimit-reset');
		if (resetEpoch !== undefined) resetInSeconds = Math.max(0, resetEpoch - nowMs / 1000);
	}
	return {
		limit: headerNumber(headers, 'ratelimit-limit') ?? headerNumber(headers, 'x-ratelimit-limit'),
		remaining:
			headerNumber(headers, 'ratelimit-remaining') ??
			headerNumber(headers, 'x-ratelimit-remaining'),
		resetInSeconds,
		retryAfterSeconds: headerNumber(headers, 'retry-after'),
	};
}

/** A 429 for the monthly quota (its code, or the quota headers saying nothing is left), not the rate windows. */
export function isMonthlyQuota(answer: {
	statusCode: number;
	headers: Record<string, HeaderValue>;
	body: unknown;
}): boolean {
	if (answer.statusCode !== 429) return false;
	const { code } = nyneErrorOf(answer.body);
	if (code && /monthly|quota/i.test(code)) return true;
	return headerValue(answer.headers, 'x-quota-remaining') === '0';
}

/** The monthly quota as the `X-Quota-*` headers state it; `resetsAt` in ms since the epoch. */
export function quotaHeaders(headers: Record<string, HeaderValue>): {
	limit?: string;
	used?: string;
	resetsAt?: number;
} {
	const resetEpoch = Number(headerValue(headers, 'x-quota-reset'));
	return {
		limit: headerValue(headers, 'x-quota-limit'),
		used: headerValue(headers, 'x-quota-used'),
		resetsAt: Number.isFinite(resetEpoch) && resetEpoch > 0 ? resetEpoch * 1000 : undefined,
	};
}

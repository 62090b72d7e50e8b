/** Public types of the Nyne API simulator. See README.md in this folder for the semantics. */

export type JobKind = 'interests' | 'interactions' | 'leads';

export type JobOutcome = 'completed' | 'failed' | 'empty' | 'never';

/** Everything that ends in "Ms" is nominal API time and is multiplied by `timeScale`, unless stated otherwise. */
export interface SimulatorOptions {
	/** Port to bind (default 0 = random free port). Host is always 127.0.0.1 unless `host` is given. */
	port?: number;
	host?: string;
	/** API keys the simulator accepts. Default: one key `sim-key` / `sim-secret` with 10 000 credits. */
	keys?: KeyConfig[];
	/** Multiplies every nominal duration (job latency, rate-limit windows, job TTL, quota cycle). Default 1. */
	timeScale?: number;
	/** Overrides `timeScale` for the rate-limit windows and the quota cycle only (e.g. fast jobs, real minute windows). */
	rateWindowScale?: number;
	/** Multiplies the callback retry delays and the callback per-attempt timeout. Default 1. */
	callbackScale?: number;
	/** Nominal job latency range [min, max] in ms per kind; the actual value is picked deterministically from the input. */
	latencyMs?: Partial<Record<JobKind, [number, number]>>;
	/** Default rate limits for keys that do not override them. Default 60 / minute, 1000 / hour. */
	rateLimit?: { perMinute?: number; perHour?: number };
	/** Nominal time-to-live of a job (from creation); after it the id answers 404. Default: never expires. */
	jobTtlMs?: number;
	/** Seed for request ids, results and fault dice. Default 'nyne-sim'. */
	seed?: string | number;
	/** Per-job scenario hook; wins over magic markers. */
	behaviour?: (job: BehaviourInput) => BehaviourOverride | undefined | void;
	/** Initial fault injection (see `setFaults`). */
	faults?: Faults;
	/** When set, callback_url hosts (hostname or hostname:port) must be in this list, otherwise 400 invalid_callback_url. */
	callbackAllowList?: string[];
	/** Nominal per-attempt callback timeout (default 30 000), scaled by `callbackScale`. */
	callbackTimeoutMs?: number;
	/** Nominal delays before each callback retry (default [1000, 5000, 15000, 60000, 300000]), scaled by `callbackScale`. */
	callbackRetryDelaysMs?: number[];
	/** Upper bound of the deterministic lead count 0..N (default 20). */
	leadsMaxResults?: number;
	/** `[slow]` multiplies the job's latency by this (default 10). */
	slowFactor?: number;
	/** Also require a positive balance on GET polls (default false: polling is free and always allowed). */
	creditCheckOnPoll?: boolean;
	/**
	 * Status text of a finished job in GET answers (default `completed`). Any other value models a Nyne
	 * that says `done` or `complete`: the answer then carries `completed: true` for every kind.
	 */
	completedStatusText?: string;
	/** Error code of a 404 on GET /person/leads (its docs say `not_found`; the other endpoints say `request_not_found`). */
	leadsNotFoundCode?: string;
	/** Serve the /__sim/* admin endpoints (default true). */
	admin?: boolean;
	/** Receives one human-readable line per notable event (callback attempts, restarts). Default: silent. */
	logger?: (line: string) => void;
	/** Clock (ms since epoch) for rate-limit windows, TTL, phases and timestamps. Default Date.now. Timers stay real. */
	now?: () => number;
}

export interface KeyConfig {
	key: string;
	secret: string;
	/** Credit balance (default 10 000). A positive balance is required to submit. */
	credits?: number;
	perMinute?: number;
	perHour?: number;
	/** Requests per billing cycle (nominal 30 days from the key's first request). Default: unlimited. */
	monthlyQuota?: number;
	/** Whether a `monthly_limit_exceeded` 429 carries `Retry-After` (seconds to the cycle's reset). Default true. */
	monthlyQuotaRetryAfter?: boolean;
	/** true → 403 subscription_required on every endpoint; an array → only on those kinds. */
	subscriptionRequired?: boolean | JobKind[];
	/** 403 no_active_subscription. */
	noActiveSubscription?: boolean;
	/** 401 api_key_expired. */
	expired?: boolean;
	/** When set, requests from other IPs get 403 ip_not_allowed (IPv4-mapped IPv6 is normalised). */
	allowedIps?: string[];
}

export interface BehaviourInput {
	kind: JobKind;
	/** Normalised body (aliases applied, empty strings dropped). */
	body: Record<string, unknown>;
	/** The raw JSON body as received. */
	rawBody: Record<string, unknown>;
	key: string;
	requestId: string;
}

export interface BehaviourOverride {
	/** REAL milliseconds until the job finishes (not scaled). */
	latencyMs?: number;
	outcome?: JobOutcome;
	/** Error message of a failed job. */
	error?: string;
	/** Force the result size (interactions entries / leads results; interests: 0 = empty). */
	resultCount?: number;
}

export type FaultTarget = 'submit' | 'poll' | 'both';

export interface Faults {
	/** Probability [0..1] that a request is answered 503 service_unavailable (before auth; no rate headers). */
	error503Rate?: number;
	/** Probability that a request is answered 500 internal_error (before auth). */
	error500Rate?: number;
	/** Probability that a request (after auth and the real rate check) is answered a spurious 429 rate_limit_exceeded. */
	spurious429Rate?: number;
	/** Retry-After (seconds) sent with spurious 429s. Default 1. */
	spurious429RetryAfter?: number;
	/** Which requests the 503/500/429 dice apply to. Default 'both'. */
	applyTo?: FaultTarget;
	/** All requests get 503 while true. */
	unavailable?: boolean;
	/** REAL milliseconds of delay before every API response. */
	responseDelayMs?: number;
	/** Probability that a GET poll has its TCP connection destroyed without a response. */
	pollResetRate?: number;
	/**
	 * Probability that a submit is accepted (the job is created, runs and is charged) but its TCP connection
	 * is destroyed instead of the 202 answer: the client sent everything and learns nothing.
	 */
	submitResetRate?: number;
	/** Probability that a newly submitted job never finishes (outcome 'never'). */
	neverFinishRate?: number;
	/** Probability that a newly submitted job fails. */
	failRate?: number;
}

export type RequestOp = 'submit' | 'poll' | 'other';

export interface RequestLogEntry {
	seq: number;
	/** ms since epoch (simulator clock) when the request arrived. */
	time: number;
	method: string;
	path: string;
	kind?: JobKind;
	op: RequestOp;
	/** HTTP status sent; 0 when the connection was reset by a fault. */
	status: number;
	errorCode?: string;
	key?: string;
	requestId?: string;
	/** Job status reported by a 200 poll / 202 submit. */
	jobStatus?: string;
	/** Set on submits whose (key, kind, normalised body) was already accepted before. */
	duplicate?: boolean;
}

export interface Counters {
	requests: number;
	/** POSTs to the three endpoints, whatever their outcome. */
	submits: number;
	/** 202s. */
	accepted: number;
	/** GETs to the three endpoints, whatever their outcome. */
	polls: number;
	status429: number;
	status503: number;
	status500: number;
	connectionResets: number;
	/** Accepted submissions whose key + kind + normalised body had already been accepted before. */
	duplicateSubmissions: number;
	byStatus: Record<string, number>;
	byErrorCode: Record<string, number>;
}

export interface ChargeEntry {
	time: number;
	key: string;
	requestId: string;
	kind: JobKind;
	credits: number;
	balanceAfter: number;
}

export interface CallbackAttempt {
	requestId: string;
	url: string;
	/** 1 = first delivery, 2..6 = retries. */
	attempt: number;
	/** Real ms waited before this attempt (0 for the first). */
	delayMs: number;
	startedAt: number;
	finishedAt?: number;
	statusCode?: number;
	error?: string;
	ok?: boolean;
}

export type CallbackState = 'pending' | 'delivered' | 'gave_up' | 'cancelled';

export interface CallbackDelivery {
	requestId: string;
	url: string;
	payload: unknown;
	state: CallbackState;
	attempts: CallbackAttempt[];
}

export type JobStatus =
	| 'queued'
	| 'processing'
	| 'pending'
	| 'analyzing'
	| 'searching'
	| 'aggregating'
	| 'completed'
	| 'failed';

export interface JobSnapshot {
	requestId: string;
	kind: JobKind;
	key: string;
	status: JobStatus;
	outcome: JobOutcome;
	body: Record<string, unknown>;
	createdAt: number;
	/** Simulator-clock time the job is due to finish (Infinity for 'never'). */
	dueAt: number;
	finishedAt?: number;
	resultCount?: number;
	creditsCharged: number;
	expired: boolean;
	callbackUrl?: string;
	/** Simulator-clock time a GET first answered the job's final status (completed or failed): the client has it. */
	collectedAt?: number;
}

/**
 * The Nyne Person API simulator: a real node:http server that models the three asynchronous endpoints
 * (/person/interests, /person/interactions, /person/leads) as documented in /work/shared/nyne-api.
 * See README.md in this folder for the behaviour and the decisions taken where the docs are silent.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
	CallbackDispatcher,
	DEFAULT_CALLBACK_DELAYS_MS,
	DEFAULT_CALLBACK_TIMEOUT_MS,
} from './callbacks';
import {
	generateInteractions,
	generateInterests,
	generateLeads,
	interactionsIdentity,
	interestsIdentity,
	leadsIdentity,
} from './generate';
import { checkRateLimit, type KeyRateState } from './ratelimit';
import { Rng, canonicalJson, sha256Hex } from './rng';
import type {
	BehaviourOverride,
	CallbackDelivery,
	ChargeEntry,
	Counters,
	Faults,
	JobKind,
	JobOutcome,
	JobSnapshot,
	JobStatus,
	KeyConfig,
	RequestLogEntry,
	RequestOp,
	SimulatorOptions,
} from './types';
import { findMarkers, validateSubmit, type Markers, type NormalisedRequest } from './validation';

export const DEFAULT_KEY = 'sim-key';
export const DEFAULT_SECRET = 'sim-secret';
export const DEFAULT_CREDITS = 10_000;

/** Credits charged for a completed, non-empty result (per the docs). */
export const CREDIT_COST: Record<JobKind, number> = { interests: 5, interactions: 3, leads: 1 };

export const DEFAULT_LATENCY_MS: Record<JobKind, [number, number]> = {
	interests: [2_000, 6_000],
	interactions: [2_000, 8_000],
	leads: [3_000, 10_000],
};

export const REQUEST_ID_PATTERNS: Record<JobKind, RegExp> = {
	interests: /^[0-9a-f]{32}_\d{10}_\d{4}$/,
	interactions: /^interaction_[0-9a-f]{16}_\d{10}_\d{4}$/,
	leads: /^[0-9a-f]{64}$/,
};

/** Running statuses and the fraction of the job's latency at which each one starts. */
export const STATUS_PHASES: Record<JobKind, Array<[JobStatus, number]>> = {
	interests: [
		['queued', 0],
		['processing', 0.25],
		['pending', 0.75],
	],
	interactions: [
		['processing', 0],
		['pending', 0.7],
	],
	leads: [
		['pending', 0],
		['analyzing', 0.2],
		['searching', 0.45],
		['aggregating', 0.8],
	],
};

/** Status returned by the 202 of each endpoint (as in the docs' examples). */
export const SUBMIT_STATUS: Record<JobKind, JobStatus | 'queued'> = {
	interests: 'queued',
	interactions: 'processing',
	leads: 'queued',
};

const PATHS: Record<string, JobKind> = {
	'/person/interests': 'interests',
	'/person/interactions': 'interactions',
	'/person/leads': 'leads',
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const CYCLE_MS = 30 * 24 * HOUR_MS;
const MAX_BODY_BYTES = 1_000_000;

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Leads' created_on / completed_on are naive UTC timestamps in the docs ("2026-01-14T15:30:00"). */
const naiveSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');

interface KeyState {
	config: KeyConfig;
	credits: number;
	rate: KeyRateState;
}

interface Job {
	requestId: string;
	kind: JobKind;
	key: string;
	request: NormalisedRequest;
	createdAt: number;
	dueAt: number;
	latencyRealMs: number;
	outcome: JobOutcome;
	error?: string;
	forcedCount?: number;
	seed: string;
	status?: 'completed' | 'failed';
	finishedAt?: number;
	result?: Record<string, unknown>;
	results?: Record<string, unknown>[];
	resultCount?: number;
	creditsCharged: number;
	expired: boolean;
	collectedAt?: number;
	timer?: NodeJS.Timeout;
	waiters: Array<() => void>;
}

interface RequestContext {
	entry: RequestLogEntry;
	headers: Record<string, string>;
}

class HttpError {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly message: string,
		readonly headers: Record<string, string> = {},
	) {}
}

function emptyCounters(): Counters {
	return {
		requests: 0,
		submits: 0,
		accepted: 0,
		polls: 0,
		status429: 0,
		status503: 0,
		status500: 0,
		connectionResets: 0,
		duplicateSubmissions: 0,
		byStatus: {},
		byErrorCode: {},
	};
}

function normaliseIp(ip: string | undefined): string {
	if (!ip) return '';
	return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export class NyneSimulator {
	readonly host: string;
	private _port: number;
	private server?: http.Server;
	private readonly sockets = new Set<Socket>();
	private readonly keys = new Map<string, KeyState>();
	private readonly jobs = new Map<string, Job>();
	private log: RequestLogEntry[] = [];
	private counters: Counters = emptyCounters();
	private readonly fingerprints = new Map<string, number>();
	private readonly charges: ChargeEntry[] = [];
	private faults: Faults;
	private readonly faultRng: Rng;
	private readonly seed: string;
	private readonly timeScale: number;
	private readonly rateWindowScale: number;
	private readonly now: () => number;
	private readonly callbacks: CallbackDispatcher;
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly sleepers = new Set<() => void>();
	private idCounter = 0;
	private seq = 0;
	private stopped = false;
	private restarting?: Promise<void>;

	constructor(private readonly options: SimulatorOptions = {}) {
		this.host = options.host ?? '127.0.0.1';
		this._port = options.port ?? 0;
		this.timeScale = options.timeScale ?? 1;
		this.rateWindowScale = options.rateWindowScale ?? this.timeScale;
		this.seed = String(options.seed ?? 'nyne-sim');
		this.now = options.now ?? Date.now;
		this.faults = { ...(options.faults ?? {}) };
		this.faultRng = new Rng(`${this.seed}|faults`);
		for (const config of options.keys ?? [{ key: DEFAULT_KEY, secret: DEFAULT_SECRET }])
			this.addKey(config);
		this.callbacks = new CallbackDispatcher({
			scale: options.callbackScale ?? 1,
			timeoutMs: options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
			delaysMs: options.callbackRetryDelaysMs ?? DEFAULT_CALLBACK_DELAYS_MS,
			logger: options.logger,
			now: this.now,
		});
	}

	// ---------------------------------------------------------------- lifecycle

	get port(): number {
		return this._port;
	}

	/** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
	get url(): string {
		return `http://${this.host}:${this._port}`;
	}

	async start(): Promise<this> {
		await this.listen(this._port);
		return this;
	}

	/** Closes the server, drops open connections, cancels job timers, pending callbacks and retries. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const wake of this.sleepers) wake();
		this.sleepers.clear();
		for (const job of this.jobs.values()) {
			if (job.timer) clearTimeout(job.timer);
			job.timer = undefined;
			this.wakeWaiters(job);
		}
		await this.closeServer();
		await this.callbacks.stop();
	}

	/**
	 * Simulates a server restart with persistent storage: closes the listener (in-flight requests are cut),
	 * stays down for `downtimeMs` real ms, then listens again on the SAME port. Jobs, keys, credits, rate-limit
	 * windows and the log survive; running jobs keep running (their worker is not the HTTP process).
	 */
	async restart(options: { downtimeMs?: number } = {}): Promise<void> {
		if (this.stopped) throw new Error('simulator is stopped');
		const run = async (): Promise<void> => {
			this.options.logger?.(`restart: closing ${this.url}`);
			await this.closeServer();
			if (options.downtimeMs) await this.sleep(options.downtimeMs);
			if (this.stopped) return;
			await this.listen(this._port);
			this.options.logger?.(`restart: listening again on ${this.url}`);
		};
		this.restarting = run();
		try {
			await this.restarting;
		} finally {
			this.restarting = undefined;
		}
	}

	private listen(port: number): Promise<void> {
		const server = http.createServer((req, res) => {
			this.handle(req, res).catch((err: unknown) => {
				if (!res.headersSent && !res.destroyed) {
					this.writeJson(res, 500, {
						success: false,
						error: {
							code: 'internal_error',
							message: err instanceof Error ? err.message : String(err),
						},
						timestamp: isoSeconds(this.now()),
					});
				}
			});
		});
		server.keepAliveTimeout = 5_000;
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, this.host, () => {
				server.off('error', reject);
				this._port = (server.address() as AddressInfo).port;
				this.server = server;
				resolve();
			});
		});
	}

	private async closeServer(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}

	private sleep(ms: number): Promise<void> {
		if (this.stopped) return Promise.resolve();
		return new Promise((resolve) => {
			const wake = (): void => {
				clearTimeout(timer);
				this.timers.delete(timer);
				this.sleepers.delete(wake);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			timer.unref();
			this.timers.add(timer);
			this.sleepers.add(wake);
		});
	}

	// ---------------------------------------------------------------- configuration at runtime

	/** Merges into the current faults (pass `undefined` values or use clearFaults() to switch some off). */
	setFaults(faults: Faults): Faults {
		this.faults = { ...this.faults, ...faults };
		return this.getFaults();
	}

	clearFaults(): void {
		this.faults = {};
	}

	getFaults(): Faults {
		return { ...this.faults };
	}

	addKey(config: KeyConfig): void {
		this.keys.set(config.key, {
			config: { ...config },
			credits: config.credits ?? DEFAULT_CREDITS,
			rate: {},
		});
	}

	/** Changes a key's flags / limits at runtime (credits: use setCredits). */
	updateKey(key: string, patch: Partial<Omit<KeyConfig, 'key'>>): void {
		const state = this.requireKey(key);
		state.config = { ...state.config, ...patch };
		if (patch.credits !== undefined) state.credits = patch.credits;
	}

	// ---------------------------------------------------------------- credit ledger

	getCredits(key: string): number {
		return this.requireKey(key).credits;
	}

	setCredits(key: string, credits: number): void {
		this.requireKey(key).credits = credits;
	}

	/** Credits charged for one request id (0 while running, for empty/failed results, and for unknown ids). */
	getCharge(requestId: string): number {
		return this.jobs.get(requestId)?.creditsCharged ?? 0;
	}

	getCharges(key?: string): ChargeEntry[] {
		return this.charges.filter((c) => key === undefined || c.key === key).map((c) => ({ ...c }));
	}

	private requireKey(key: string): KeyState {
		const state = this.keys.get(key);
		if (!state) throw new Error(`unknown simulator key ${key}`);
		return state;
	}

	// ---------------------------------------------------------------- log

	getLog(): RequestLogEntry[] {
		return this.log.map((e) => ({ ...e }));
	}

	getCounters(): Counters {
		return {
			...this.counters,
			byStatus: { ...this.counters.byStatus },
			byErrorCode: { ...this.counters.byErrorCode },
		};
	}

	/** Clears the request log, counters, the duplicate-submission memory and finished callback records. */
	resetLog(): void {
		this.log = [];
		this.counters = emptyCounters();
		this.fingerprints.clear();
		this.callbacks.clear();
	}

	// ---------------------------------------------------------------- jobs

	getJob(requestId: string): JobSnapshot | undefined {
		const job = this.jobs.get(requestId);
		return job ? this.snapshot(job) : undefined;
	}

	listJobs(): JobSnapshot[] {
		return [...this.jobs.values()].map((j) => this.snapshot(j));
	}

	/** Marks a job as expired: every later poll answers 404 request_not_found. Returns false for unknown ids. */
	expire(requestId: string): boolean {
		const job = this.jobs.get(requestId);
		if (!job) return false;
		job.expired = true;
		return true;
	}

	/** Finishes a running job right now with its planned outcome (or the given one). */
	completeNow(requestId: string, outcome?: Exclude<JobOutcome, 'never'>): boolean {
		const job = this.jobs.get(requestId);
		if (!job || job.status) return false;
		if (outcome) job.outcome = outcome;
		if (job.outcome === 'never') job.outcome = 'completed';
		this.finish(job);
		return true;
	}

	/** Resolves when the job has completed or failed (rejects after `timeoutMs` real ms, default 10 s). */
	waitForJob(requestId: string, timeoutMs = 10_000): Promise<JobSnapshot> {
		const job = this.jobs.get(requestId);
		if (!job) return Promise.reject(new Error(`unknown request id ${requestId}`));
		if (job.status) return Promise.resolve(this.snapshot(job));
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				reject(new Error(`job ${requestId} did not finish within ${timeoutMs} ms`));
			}, timeoutMs);
			this.timers.add(timer);
			job.waiters.push(() => {
				clearTimeout(timer);
				this.timers.delete(timer);
				if (job.status) resolve(this.snapshot(job));
				else reject(new Error('simulator stopped'));
			});
		});
	}

	// ---------------------------------------------------------------- callbacks

	getCallbacks(requestId?: string): CallbackDelivery[] {
		return this.callbacks.list(requestId);
	}

	/** Resolves when the job's callback is delivered or given up (waits for the job to finish first). */
	async waitForCallback(requestId: string, timeoutMs = 10_000): Promise<CallbackDelivery> {
		const deadline = Date.now() + timeoutMs;
		const job = this.jobs.get(requestId);
		if (job && !job.status) await this.waitForJob(requestId, timeoutMs);
		const pending = this.callbacks.waitFor(requestId);
		if (!pending) throw new Error(`no callback for ${requestId}`);
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new Error(`callback for ${requestId} not settled in time`)),
				Math.max(1, deadline - Date.now()),
			);
		});
		try {
			return await Promise.race([pending, timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	// ---------------------------------------------------------------- HTTP handling

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const bodyText = await this.readBody(req);

		if (url.pathname.startsWith('/__sim/') && this.options.admin !== false) {
			this.handleAdmin(method, url, bodyText, res);
			return;
		}

		const kind = PATHS[url.pathname.replace(/\/+$/, '')];
		const op: RequestOp = kind
			? method === 'POST'
				? 'submit'
				: method === 'GET'
					? 'poll'
					: 'other'
			: 'other';
		const entry: RequestLogEntry = {
			seq: ++this.seq,
			time: this.now(),
			method,
			path: url.pathname,
			op,
			status: 0,
		};
		if (kind) entry.kind = kind;
		this.log.push(entry);
		this.counters.requests++;
		if (op === 'submit') this.counters.submits++;
		if (op === 'poll') this.counters.polls++;
		const ctx: RequestContext = { entry, headers: {} };

		try {
			if (this.faults.responseDelayMs) await this.sleep(this.faults.responseDelayMs);
			if (res.destroyed || this.stopped) return;
			if (!kind) throw new HttpError(404, 'not_found', `No route for ${url.pathname}`);
			if (op === 'other')
				throw new HttpError(
					405,
					'method_not_allowed',
					`Use POST to submit or GET to poll ${url.pathname}`,
					{ Allow: 'GET, POST' },
				);

			if (op === 'poll' && this.dice(this.faults.pollResetRate)) {
				entry.status = 0;
				entry.errorCode = 'connection_reset';
				this.counters.connectionResets++;
				req.socket.destroy();
				return;
			}
			const faultApplies = (this.faults.applyTo ?? 'both') === 'both' || this.faults.applyTo === op;
			if (this.faults.unavailable || (faultApplies && this.dice(this.faults.error503Rate))) {
				throw new HttpError(
					503,
					'service_unavailable',
					'The API is temporarily unavailable. Please try again later.',
				);
			}
			if (faultApplies && this.dice(this.faults.error500Rate)) {
				throw new HttpError(
					500,
					'internal_error',
					'An unexpected server error occurred. Please try again later.',
				);
			}

			const keyState = this.authenticate(req, url, kind);
			entry.key = keyState.config.key;
			this.authorise(req, keyState, kind);

			const decision = checkRateLimit(keyState.rate, this.limitsFor(keyState), this.now());
			Object.assign(ctx.headers, decision.headers);
			if (!decision.allowed) {
				throw new HttpError(
					429,
					decision.code!,
					decision.code === 'monthly_limit_exceeded'
						? 'Monthly request limit exceeded. Resets at start of billing cycle.'
						: 'Too many requests per minute/hour. Please slow down.',
				);
			}
			if (faultApplies && this.dice(this.faults.spurious429Rate)) {
				throw new HttpError(
					429,
					'rate_limit_exceeded',
					'Too many requests per minute/hour. Please slow down.',
					{
						'Retry-After': String(this.faults.spurious429RetryAfter ?? 1),
					},
				);
			}

			if (op === 'submit') this.submit(kind, bodyText, keyState, ctx, res);
			else this.poll(kind, url, keyState, ctx, res);
		} catch (err) {
			if (!(err instanceof HttpError)) throw err;
			Object.assign(ctx.headers, err.headers);
			this.sendError(res, ctx, err.status, err.code, err.message);
		}
	}

	private readBody(req: http.IncomingMessage): Promise<string> {
		return new Promise((resolve) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= MAX_BODY_BYTES) chunks.push(chunk);
			});
			req.on('end', () =>
				resolve(size > MAX_BODY_BYTES ? '\u0000too-large' : Buffer.concat(chunks).toString('utf8')),
			);
			req.on('error', () => resolve(''));
			req.on('aborted', () => resolve(''));
		});
	}

	private dice(probability: number | undefined): boolean {
		if (!probability || probability <= 0) return false;
		return this.faultRng.next() < probability;
	}

	private authenticate(req: http.IncomingMessage, url: URL, kind: JobKind): KeyState {
		let key = header(req, 'x-api-key');
		let secret = header(req, 'x-api-secret');
		// The leads page documents query-parameter authentication as an alternative (headers recommended).
		if (kind === 'leads' && !key && !secret) {
			key = url.searchParams.get('api_key') ?? undefined;
			secret = url.searchParams.get('api_secret') ?? undefined;
		}
		if (!key || !secret)
			throw new HttpError(
				401,
				'missing_credentials',
				'API key or secret not provided in request headers',
			);
		const state = this.keys.get(key);
		if (!state || state.config.secret !== secret) {
			throw new HttpError(
				401,
				'invalid_credentials',
				'API key or secret is incorrect or does not match',
			);
		}
		if (state.config.expired)
			throw new HttpError(401, 'api_key_expired', 'API key has expired and needs to be renewed');
		return state;
	}

	private authorise(req: http.IncomingMessage, state: KeyState, kind: JobKind): void {
		const { allowedIps, noActiveSubscription, subscriptionRequired } = state.config;
		if (
			allowedIps &&
			!allowedIps.map(normaliseIp).includes(normaliseIp(req.socket.remoteAddress))
		) {
			throw new HttpError(
				403,
				'ip_not_allowed',
				"Request IP address is not in this key's Allowed IPs list",
			);
		}
		if (noActiveSubscription)
			throw new HttpError(
				403,
				'no_active_subscription',
				'No active subscription found for this API key',
			);
		if (
			subscriptionRequired === true ||
			(Array.isArray(subscriptionRequired) && subscriptionRequired.includes(kind))
		) {
			throw new HttpError(
				403,
				'subscription_required',
				'Your subscription does not include access to this feature',
			);
		}
	}

	private limitsFor(state: KeyState) {
		return {
			perMinute: state.config.perMinute ?? this.options.rateLimit?.perMinute ?? 60,
			perHour: state.config.perHour ?? this.options.rateLimit?.perHour ?? 1000,
			minuteMs: MINUTE_MS * this.rateWindowScale,
			hourMs: HOUR_MS * this.rateWindowScale,
			monthlyQuota: state.config.monthlyQuota,
			monthlyQuotaRetryAfter: state.config.monthlyQuotaRetryAfter,
			cycleMs: CYCLE_MS * this.rateWindowScale,
		};
	}

	// ---------------------------------------------------------------- submit

	private submit(
		kind: JobKind,
		bodyText: string,
		keyState: KeyState,
		ctx: RequestContext,
		res: http.ServerResponse,
	): void {
		let raw: unknown;
		if (bodyText === '\u0000too-large')
			throw new HttpError(400, 'invalid_json', 'Request body is too large');
		try {
			raw = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
		} catch {
			throw new HttpError(400, 'invalid_json', 'Request body contains invalid JSON');
		}
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
			throw new HttpError(400, 'invalid_json', 'Request body must be a JSON object');
		}
		const rawBody = raw as Record<string, unknown>;
		const markers = findMarkers(rawBody);
		if (markers.http503)
			throw new HttpError(
				503,
				'service_unavailable',
				'The API is temporarily unavailable ([http503] marker).',
			);
		if (markers.http500)
			throw new HttpError(
				500,
				'internal_error',
				'An unexpected server error occurred ([http500] marker).',
			);

		const validation = validateSubmit(kind, rawBody, {
			callbackAllowList: this.options.callbackAllowList,
		});
		if (!validation.ok) throw new HttpError(400, validation.code, validation.message);
		if (keyState.credits <= 0) {
			throw new HttpError(
				402,
				'insufficient_credits',
				'Not enough credits remaining to process this request',
			);
		}

		const request = validation.request;
		const now = this.now();
		const requestId = this.newRequestId(kind, keyState.config.key, request, now);
		const identity = canonicalJson(
			request.kind === 'interests'
				? interestsIdentity(request)
				: request.kind === 'interactions'
					? interactionsIdentity(request)
					: leadsIdentity(request),
		);
		const seed = `${this.seed}|${kind}|${identity}`;
		const plan = this.plan(kind, request, rawBody, keyState.config.key, requestId, markers, seed);

		const job: Job = {
			requestId,
			kind,
			key: keyState.config.key,
			request,
			createdAt: now,
			dueAt: plan.outcome === 'never' ? Infinity : now + plan.latencyRealMs,
			latencyRealMs: plan.latencyRealMs,
			outcome: plan.outcome,
			error: plan.error,
			forcedCount: plan.resultCount,
			seed,
			creditsCharged: 0,
			expired: false,
			waiters: [],
		};
		this.jobs.set(requestId, job);
		if (plan.outcome !== 'never') {
			job.timer = setTimeout(() => {
				job.timer = undefined;
				this.finish(job);
			}, plan.latencyRealMs);
			job.timer.unref();
		}

		const fingerprint = `${keyState.config.key}|${kind}|${canonicalJson(request)}`;
		const seen = this.fingerprints.get(fingerprint) ?? 0;
		this.fingerprints.set(fingerprint, seen + 1);
		if (seen > 0) {
			this.counters.duplicateSubmissions++;
			ctx.entry.duplicate = true;
		}
		this.counters.accepted++;
		ctx.entry.requestId = requestId;
		if (this.dice(this.faults.submitResetRate)) {
			ctx.entry.status = 0;
			ctx.entry.errorCode = 'connection_reset';
			this.counters.connectionResets++;
			res.socket?.destroy();
			return;
		}

		const status = SUBMIT_STATUS[kind];
		let data: Record<string, unknown>;
		if (request.kind === 'interactions') {
			data = {
				request_id: requestId,
				status,
				interaction_type: request.interaction_type,
				platform: request.platform,
				created_on: isoSeconds(now),
			};
		} else if (request.kind === 'leads') {
			data = {
				request_id: requestId,
				status,
				message: 'Lead search request queued for processing.',
			};
		} else {
			data = { request_id: requestId, status };
		}
		ctx.entry.jobStatus = status;
		this.sendOk(res, ctx, 202, data);
	}

	private newRequestId(
		kind: JobKind,
		key: string,
		request: NormalisedRequest,
		now: number,
	): string {
		const hex = sha256Hex(`${this.seed}|id|${++this.idCounter}|${key}|${canonicalJson(request)}`);
		const unix = Math.floor(now / 1000);
		const suffix = String(1000 + (parseInt(hex.slice(40, 48), 16) % 9000));
		switch (kind) {
			case 'interests':
				return `${hex.slice(0, 32)}_${unix}_${suffix}`;
			case 'interactions':
				return `interaction_${hex.slice(0, 16)}_${unix}_${suffix}`;
			case 'leads':
				return hex;
		}
	}

	private plan(
		kind: JobKind,
		request: NormalisedRequest,
		rawBody: Record<string, unknown>,
		key: string,
		requestId: string,
		markers: Markers,
		seed: string,
	): { latencyRealMs: number; outcome: JobOutcome; error?: string; resultCount?: number } {
		const [min, max] = this.options.latencyMs?.[kind] ?? DEFAULT_LATENCY_MS[kind];
		const latencyRng = new Rng(`${seed}|latency`);
		let nominal = min + latencyRng.next() * Math.max(0, max - min);
		if (markers.latencyMs !== undefined) nominal = markers.latencyMs;
		if (markers.slow) nominal *= this.options.slowFactor ?? 10;
		if (markers.instant) nominal = 0;
		let latencyRealMs = nominal * this.timeScale;

		let outcome: JobOutcome = 'completed';
		let error: string | undefined;
		if (this.dice(this.faults.failRate)) outcome = 'failed';
		if (this.dice(this.faults.neverFinishRate)) outcome = 'never';
		if (markers.empty) outcome = 'empty';
		if (markers.never) outcome = 'never';
		if (markers.fail) outcome = 'failed';
		let resultCount = markers.count;

		let override: BehaviourOverride | undefined | void;
		if (this.options.behaviour) {
			const body = { ...request } as Record<string, unknown>;
			delete body.kind;
			override = this.options.behaviour({ kind, body, rawBody, key, requestId });
		}
		if (override) {
			if (override.latencyMs !== undefined) latencyRealMs = override.latencyMs;
			if (override.outcome !== undefined) outcome = override.outcome;
			if (override.error !== undefined) error = override.error;
			if (override.resultCount !== undefined) resultCount = override.resultCount;
		}
		if (outcome === 'failed' && error === undefined)
			error = `Simulated ${kind} failure: the upstream data provider returned an error`;
		return { latencyRealMs: Math.max(0, Math.round(latencyRealMs)), outcome, error, resultCount };
	}

	private finish(job: Job): void {
		if (job.status) return;
		if (job.timer) clearTimeout(job.timer);
		job.timer = undefined;
		job.finishedAt = this.now();
		if (job.outcome === 'failed') {
			job.status = 'failed';
			job.resultCount = 0;
		} else {
			job.status = 'completed';
			const rng = new Rng(`${job.seed}|result`);
			const forced = job.outcome === 'empty' ? 0 : job.forcedCount;
			const req = job.request;
			if (req.kind === 'interests') {
				job.result = generateInterests(rng, forced);
				job.resultCount = Object.keys(job.result).filter((k) => k !== 'following_count').length;
			} else if (req.kind === 'interactions') {
				const count =
					forced === undefined ? req.max_results : Math.max(0, Math.min(req.max_results, forced));
				job.result = generateInteractions(req, rng, count);
				job.resultCount = count;
			} else {
				const count =
					forced ?? new Rng(`${job.seed}|count`).int(0, this.options.leadsMaxResults ?? 20);
				job.results = generateLeads(req, rng, Math.max(0, count));
				job.resultCount = job.results.length;
			}
			if (job.resultCount === 0) job.outcome = 'empty';
			else this.charge(job);
		}
		this.wakeWaiters(job);
		const callbackUrl = job.request.callback_url;
		if (callbackUrl && !this.stopped)
			this.callbacks.deliver(job.requestId, callbackUrl, this.callbackPayload(job));
	}

	private charge(job: Job): void {
		const state = this.keys.get(job.key);
		if (!state) return;
		const cost = CREDIT_COST[job.kind];
		state.credits -= cost;
		job.creditsCharged = cost;
		this.charges.push({
			time: this.now(),
			key: job.key,
			requestId: job.requestId,
			kind: job.kind,
			credits: cost,
			balanceAfter: state.credits,
		});
	}

	private wakeWaiters(job: Job): void {
		for (const w of job.waiters.splice(0)) w();
	}

	// ---------------------------------------------------------------- poll

	private poll(
		kind: JobKind,
		url: URL,
		keyState: KeyState,
		ctx: RequestContext,
		res: http.ServerResponse,
	): void {
		if (this.options.creditCheckOnPoll && keyState.credits <= 0) {
			throw new HttpError(
				402,
				'insufficient_credits',
				'Not enough credits remaining to process this request',
			);
		}
		const requestId = url.searchParams.get('request_id')?.trim();
		if (!requestId) throw new HttpError(400, 'missing_parameters', 'request_id is required');
		ctx.entry.requestId = requestId;
		const job = this.jobs.get(requestId);
		const ttl = this.options.jobTtlMs;
		if (
			job &&
			!job.expired &&
			ttl !== undefined &&
			this.now() - job.createdAt >= ttl * this.timeScale
		)
			job.expired = true;
		if (!job || job.kind !== kind || job.key !== keyState.config.key || job.expired) {
			const code =
				kind === 'leads' ? (this.options.leadsNotFoundCode ?? 'not_found') : 'request_not_found';
			throw new HttpError(404, code, 'Request ID not found');
		}
		const data = this.statusPayload(job);
		ctx.entry.jobStatus = String(data.status);
		if (job.status && job.collectedAt === undefined) job.collectedAt = this.now();
		this.sendOk(res, ctx, 200, data);
	}

	private currentStatus(job: Job): JobStatus {
		if (job.status) return job.status;
		const phases = STATUS_PHASES[job.kind];
		const span = job.dueAt - job.createdAt;
		const fraction =
			job.outcome === 'never' ? 1 : span <= 0 ? 1 : (this.now() - job.createdAt) / span;
		let status = phases[0][0];
		for (const [name, from] of phases) if (fraction >= from) status = name;
		return status;
	}

	private statusPayload(job: Job): Record<string, unknown> {
		const status = this.currentStatus(job);
		const data: Record<string, unknown> = { request_id: job.requestId, status };
		const req = job.request;
		if (req.kind === 'interactions') {
			data.interaction_type = req.interaction_type;
			data.platform = req.platform;
		}
		if (job.status === 'failed') {
			if (req.kind === 'interests') data.completed = false;
			if (req.kind === 'interactions') data.created_on = isoSeconds(job.createdAt);
			if (req.kind === 'leads') data.created_on = naiveSeconds(job.createdAt);
			data.error = job.error;
			return data;
		}
		if (job.status === 'completed') {
			const statusText = this.options.completedStatusText;
			if (statusText !== undefined && statusText !== 'completed') {
				data.status = statusText;
				data.completed = true;
			}
			if (req.kind === 'interests') {
				data.completed = true;
				data.result = job.result;
				data.completed_on = isoSeconds(job.finishedAt!);
			} else if (req.kind === 'interactions') {
				data.completed = true;
				data.result = job.result;
				data.result_count = job.resultCount;
				data.created_on = isoSeconds(job.createdAt);
				data.completed_on = isoSeconds(job.finishedAt!);
			} else {
				data.created_on = naiveSeconds(job.createdAt);
				data.completed_on = naiveSeconds(job.finishedAt!);
				data.results_count = job.resultCount;
				data.results = job.results;
			}
			return data;
		}
		if (req.kind === 'interactions') data.created_on = isoSeconds(job.createdAt);
		if (req.kind === 'leads') data.created_on = naiveSeconds(job.createdAt);
		return data;
	}

	private callbackPayload(job: Job): Record<string, unknown> {
		if (job.status === 'failed')
			return { request_id: job.requestId, status: 'failed', error: job.error };
		const req = job.request;
		const timestamp = isoSeconds(this.now());
		if (req.kind === 'interests') {
			return {
				request_id: job.requestId,
				status: 'completed',
				completed: true,
				result: job.result,
				completed_on: isoSeconds(job.finishedAt!),
				timestamp,
			};
		}
		if (req.kind === 'interactions') {
			return {
				request_id: job.requestId,
				status: 'completed',
				interaction_type: req.interaction_type,
				platform: req.platform,
				data: job.result,
				result_count: job.resultCount,
			};
		}
		return {
			request_id: job.requestId,
			status: 'completed',
			completed: true,
			results_count: job.resultCount,
			results: job.results,
			timestamp,
		};
	}

	private snapshot(job: Job): JobSnapshot {
		const body = { ...job.request } as Record<string, unknown>;
		delete body.kind;
		return {
			requestId: job.requestId,
			kind: job.kind,
			key: job.key,
			status: this.currentStatus(job),
			outcome: job.outcome,
			body,
			createdAt: job.createdAt,
			dueAt: job.dueAt,
			finishedAt: job.finishedAt,
			resultCount: job.resultCount,
			creditsCharged: job.creditsCharged,
			expired: job.expired,
			callbackUrl: job.request.callback_url,
			collectedAt: job.collectedAt,
		};
	}

	// ---------------------------------------------------------------- responses

	private sendOk(
		res: http.ServerResponse,
		ctx: RequestContext,
		status: number,
		data: Record<string, unknown>,
	): void {
		this.record(ctx, status);
		this.writeJson(
			res,
			status,
			{ success: true, data, timestamp: isoSeconds(this.now()) },
			ctx.headers,
		);
	}

	private sendError(
		res: http.ServerResponse,
		ctx: RequestContext,
		status: number,
		code: string,
		message: string,
	): void {
		ctx.entry.errorCode = code;
		this.counters.byErrorCode[code] = (this.counters.byErrorCode[code] ?? 0) + 1;
		this.record(ctx, status);
		this.writeJson(
			res,
			status,
			{ success: false, error: { code, message }, timestamp: isoSeconds(this.now()) },
			ctx.headers,
		);
	}

	private record(ctx: RequestContext, status: number): void {
		ctx.entry.status = status;
		this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
		if (status === 429) this.counters.status429++;
		if (status === 503) this.counters.status503++;
		if (status === 500) this.counters.status500++;
	}

	private writeJson(
		res: http.ServerResponse,
		status: number,
		payload: unknown,
		headers: Record<string, string> = {},
	): void {
		if (res.destroyed || res.headersSent) return;
		const body = JSON.stringify(payload);
		res.writeHead(status, {
			...headers,
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': String(Buffer.byteLength(body)),
		});
		res.end(body);
	}

	// ---------------------------------------------------------------- admin endpoints (/__sim/*)

	private handleAdmin(method: string, url: URL, bodyText: string, res: http.ServerResponse): void {
		let body: Record<string, unknown> = {};
		try {
			if (bodyText.trim()) body = JSON.parse(bodyText) as Record<string, unknown>;
		} catch {
			this.writeJson(res, 400, {
				success: false,
				error: { code: 'invalid_json', message: 'invalid JSON' },
			});
			return;
		}
		const route = `${method} ${url.pathname}`;
		const ok = (data: unknown): void => this.writeJson(res, 200, { success: true, data });
		const requestId = String(body.request_id ?? url.searchParams.get('request_id') ?? '');
		switch (route) {
			case 'GET /__sim/health':
				return ok({ ok: true, url: this.url });
			case 'GET /__sim/state':
				return ok({
					counters: this.getCounters(),
					faults: this.getFaults(),
					credits: Object.fromEntries([...this.keys].map(([k, s]) => [k, s.credits])),
					charges: this.getCharges(),
					jobs: this.listJobs(),
					callbacks: this.getCallbacks(),
				});
			case 'GET /__sim/log':
				return ok({ log: this.getLog(), counters: this.getCounters() });
			case 'POST /__sim/faults':
				return ok(
					body.clear ? (this.clearFaults(), this.getFaults()) : this.setFaults(body as Faults),
				);
			case 'POST /__sim/reset-log':
				this.resetLog();
				return ok({ reset: true });
			case 'POST /__sim/expire':
				return ok({ expired: this.expire(requestId) });
			case 'POST /__sim/complete':
				return ok({ completed: this.completeNow(requestId) });
			case 'POST /__sim/credits':
				if (
					typeof body.key !== 'string' ||
					typeof body.credits !== 'number' ||
					!this.keys.has(body.key)
				) {
					this.writeJson(res, 400, {
						success: false,
						error: {
							code: 'invalid_parameters',
							message: 'key (known) and credits (number) required',
						},
					});
					return;
				}
				this.setCredits(body.key, body.credits);
				return ok({ key: body.key, credits: body.credits });
			default:
				this.writeJson(res, 404, {
					success: false,
					error: { code: 'not_found', message: `No admin route ${route}` },
				});
		}
	}
}

function header(req: http.IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return first && first.trim() !== '' ? first.trim() : undefined;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<NyneSimulator> {
	return new NyneSimulator(options).start();
}

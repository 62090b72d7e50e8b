import {
	asRecord,
	envelopeData,
	isMonthlyQuota,
	JOB_PATHS,
	jobState,
	nyneErrorOf,
	quotaHeaders,
	UNKNOWN_ID_CODES,
	type JobData,
} from '../../shared/nyneApi';
import { JobError, NetworkError, type JobErrorDetails } from './errors';
import {
	FINAL_CHECK_GRACE_MS,
	POLLS_RESERVED_PER_JOB,
	RETRY_BACKOFF_MS,
	type PollingOptions,
} from './limits';
import { PacerRefusal, type RatePacer, type Reservation, type SlotPriority } from './ratePacer';
import type { ApiRequest, ApiResponse, JobOutcome, JobSpec, SendRequest, Sleep } from './types';

/**
 * The job engine: submits jobs and waits for them (submit → poll with back-off → deadline), retries what is
 * safe, and paces every request through the key's shared rate budget. It knows Nyne only through
 * shared/nyneApi.ts and n8n not at all; failures come back as {@link JobError} facts for the caller to word.
 */

export interface JobEngineOptions {
	send: SendRequest;
	pacer: RatePacer;
	sleep: Sleep;
	polling: PollingOptions;
	signal?: AbortSignal;
	now?: () => number;
	random?: () => number;
	/** First delay of the exponential backoff after 5xx / network errors, in ms. */
	retryBaseDelayMs?: number;
	retryMaxDelayMs?: number;
}

/**
 * An answer no Nyne endpoint gives: a page instead of JSON, "no such endpoint" for a submit, a 2xx submit
 * answer without Nyne's envelope, a status 404 without Nyne's error code. The Base URL then points at
 * another server (or another path) and nothing was accepted there as a Nyne job.
 */
function notNyneError(
	response: ApiResponse,
	request: ApiRequest,
	requestId?: string,
): JobError | undefined {
	const { statusCode, body } = response;
	const contentType = String(
		response.headers['content-type'] ?? response.headers['Content-Type'] ?? '',
	);
	let answer: JobErrorDetails['answer'];
	if (/html/i.test(contentType) || (typeof body === 'string' && /^\s*</.test(body)))
		answer = 'html';
	else if (typeof body === 'string' && body.trim()) answer = 'text';
	else if (request.method === 'POST' && statusCode === 404) answer = 'noEndpoint';
	else if (request.method === 'POST' && statusCode < 300 && !envelopeData(body))
		answer = 'noEnvelope';
	else if (
		request.method === 'GET' &&
		statusCode === 404 &&
		!UNKNOWN_ID_CODES.has(nyneErrorOf(body).code ?? '')
	) {
		answer = 'no404Code';
	}
	if (!answer) return undefined;
	return new JobError({
		reason: 'notNyne',
		answer,
		request: { method: request.method, path: request.path },
		httpCode: statusCode,
		nyneMessage: answer === 'noEndpoint' ? nyneErrorOf(body).message : undefined,
		requestId,
		responseBody: asRecord(body),
	});
}

function httpError(response: ApiResponse, requestId?: string): JobError {
	const { code, message } = nyneErrorOf(response.body);
	return new JobError({
		reason: 'http',
		httpCode: response.statusCode,
		errorCode: code,
		nyneMessage: message,
		requestId,
		responseBody: asRecord(response.body),
	});
}

interface RunningJob {
	deadline: number;
	timeoutMs: number;
	/** When Nyne accepted it (or the fetch began): polls of older jobs go first. */
	startedAt: number;
	/** The follow-up request the rate budget holds for this job until it is collected or given up. */
	reservation?: Reservation;
	/**
	 * When nothing is waited for (a submit only, a single status check): how long to keep retrying once Nyne could not be
	 * reached (refused connection, 503, 429), counted from the first failure. Waiting for the rate budget's
	 * next window is not retrying: a large batch is paced up to `deadline`.
	 */
	retryBudgetMs?: number;
	retryUntil?: number;
}

/** The bound a job's next wait must respect: its deadline, or sooner its retry budget once it is retrying. */
function limitOf(job: RunningJob): { at: number; ms: number; retrying: boolean } {
	if (job.retryUntil !== undefined && job.retryUntil < job.deadline) {
		return { at: job.retryUntil, ms: job.retryBudgetMs ?? 0, retrying: true };
	}
	return { at: job.deadline, ms: job.timeoutMs, retrying: false };
}

/** Nyne could not be reached: the retry budget (if any) starts counting. */
function startRetrying(job: RunningJob, now: number): void {
	if (job.retryBudgetMs !== undefined && job.retryUntil === undefined)
		job.retryUntil = now + job.retryBudgetMs;
}

/** A monthly quota answer seen in this run: later submits of the run fail without asking again. */
interface QuotaState {
	response: ApiResponse;
}

/** Submits jobs and waits for them: all at once, within one shared rate budget. */
export class JobEngine {
	private readonly options: JobEngineOptions;

	private readonly now: () => number;

	private readonly random: () => number;

	private readonly startedAt: number;

	private quota: QuotaState | undefined;

	/**
	 * The longest a job of this run took from acceptance to the poll that found it finished. An upper
	 * bound of its run time (the poll may have come late, e.g. waiting for the rate budget), so jobs
	 * submitted with that much time left are likely to be collected.
	 */
	private longestRunTime = 0;

	constructor(options: JobEngineOptions) {
		this.options = options;
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
		this.startedAt = this.now();
	}

	/**
	 * Runs every spec concurrently and returns one outcome per spec, in order. Identical specs (same
	 * action, kind and body) are sent once and share the outcome, so Nyne charges for them once.
	 */
	async runAll(specs: JobSpec[]): Promise<JobOutcome[]> {
		const shared = new Map<string, Promise<JobOutcome>>();
		return await Promise.all(
			specs.map(async (spec) => {
				const key = dedupeKey(spec);
				let outcome = shared.get(key);
				if (!outcome) {
					outcome = this.run(spec);
					shared.set(key, outcome);
				}
				return await outcome;
			}),
		);
	}

	private async run(spec: JobSpec): Promise<JobOutcome> {
		const { polling } = this.options;
		const waited = spec.action === 'submit' && spec.wait ? spec.wait : undefined;
		const timeoutMs = waited?.timeoutMs ?? polling.timeoutMs;
		const retryBudgetMs = waited
			? undefined
			: ((spec.action === 'submit' ? spec.reachTimeoutMs : undefined) ?? polling.reachTimeoutMs);
		const job: RunningJob = {
			deadline: this.startedAt + timeoutMs,
			timeoutMs,
			startedAt: this.now(),
			retryBudgetMs,
		};
		try {
			const data =
				spec.action === 'get'
					? await this.fetchStatus(job, spec.kind, spec.requestId, false)
					: await this.submitAndMaybeWait(job, spec);
			return { ok: true, data };
		} catch (error) {
			return { ok: false, error: this.asJobError(error) };
		} finally {
			job.reservation?.release();
		}
	}

	private async submitAndMaybeWait(
		job: RunningJob,
		spec: Extract<JobSpec, { action: 'submit' }>,
	): Promise<JobData> {
		const submitted = await this.submit(job, spec);
		if (!spec.wait) return submitted;
		job.startedAt = this.now();
		const requestId = submitted.request_id as string;
		const firstPollDelayMs = spec.wait.firstPollDelayMs ?? this.options.polling.firstPollDelayMs;
		return await this.waitFor(job, spec.kind, requestId, firstPollDelayMs);
	}

	private async submit(
		job: RunningJob,
		spec: Extract<JobSpec, { action: 'submit' }>,
	): Promise<JobData> {
		const request: ApiRequest = { method: 'POST', path: JOB_PATHS[spec.kind], body: spec.body };
		for (let attempt = 0; ; attempt++) {
			if (this.quota) throw this.quotaError(this.quota.response);
			// A job waited for needs polls after its submit: the budget must hold them too.
			const reserve = spec.wait && !job.reservation ? POLLS_RESERVED_PER_JOB : 0;
			// …and time to run: as long as the slowest job of this run took so far.
			const runMs = spec.wait ? () => this.longestRunTime : undefined;
			const response = await this.send(
				request,
				{ kind: 'submit', deadline: limitOf(job).at, reserve, runMs },
				job,
			);
			if (response instanceof NetworkError) {
				if (!response.requestMayHaveArrived) {
					if (!response.retryable) throw networkError(response, 'notSent');
					startRetrying(job, this.now());
					await this.backoff(job, attempt, undefined, response);
					continue;
				}
				// Never sent again: Nyne may have accepted it, and a second submit would be a second charge.
				throw networkError(response, 'sent');
			}
			if (isMonthlyQuota(response)) {
				this.quota = { response };
				throw this.quotaError(response);
			}
			// 429 and 503 mean the job was not accepted: safe to send again. The pacer holds a 429's retry
			// until Retry-After, or refuses it at once if that is past the deadline.
			if (response.statusCode === 429 || response.statusCode === 503)
				startRetrying(job, this.now());
			if (response.statusCode === 429) continue;
			if (response.statusCode === 503) {
				await this.backoff(job, attempt, response);
				continue;
			}
			const foreign = notNyneError(response, request);
			if (foreign) throw foreign;
			if (response.statusCode >= 300) throw httpError(response);
			const data = envelopeData(response.body);
			if (!data || typeof data.request_id !== 'string' || !data.request_id) {
				throw new JobError({
					reason: 'invalidResponse',
					missing: 'request_id',
					httpCode: response.statusCode,
					responseBody: asRecord(response.body),
				});
			}
			return data;
		}
	}

	/**
	 * Polls with growing pauses until the job completes, fails, or the deadline passes; the last check is
	 * made at the deadline, so a job that finished in time is delivered.
	 */
	private async waitFor(
		job: RunningJob,
		kind: JobSpec['kind'],
		requestId: string,
		firstPollDelayMs: number,
	): Promise<JobData> {
		const { backoffFactor, maxPollDelayMs } = this.options.polling;
		let delay = firstPollDelayMs;
		for (;;) {
			const remaining = job.deadline - this.now();
			if (remaining > 0) await this.options.sleep(Math.min(delay, remaining), this.options.signal);
			const data = await this.fetchStatus(job, kind, requestId, true);
			if (jobState(data) === 'completed') {
				this.longestRunTime = Math.max(this.longestRunTime, this.now() - job.startedAt);
				return data;
			}
			job.reservation?.spendOne();
			if (this.now() >= job.deadline) throw this.deadlineError(job, requestId);
			delay = Math.min(delay * backoffFactor, maxPollDelayMs);
		}
	}

	/** One status check, retrying what is safe to retry (polls create nothing and cost nothing). */
	private async fetchStatus(
		job: RunningJob,
		kind: JobSpec['kind'],
		requestId: string,
		waiting: boolean,
	): Promise<JobData> {
		const request: ApiRequest = {
			method: 'GET',
			path: JOB_PATHS[kind],
			query: { request_id: requestId },
		};
		for (let attempt = 0; ; attempt++) {
			// Oldest jobs first: they are the likeliest to have finished. The check at the deadline (the timer
			// fires a little after it) still goes, if the budget lets it go at once.
			const now = this.now();
			const limit = limitOf(job).at;
			const deadline = now >= limit ? now + FINAL_CHECK_GRACE_MS : limit;
			const response = await this.send(
				request,
				{ kind: 'poll', order: job.startedAt, deadline },
				job,
				requestId,
			);
			if (
				response instanceof NetworkError ||
				response.statusCode === 429 ||
				response.statusCode >= 500
			) {
				startRetrying(job, this.now());
			}
			if (response instanceof NetworkError) {
				if (!response.retryable) {
					throw networkError(response, 'status', requestId);
				}
				await this.backoff(job, attempt, undefined, response, requestId);
				continue;
			}
			if (isMonthlyQuota(response)) throw this.quotaError(response, requestId);
			if (response.statusCode === 429) continue; // the pacer waits for Retry-After, or refuses
			if (response.statusCode >= 500) {
				await this.backoff(job, attempt, response, undefined, requestId);
				continue;
			}
			const foreign = notNyneError(response, request, requestId);
			if (foreign) throw foreign;
			if (response.statusCode === 404) {
				const { code, message } = nyneErrorOf(response.body);
				throw new JobError({
					reason: 'expired',
					// While waiting, the submit proved the Base URL right; for a single status check a wrong path answers 404 too.
					waiting,
					httpCode: 404,
					errorCode: code ?? 'request_not_found',
					nyneMessage: message,
					requestId,
					responseBody: asRecord(response.body),
				});
			}
			if (response.statusCode >= 300) throw httpError(response, requestId);
			const data = envelopeData(response.body);
			if (!data || typeof data.status !== 'string') {
				throw new JobError({
					reason: 'invalidResponse',
					missing: 'status',
					httpCode: response.statusCode,
					requestId,
					responseBody: asRecord(response.body),
				});
			}
			if (waiting && jobState(data) === 'failed') {
				throw new JobError({
					reason: 'jobFailed',
					requestId,
					errorCode: 'job_failed',
					nyneMessage: typeof data.error === 'string' ? data.error : nyneErrorOf(data).message,
					responseBody: data,
				});
			}
			return data;
		}
	}

	/**
	 * Sends through the shared rate budget and reports the answer's rate-limit headers back to it. A
	 * request the budget refuses (it could not go before the job's deadline) becomes the job's error.
	 */
	private async send(
		request: ApiRequest,
		priority: SlotPriority,
		job: RunningJob,
		requestId?: string,
	): Promise<ApiResponse | NetworkError> {
		const slot = await this.options.pacer
			.acquire(this.options.signal, priority)
			.catch(async (error: unknown) =>
				error instanceof PacerRefusal
					? this.refusalError(error, job, requestId)
					: await Promise.reject(error),
			);
		if (slot instanceof JobError) throw slot;
		if (slot.reservation) job.reservation = slot.reservation;
		let response: ApiResponse | NetworkError | undefined;
		try {
			response = await this.options.send(request, this.options.signal);
			return response;
		} finally {
			slot.release(
				response instanceof NetworkError || response === undefined
					? undefined
					: { ...response, monthlyQuota: isMonthlyQuota(response) },
			);
		}
	}

	/** Why a request was not sent, as the job's error: nothing was sent for it, nothing charged. */
	private refusalError(refusal: PacerRefusal, job: RunningJob, requestId?: string): JobError {
		const limit = limitOf(job);
		const bound = { boundMs: limit.ms, retrying: limit.retrying };
		if (refusal.reason === 'rateLimited') {
			const resetsAt = refusal.resetsAt ?? this.now();
			return new JobError({
				reason: 'rateLimited',
				...bound,
				httpCode: 429,
				errorCode: 'rate_limit_exceeded',
				requestId,
				resetsAt,
				resetsInMs: Math.max(0, resetsAt - this.now()),
			});
		}
		if (requestId) return this.deadlineError(job, requestId);
		const cause = refusal.reason === 'deadline' ? 'waited' : refusal.reason;
		return new JobError({
			reason: 'notAdmitted',
			...bound,
			admission: {
				cause,
				available: refusal.available,
				reserved: refusal.reserved,
				longestRunMs: this.longestRunTime,
			},
		});
	}

	private quotaError(response: ApiResponse, requestId?: string): JobError {
		const { code, message } = nyneErrorOf(response.body);
		const { limit, used, resetsAt } = quotaHeaders(response.headers);
		return new JobError({
			reason: 'quota',
			httpCode: 429,
			errorCode: code ?? 'monthly_limit_exceeded',
			nyneMessage: message,
			quota: { limit, used },
			requestId,
			resetsAt,
			responseBody: asRecord(response.body),
		});
	}

	/**
	 * Waits before a retry: Retry-After for 429s (the pacer already holds everyone back), exponential
	 * backoff with jitter for 5xx and network errors. Throws instead when the wait would pass the deadline.
	 */
	private async backoff(
		job: RunningJob,
		attempt: number,
		response: ApiResponse | undefined,
		networkFailure?: NetworkError,
		requestId?: string,
	): Promise<void> {
		const base = this.options.retryBaseDelayMs ?? RETRY_BACKOFF_MS.base;
		const max = this.options.retryMaxDelayMs ?? RETRY_BACKOFF_MS.max;
		const exponential = Math.min(max, base * 2 ** attempt);
		const jittered = exponential / 2 + this.random() * (exponential / 2);
		const resumeAt =
			response?.statusCode === 429
				? Math.max(this.options.pacer.nextFreeAt(), this.now())
				: this.now() + jittered;
		if (resumeAt >= limitOf(job).at) {
			if (requestId) throw this.deadlineError(job, requestId);
			if (response) throw httpError(response);
			throw new JobError({
				reason: 'network',
				errorCode: networkFailure?.code,
				network: { stage: 'unreachable', message: networkFailure?.message ?? 'network error' },
			});
		}
		const wait = resumeAt - this.now();
		if (wait > 0) await this.options.sleep(wait, this.options.signal);
	}

	private deadlineError(job: RunningJob, requestId: string): JobError {
		return new JobError({ reason: 'deadline', requestId, boundMs: job.timeoutMs });
	}

	private asJobError(error: unknown): JobError {
		if (error instanceof JobError) return error;
		if (this.options.signal?.aborted) return new JobError({ reason: 'cancelled' });
		if (error instanceof NetworkError) return networkError(error, 'lost');
		return new JobError({
			reason: 'network',
			network: { stage: 'lost', message: error instanceof Error ? error.message : String(error) },
		});
	}
}

/** A network failure as the job's error; the sender's message is kept, it names the Base URL. */
function networkError(
	error: NetworkError,
	stage: NonNullable<JobErrorDetails['network']>['stage'],
	requestId?: string,
): JobError {
	return new JobError({
		reason: 'network',
		errorCode: error.code,
		requestId,
		network: { stage, message: error.message },
	});
}

/** Same action, same kind and the same fields in any key order → the same job. */
function dedupeKey(spec: JobSpec): string {
	// Wait options are left out on purpose: the same job waited for with other settings is still one job.
	return spec.action === 'get'
		? `get:${spec.kind}:${spec.requestId}`
		: `submit:${spec.kind}:${spec.wait ? 'wait' : 'submit'}:${stableStringify(spec.body)}`;
}

function stableStringify(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.map(
				(key) =>
					`${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`,
			);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value);
}

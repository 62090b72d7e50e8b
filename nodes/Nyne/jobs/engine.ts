import {
	DEFAULT_POLLING,
	FINAL_CHECK_GRACE_MS,
	POLLS_RESERVED_PER_JOB,
	RETRY_BACKOFF_MS,
	type PollingOptions,
} from './limits';
import { PacerRefusal, type RatePacer, type Reservation, type SlotPriority } from './ratePacer';
import {
	JOB_PATHS,
	JobError,
	NYNE_BASE_URL,
	NetworkError,
	type ApiRequest,
	type ApiResponse,
	type HeaderValue,
	type JobData,
	type JobOutcome,
	type JobSpec,
	type SendRequest,
	type Sleep,
} from './types';

export { DEFAULT_POLLING, type PollingOptions };

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

/** Nyne's envelope: `{ success, data, timestamp }` on success, `{ success: false, error: { code, message } }` on error. */
function envelopeData(body: unknown): JobData | undefined {
	if (body && typeof body === 'object' && 'data' in body) {
		const data = (body as { data: unknown }).data;
		if (data && typeof data === 'object' && !Array.isArray(data)) return data as JobData;
	}
	return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
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

/** Nyne's known 404 codes for a poll of an id it does not have. */
const UNKNOWN_ID_CODES = new Set(['request_not_found', 'not_found']);

/**
 * An answer no Nyne endpoint gives: a page instead of JSON, "no such endpoint" for a submit, a 2xx submit
 * answer without Nyne's envelope, a poll's 404 without Nyne's error envelope. The Base URL then points at
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
	let what: string | undefined;
	if (/html/i.test(contentType) || (typeof body === 'string' && /^\s*</.test(body)))
		what = 'an HTML page';
	else if (typeof body === 'string' && body.trim()) what = 'text that is not JSON';
	else if (request.method === 'POST' && statusCode === 404) {
		const { message } = nyneErrorOf(body);
		what = message ? `"${message.slice(0, 100)}"` : 'no such endpoint';
	} else if (request.method === 'POST' && statusCode < 300 && !envelopeData(body))
		what = "JSON without Nyne's envelope";
	else if (
		request.method === 'GET' &&
		statusCode === 404 &&
		!UNKNOWN_ID_CODES.has(nyneErrorOf(body).code ?? '')
	) {
		what = "a 404 without Nyne's error code";
	}
	if (!what) return undefined;
	return new JobError(
		`The Base URL does not look like Nyne's API: ${request.method} ${request.path} answered HTTP ${statusCode} with ${what}. Check the Base URL of the Nyne API credential (Nyne's is ${NYNE_BASE_URL}).`,
		{
			reason: 'http',
			httpCode: statusCode,
			requestId,
			responseBody: asRecord(body),
			description:
				request.method === 'POST' ? 'No Nyne job was created by this request.' : undefined,
		},
	);
}

/** What a user should do about an HTTP error, by status. */
const HTTP_ADVICE: Record<number, string> = {
	400: 'Nyne rejected the request as invalid.',
	401: 'Nyne rejected the credentials: check the API key and secret in the Nyne API credential.',
	402: 'Your Nyne account is out of credits: top up in the Nyne dashboard.',
	403: 'Nyne refused access: check that your subscription includes this API and that this server’s IP is on the key’s allow-list.',
	429: 'Nyne’s rate limit was still exceeded when the timeout ran out.',
	500: 'Nyne had an internal error.',
	503: 'Nyne is temporarily unavailable.',
};

function httpError(response: ApiResponse, requestId?: string): JobError {
	const { code, message } = nyneErrorOf(response.body);
	const advice =
		HTTP_ADVICE[response.statusCode] ?? `Nyne answered with HTTP ${response.statusCode}.`;
	return new JobError(message ? `${advice} Nyne says: ${message}` : advice, {
		reason: 'http',
		httpCode: response.statusCode,
		errorCode: code,
		requestId,
		responseBody: asRecord(response.body),
		description: requestId
			? `The job ${requestId} was accepted by Nyne; fetch it later with the Get Job operation.`
			: undefined,
	});
}

/** A failure that rules out the request having arrived and that sending again will not cure. */
function notSubmittedError(error: NetworkError): JobError {
	return new JobError(`${error.message} The job was not submitted.`, {
		reason: 'network',
		errorCode: error.code,
	});
}

function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const raw = headers[name] ?? headers[name.toLowerCase()] ?? headers[name.toUpperCase()];
	const value = Array.isArray(raw) ? raw[0] : raw;
	return value === undefined || value === '' ? undefined : String(value);
}

/** A 429 for the monthly quota (its code, or the quota headers saying nothing is left), not the rate windows. */
function isMonthlyQuota(response: ApiResponse): boolean {
	if (response.statusCode !== 429) return false;
	const { code } = nyneErrorOf(response.body);
	if (code && /monthly|quota/i.test(code)) return true;
	return headerValue(response.headers, 'x-quota-remaining') === '0';
}

function isoTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Where a job stands by its status answer. Nyne's `completed` flag wins over the status text. */
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
	// queued, processing, pending, analyzing, searching, aggregating — and any status we do not know.
	return 'running';
}

interface RunningJob {
	deadline: number;
	timeoutMs: number;
	/** When Nyne accepted it (or the fetch began): polls of older jobs go first. */
	startedAt: number;
	/** The follow-up request the rate budget holds for this job until it is collected or given up. */
	reservation?: Reservation;
	/**
	 * When nothing is waited for (Submit Only, Get Job): how long to keep retrying once Nyne could not be
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
			: ((spec.action === 'get' ? spec.timeoutMs : spec.reachTimeoutMs) ?? polling.reachTimeoutMs);
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
					if (!response.retryable) throw notSubmittedError(response);
					startRetrying(job, this.now());
					await this.backoff(job, attempt, undefined, response);
					continue;
				}
				throw new JobError(
					`The connection to Nyne failed (${response.code}) after the job was sent, so Nyne may have accepted it. It was not sent again, to avoid creating and paying for it twice.`,
					{
						reason: 'network',
						errorCode: response.code,
						description:
							'Check your recent jobs in Nyne, or run this item again if you are sure it was not accepted.',
					},
				);
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
				throw new JobError('Nyne accepted the job but its answer had no request_id.', {
					reason: 'invalidResponse',
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
					throw new JobError(response.message, {
						reason: 'network',
						errorCode: response.code,
						requestId,
					});
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
				throw new JobError(
					waiting
						? `Nyne no longer knows the job ${requestId}: the request expired or was not found while waiting for it.`
						: `Nyne has no job ${requestId} for this API key: the id is wrong, belongs to another key, or has expired.`,
					{
						reason: 'expired',
						httpCode: 404,
						errorCode: code ?? 'request_not_found',
						requestId,
						responseBody: asRecord(response.body),
						// A Base URL with a wrong path answers 404 too; while waiting, the submit proved the path right.
						description: waiting
							? message
							: `${message ? `Nyne says: ${message}. ` : ''}If the id is right, check the Base URL of the Nyne API credential (Nyne's is ${NYNE_BASE_URL}).`,
					},
				);
			}
			if (response.statusCode >= 300) throw httpError(response, requestId);
			const data = envelopeData(response.body);
			if (!data || typeof data.status !== 'string') {
				throw new JobError(`Nyne's status answer for ${requestId} had no status.`, {
					reason: 'invalidResponse',
					httpCode: response.statusCode,
					requestId,
					responseBody: asRecord(response.body),
				});
			}
			if (waiting && jobState(data) === 'failed') {
				const reason = typeof data.error === 'string' ? data.error : nyneErrorOf(data).message;
				throw new JobError(
					`The Nyne job ${requestId} failed: ${reason ?? 'Nyne gave no reason'}.`,
					{
						reason: 'jobFailed',
						requestId,
						errorCode: 'job_failed',
						responseBody: data,
					},
				);
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
		const seconds = Math.round(limit.ms / 1000);
		const bound = limit.retrying
			? `the ${seconds} s this item may spend retrying`
			: `this item's ${seconds} s timeout`;
		if (refusal.reason === 'rateLimited') {
			const resetsAt = isoTime(refusal.resetsAt ?? this.now());
			const inSeconds = Math.max(
				0,
				Math.ceil(((refusal.resetsAt ?? this.now()) - this.now()) / 1000),
			);
			const limited = `Nyne's rate limit for this API key is used up until ${resetsAt} (in ${inSeconds} s), after ${bound}`;
			return requestId
				? new JobError(
						`${limited}, so the Nyne job ${requestId} could not be checked again in time.`,
						{
							reason: 'rateLimited',
							httpCode: 429,
							errorCode: 'rate_limit_exceeded',
							requestId,
							resetsAt,
							description: `The job may still finish: fetch it after ${resetsAt} with the Get Job operation and request ID ${requestId}.`,
						},
					)
				: new JobError(
						`${limited}, so the job was not sent. Nothing was sent to Nyne or charged.`,
						{
							reason: 'rateLimited',
							httpCode: 429,
							errorCode: 'rate_limit_exceeded',
							resetsAt,
						},
					);
		}
		if (requestId) return this.deadlineError(job, requestId);
		const why =
			refusal.reason === 'budget'
				? `the rate budget left before this item's ${seconds} s timeout (about ${refusal.available ?? 0} requests, ${refusal.reserved ?? 0} of them held to collect jobs already running) cannot also collect this job's result`
				: refusal.reason === 'tooLate'
					? `less time is left before this item's ${seconds} s timeout than jobs of this run took to finish (up to ${Math.ceil(this.longestRunTime / 1000)} s)`
					: `${bound} ran out while the job waited for its turn in the rate budget`;
		return new JobError(`Not sent to Nyne: ${why}. Nothing was sent or charged for it.`, {
			reason: 'notAdmitted',
		});
	}

	private quotaError(response: ApiResponse, requestId?: string): JobError {
		const { code, message } = nyneErrorOf(response.body);
		const limit = headerValue(response.headers, 'x-quota-limit');
		const used = headerValue(response.headers, 'x-quota-used');
		const resetEpoch = Number(headerValue(response.headers, 'x-quota-reset'));
		const resetsAt =
			Number.isFinite(resetEpoch) && resetEpoch > 0 ? isoTime(resetEpoch * 1000) : undefined;
		const usage = limit !== undefined ? ` (${used ?? limit} of ${limit})` : '';
		const when = resetsAt ? `it resets at ${resetsAt}` : 'Nyne did not say when it resets';
		return new JobError(
			`Nyne's monthly quota for this API key is used up${usage}; ${when}.${message ? ` Nyne says: ${message}` : ''}`,
			{
				reason: 'quota',
				httpCode: 429,
				errorCode: code ?? 'monthly_limit_exceeded',
				requestId,
				resetsAt,
				responseBody: asRecord(response.body),
				description: requestId
					? `The job ${requestId} was accepted by Nyne; fetch it with the Get Job operation once the quota allows.`
					: 'The job was not accepted, so nothing was charged.',
			},
		);
	}

	/**
	 * Waits before a retry: Retry-After for 429s (the pacer already holds everyone back), exponential
	 * backoff with jitter for 5xx and network errors. Throws instead when the wait would pass the deadline.
	 */
	private async backoff(
		job: RunningJob,
		attempt: number,
		response: ApiResponse | undefined,
		networkError?: NetworkError,
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
			throw new JobError(
				`Nyne could not be reached before the timeout ran out, so the job was not submitted: ${networkError?.message ?? 'network error'}`,
				{ reason: 'network', errorCode: networkError?.code },
			);
		}
		const wait = resumeAt - this.now();
		if (wait > 0) await this.options.sleep(wait, this.options.signal);
	}

	private deadlineError(job: RunningJob, requestId: string): JobError {
		const seconds = Math.round(job.timeoutMs / 1000);
		return new JobError(
			`The Nyne job ${requestId} did not finish within the ${seconds} s timeout.`,
			{
				reason: 'deadline',
				requestId,
				description: `The job may still finish: fetch it later with the Get Job operation and request ID ${requestId}, or raise the Timeout option.`,
			},
		);
	}

	private asJobError(error: unknown): JobError {
		if (error instanceof JobError) return error;
		if (this.options.signal?.aborted) {
			return new JobError('The execution was cancelled before the Nyne job finished.', {
				reason: 'cancelled',
			});
		}
		if (error instanceof NetworkError) {
			return new JobError(`Nyne could not be reached: ${error.message}`, {
				reason: 'network',
				errorCode: error.code,
			});
		}
		return new JobError(error instanceof Error ? error.message : String(error), {
			reason: 'network',
		});
	}
}

/** Same action, same kind and the same fields in any key order → the same job. */
export function dedupeKey(spec: JobSpec): string {
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

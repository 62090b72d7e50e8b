/**
 * Every default and bound of the job engine, written once. The node's options (defaults, min/max) are
 * derived from these, so the UI and the engine cannot disagree.
 */

export interface PollingOptions {
	/** Wait before the first poll, in ms (a spec may set its own). */
	firstPollDelayMs: number;
	/** Each later wait is the previous one times this factor… */
	backoffFactor: number;
	/** …but never longer than this, in ms. */
	maxPollDelayMs: number;
	/** Give up on a job that is waited for this long after the run started, in ms (a spec may set its own). */
	timeoutMs: number;
	/**
	 * Give up reaching Nyne this long after the run started, in ms, when nothing is waited for (a submit
	 * only, a single status check): how long refused connections, 503s and 429s are retried.
	 */
	reachTimeoutMs: number;
}

export const DEFAULT_POLLING: PollingOptions = {
	firstPollDelayMs: 3000,
	backoffFactor: 1.5,
	maxPollDelayMs: 30_000,
	timeoutMs: 15 * 60_000,
	reachTimeoutMs: 60_000,
};

/** Allowed range of the first poll delay (the node's Poll Interval). */
export const FIRST_POLL_DELAY_BOUNDS_MS = { min: 100, max: 300_000 } as const;

/** Allowed range of the wait timeout (the node's Timeout). */
export const TIMEOUT_BOUNDS_MS = { min: 1000, max: 24 * 3_600_000 } as const;

/** Allowed range of the reach timeout (the node's Submit Timeout). */
export const REACH_TIMEOUT_BOUNDS_MS = { min: 1000, max: 15 * 60_000 } as const;

/** Exponential backoff with jitter after a 5xx or a network error: first delay and cap, in ms. */
export const RETRY_BACKOFF_MS = { base: 1000, max: 30_000 } as const;

/**
 * Requests the rate budget holds for a job that is waited for, from its submit until it is collected: its
 * first poll and one more (a job is often still running at its first poll). Each poll that finds the job
 * running spends one, but one always stays held until the job ends.
 */
export const POLLS_RESERVED_PER_JOB = 2;

/** The last status check, made when the deadline has come, may still go this long after it, if the budget is free. */
export const FINAL_CHECK_GRACE_MS = 50;

/** Most requests in flight at once per key, across every job sharing its budget. */
export const MAX_IN_FLIGHT = 8;

/** Added to every reset time so a request is not sent a hair before the server's window turns over. */
export const RESET_MARGIN_MS = 150;

/** The longest timer Node can set (2^31 − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The smallest share of a rate window the pacer keeps for itself when other processes spend the same key
 * (n8n's queue mode: every worker has its own pacer and sees the others only in the rate-limit headers).
 */
export const MIN_SHARE_OF_WINDOW = 1 / 8;

/**
 * The most of what the server has left in a window that may be in flight at once, next to what is already in
 * flight: alone, so that a process starting mid-window meets a 429 or two rather than a burst; with others on
 * the key, because the shares each process estimates add up to more than the whole in a window they started
 * together.
 */
export const MAX_SHARE_OF_TAIL = 1 / 2;

import type { HeaderValue, Sleep } from './types';

/** Added to every reset time so a request is not sent a hair before the server's window turns over. */
const RESET_MARGIN_MS = 150;

export interface RatePacerOptions {
	sleep: Sleep;
	now?: () => number;
	/** Most requests in flight at once, across every job sharing this budget. */
	maxInFlight?: number;
}

function headerNumber(headers: Record<string, HeaderValue>, name: string): number | undefined {
	const raw = headers[name] ?? headers[name.toLowerCase()];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === '') return undefined;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * One rate budget for one Nyne key. Every request waits for a slot here; every response reports its
 * rate-limit headers back. It spends the window's remaining requests at once (fastest for batches), then
 * waits for the window to reset instead of collecting 429s, and holds everyone back after a 429 until
 * `Retry-After` has passed.
 */
export class RatePacer {
	private readonly sleep: Sleep;

	private readonly now: () => number;

	private readonly maxInFlight: number;

	private inFlight = 0;

	/** Requests still allowed in the current window; undefined until a response told us. */
	private remaining: number | undefined;

	private windowResetsAt = 0;

	private blockedUntil = 0;

	private readonly slotWaiters: Array<() => void> = [];

	constructor(options: RatePacerOptions) {
		this.sleep = options.sleep;
		this.now = options.now ?? Date.now;
		this.maxInFlight = options.maxInFlight ?? 8;
	}

	/** Waits until a request may be sent; call the returned function when its response has arrived. */
	async acquire(signal?: AbortSignal): Promise<() => void> {
		for (;;) {
			signal?.throwIfAborted();
			const now = this.now();
			if (now < this.blockedUntil) {
				await this.sleep(this.blockedUntil - now, signal);
				continue;
			}
			if (this.remaining !== undefined && now >= this.windowResetsAt) {
				// The window we knew about is over; the next response tells us about the new one.
				this.remaining = undefined;
			}
			if (this.remaining !== undefined && this.remaining <= 0) {
				await this.sleep(this.windowResetsAt - now, signal);
				continue;
			}
			if (this.inFlight >= this.maxInFlight) {
				await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
				continue;
			}
			break;
		}
		this.inFlight++;
		if (this.remaining !== undefined) this.remaining--;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.inFlight--;
			this.slotWaiters.shift()?.();
		};
	}

	/** Learns from a response's `RateLimit-*` / `X-RateLimit-*` and `Retry-After` headers. */
	observe(statusCode: number, headers: Record<string, HeaderValue>): void {
		const now = this.now();
		const remaining = headerNumber(headers, 'ratelimit-remaining') ?? headerNumber(headers, 'x-ratelimit-remaining');
		let resetInSeconds = headerNumber(headers, 'ratelimit-reset');
		if (resetInSeconds === undefined) {
			const resetEpoch = headerNumber(headers, 'x-ratelimit-reset');
			if (resetEpoch !== undefined) resetInSeconds = Math.max(0, resetEpoch - now / 1000);
		}
		if (remaining !== undefined && resetInSeconds !== undefined) {
			const resetsAt = now + resetInSeconds * 1000 + RESET_MARGIN_MS;
			if (this.remaining === undefined || resetsAt > this.windowResetsAt + 1000) {
				// A new window: requests sent since this one left may already count against it.
				this.windowResetsAt = resetsAt;
				this.remaining = Math.max(0, remaining - Math.max(0, this.inFlight - 1));
			} else {
				// Same window: responses arrive out of order, so keep the more cautious count.
				this.remaining = Math.min(this.remaining, remaining);
			}
		}
		if (statusCode === 429) {
			// Retry-After is the server's own word on when to come back. Without it, wait for the window to
			// reset (or a second, if we know nothing about the window).
			const retryAfter = headerNumber(headers, 'retry-after');
			const until =
				retryAfter !== undefined
					? now + retryAfter * 1000 + RESET_MARGIN_MS
					: Math.max(remaining === undefined ? 0 : this.windowResetsAt, now + 1000);
			this.blockedUntil = Math.max(this.blockedUntil, until);
		}
	}

	/** When the budget next frees up (for deadline decisions), or now if it is free. */
	nextFreeAt(): number {
		const now = this.now();
		let at = Math.max(now, this.blockedUntil);
		if (this.remaining !== undefined && this.remaining <= 0) at = Math.max(at, this.windowResetsAt);
		return at;
	}
}

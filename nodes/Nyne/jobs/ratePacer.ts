import type { HeaderValue, Sleep } from './types';

/** Added to every reset time so a request is not sent a hair before the server's window turns over. */
const RESET_MARGIN_MS = 150;

export interface RatePacerOptions {
	sleep: Sleep;
	now?: () => number;
	/** Most requests in flight at once, across every job sharing this budget. */
	maxInFlight?: number;
}

/**
 * Who goes first when the budget is short: submits (each starts a job running at Nyne, so the sooner the
 * better), then polls, oldest job first (most likely finished). Lower sorts first.
 */
export interface SlotPriority {
	kind: 'submit' | 'poll';
	/** Tie-break within a kind, e.g. when the job was submitted. */
	order?: number;
}

/** A granted slot: report the response's headers (if one came) and free the slot. */
export interface Slot {
	release(response?: { statusCode: number; headers: Record<string, HeaderValue> }): void;
}

interface Waiter {
	rank: [number, number, number];
	grant: (slot: Slot) => void;
	fail: (reason: unknown) => void;
}

function headerNumber(headers: Record<string, HeaderValue>, name: string): number | undefined {
	const raw = headers[name] ?? headers[name.toLowerCase()];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === '') return undefined;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : undefined;
}

function before(a: Waiter, b: Waiter): boolean {
	for (let i = 0; i < 3; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] < b.rank[i];
	return false;
}

/**
 * One rate budget for one Nyne key. Every request waits here for a slot, in priority order; every response
 * reports its rate-limit headers back. It spends the window's remaining requests at once (fastest for
 * batches), then waits for the window to reset instead of collecting 429s, and holds everyone back after
 * a 429 until `Retry-After` has passed.
 */
export class RatePacer {
	private readonly sleep: Sleep;

	private readonly now: () => number;

	private readonly maxInFlight: number;

	private readonly queue: Waiter[] = [];

	private arrivals = 0;

	/** Requests sent and not yet answered: sequence number → how many others were unanswered when it left. */
	private readonly inFlight = new Map<number, number>();

	private sent = 0;

	/** Requests still allowed in the current window; undefined until a response told us. */
	private remaining: number | undefined;

	private windowResetsAt = 0;

	private blockedUntil = 0;

	private wakeUpAt: number | undefined;

	constructor(options: RatePacerOptions) {
		this.sleep = options.sleep;
		this.now = options.now ?? Date.now;
		this.maxInFlight = options.maxInFlight ?? 8;
	}

	/** Waits for a slot; call `release` on the returned slot when the response (or failure) is in. */
	async acquire(signal?: AbortSignal, priority: SlotPriority = { kind: 'submit' }): Promise<Slot> {
		signal?.throwIfAborted();
		return await new Promise<Slot>((resolve, reject) => {
			const waiter: Waiter = {
				rank: [priority.kind === 'submit' ? 0 : 1, priority.order ?? 0, this.arrivals++],
				grant: (slot) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(slot);
				},
				fail: reject,
			};
			const onAbort = () => {
				const index = this.queue.indexOf(waiter);
				if (index >= 0) this.queue.splice(index, 1);
				reject(signal?.reason);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			const at = this.queue.findIndex((other) => before(waiter, other));
			this.queue.splice(at < 0 ? this.queue.length : at, 0, waiter);
			this.pump();
		});
	}

	/** When the budget next frees up (for deadline decisions), or now if it is free. */
	nextFreeAt(): number {
		const now = this.now();
		let at = Math.max(now, this.blockedUntil);
		if (this.remaining !== undefined && this.remaining <= 0) at = Math.max(at, this.windowResetsAt);
		return at;
	}

	/** Grants slots to waiters in order for as long as the budget allows; otherwise sets one wake-up. */
	private pump(): void {
		while (this.queue.length > 0) {
			const now = this.now();
			if (now < this.blockedUntil) return this.wakeUpLater(this.blockedUntil);
			if (this.remaining !== undefined && now >= this.windowResetsAt) {
				// The window we knew about is over; the next response tells us about the new one.
				this.remaining = undefined;
			}
			if (this.remaining !== undefined && this.remaining <= 0) return this.wakeUpLater(this.windowResetsAt);
			if (this.inFlight.size >= this.maxInFlight) return; // a release pumps again
			const waiter = this.queue.shift() as Waiter;
			const seq = this.sent++;
			this.inFlight.set(seq, this.inFlight.size);
			if (this.remaining !== undefined) this.remaining--;
			waiter.grant(this.slot(seq));
		}
	}

	private slot(seq: number): Slot {
		let released = false;
		return {
			release: (response) => {
				if (released) return;
				released = true;
				if (response) this.observe(seq, response.statusCode, response.headers);
				this.inFlight.delete(seq);
				this.pump();
			},
		};
	}

	private wakeUpLater(at: number): void {
		if (this.wakeUpAt !== undefined && this.wakeUpAt <= at) return;
		this.wakeUpAt = at;
		void this.sleep(Math.max(0, at - this.now())).then(() => {
			if (this.wakeUpAt === at) this.wakeUpAt = undefined;
			this.pump();
		});
	}

	/** Learns from a response's `RateLimit-*` / `X-RateLimit-*` and `Retry-After` headers. */
	private observe(seq: number, statusCode: number, headers: Record<string, HeaderValue>): void {
		const now = this.now();
		const remaining = headerNumber(headers, 'ratelimit-remaining') ?? headerNumber(headers, 'x-ratelimit-remaining');
		let resetInSeconds = headerNumber(headers, 'ratelimit-reset');
		if (resetInSeconds === undefined) {
			const resetEpoch = headerNumber(headers, 'x-ratelimit-reset');
			if (resetEpoch !== undefined) resetInSeconds = Math.max(0, resetEpoch - now / 1000);
		}
		if (remaining !== undefined && resetInSeconds !== undefined) {
			// What is left now, at worst: the server's count for this request, less every request it may have
			// counted after it — those sent after it, and those that were still unanswered when it left.
			const sentAfter = this.sent - 1 - seq;
			const unansweredWhenSent = this.inFlight.get(seq) ?? 0;
			const estimate = Math.max(0, remaining - sentAfter - unansweredWhenSent);
			const resetsAt = now + resetInSeconds * 1000 + RESET_MARGIN_MS;
			if (this.remaining === undefined || resetsAt > this.windowResetsAt + 1000) {
				this.windowResetsAt = resetsAt;
				this.remaining = estimate;
			} else {
				// Same window: every estimate is a lower bound, so the largest is the closest.
				this.remaining = Math.max(this.remaining, estimate);
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
}

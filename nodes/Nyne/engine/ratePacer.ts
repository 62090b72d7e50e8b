import { DOCUMENTED_RATE_LIMITS, rateLimitHeaders, type HeaderValue } from '../../shared/nyneApi';
import {
	MAX_IN_FLIGHT,
	MAX_SHARE_OF_TAIL,
	MAX_TIMER_MS,
	MIN_SHARE_OF_WINDOW,
	RESET_MARGIN_MS,
} from './limits';
import type { Sleep } from './types';

export interface RatePacerOptions {
	sleep: Sleep;
	now?: () => number;
	/** Most requests in flight at once, across every job sharing this budget. */
	maxInFlight?: number;
}

/**
 * What a request asks of the budget. Who goes first when the budget is short: submits (each starts a job
 * running at Nyne, so the sooner the better), then polls, oldest job first (most likely finished). Lower
 * sorts first.
 */
export interface SlotPriority {
	kind: 'submit' | 'poll';
	/** Tie-break within a kind, e.g. when the job was submitted. */
	order?: number;
	/** Give up waiting once this time (ms since epoch) has passed; a request at the deadline still goes. */
	deadline?: number;
	/**
	 * For a submit: requests the job will still need before its deadline once accepted (1 when its result
	 * is waited for: at least one poll). The submit is only sent if the budget until the deadline covers
	 * them on top of what the jobs already accepted have reserved; they stay reserved until the
	 * reservation is released.
	 */
	reserve?: number;
	/**
	 * For a submit: how long the job is expected to run (asked each time the submit could go, as the
	 * estimate improves while it waits); it is not sent later than that before the deadline.
	 */
	runMs?: () => number;
}

/** A granted slot: report the response's headers (if one came) and free the slot. */
export interface Slot {
	release(response?: ObservedResponse): void;
	/** Set when the slot was granted with `reserve`: release it when the job is collected or given up. */
	reservation?: Reservation;
}

export interface Reservation {
	/** A poll found the job still running: one reserved request is spent, but at least one stays held. */
	spendOne(): void;
	/** The job was collected or given up: free what it still holds. */
	release(): void;
}

export interface ObservedResponse {
	statusCode: number;
	headers: Record<string, HeaderValue>;
	/**
	 * A 429 for the monthly quota: says nothing about the rate windows, and must not hold the budget back
	 * for the whole billing cycle (the next execution asks again, so an upgraded plan works at once).
	 */
	monthlyQuota?: boolean;
}

export type PacerRefusalReason =
	/** The budget until the deadline cannot also carry this job's follow-up requests. */
	| 'budget'
	/** Too little time is left before the deadline for the job to finish (see `runMs`). */
	| 'tooLate'
	/** The rate limit is exhausted until after the deadline (Retry-After or the window's reset). */
	| 'rateLimited'
	/** The deadline passed while the request waited for its turn. */
	| 'deadline';

/** Why a slot was not granted. Nothing was sent for the request. */
export class PacerRefusal extends Error {
	readonly reason: PacerRefusalReason;

	/** For `rateLimited`: when the budget frees up again (ms since epoch). */
	readonly resetsAt?: number;

	/** For `budget`: the estimated requests left until the deadline, and how many of them are reserved. */
	readonly available?: number;

	readonly reserved?: number;

	constructor(
		reason: PacerRefusalReason,
		details: { resetsAt?: number; available?: number; reserved?: number } = {},
	) {
		super(`rate budget refused the request: ${reason}`);
		this.name = 'PacerRefusal';
		this.reason = reason;
		this.resetsAt = details.resetsAt;
		this.available = details.available;
		this.reserved = details.reserved;
	}
}

interface Waiter {
	rank: [number, number, number];
	deadline: number;
	reserve: number;
	runMs: () => number;
	grant: (slot: Slot) => void;
	refuse: (refusal: PacerRefusal) => void;
}

interface Sent {
	at: number;
	/** How many other requests were unanswered when it left. */
	unansweredBefore: number;
}

/** What the rate-limit headers said about the active window, corrected for what we sent since. */
interface KnownWindow {
	limit: number;
	/** Requests still allowed in it, at worst. */
	remaining: number;
	resetsAt: number;
	/** The window's length: an upper bound learned from the headers, or the documented one. */
	lengthMs: number;
	/** Not seen yet: the window the next request opens, assumed full until a response describes it. */
	assumed?: boolean;
	/** An answer came while it was assumed, without rate-limit headers: asking first teaches nothing. */
	asked?: boolean;
	/** Our first request the window counted (sequence number), and the newest whose answer we used. */
	firstSeq?: number;
	newestSeq?: number;
	/** The most requests others (other n8n processes on this key) had spent of it when one of ours arrived. */
	othersSpent?: number;
	/** Whether the server counted more requests than we had sent: others spend it for sure. */
	othersProven?: boolean;
	/** Once others are seen spending it: our part of what was spent (ours / (ours + others)). */
	share?: number;
	/** What the newest answer left of it on the server, less what we sent after that request. */
	leftOnServer?: number;
}

function before(a: Waiter, b: Waiter): boolean {
	for (let i = 0; i < 3; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] < b.rank[i];
	return false;
}

/**
 * One rate budget for one Nyne key. Every request waits here for a slot, in priority order; every response
 * reports its rate-limit headers back. It spends the window's remaining requests at once (fastest for
 * batches), then waits for the window to reset instead of collecting 429s, and holds everyone back after
 * a 429 until `Retry-After` has passed. It admits a new job only if the budget until the job's deadline can
 * also collect it, next to every job already accepted; no request waits past its deadline. When other
 * processes spend the same key (n8n's queue mode: a pacer per worker), it keeps to its share of each window
 * — in proportion to what it and the others spent of it, as the headers show — and halves that share after
 * a 429, so together they stay under the limit. Near a window's end it keeps only part of what is left in
 * flight, and leaves the last request to the others.
 */
export class RatePacer {
	private readonly sleep: Sleep;

	private readonly now: () => number;

	private readonly maxInFlight: number;

	private readonly queue: Waiter[] = [];

	private arrivals = 0;

	/** Requests sent and not yet answered, by sequence number. */
	private readonly inFlight = new Map<number, Sent>();

	private sent = 0;

	/** Whether any response came back yet (with or without rate-limit headers). */
	private answered = false;

	/** Send times of the last hour's requests, oldest first: the documented hourly limit caps plans. */
	private readonly sentTimes: number[] = [];

	private window: KnownWindow | undefined;

	/** Learned window lengths by limit: each is an upper bound (so estimates of the budget stay low). */
	private readonly windowLengths = new Map<number, number>();

	/** Follow-up requests reserved by accepted, uncollected jobs… */
	private reserved = 0;

	/** …and how many jobs hold them (each holds at least one until it ends). */
	private holders = 0;

	private blockedUntil = 0;

	private wakeUp: { at: number; cancel: AbortController } | undefined;

	/** Our part of the last window we saw, 1 when nobody else spent it: the share a new window starts with. */
	private shareOfLastWindow = 1;

	constructor(options: RatePacerOptions) {
		this.sleep = options.sleep;
		this.now = options.now ?? Date.now;
		this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
	}

	/**
	 * Waits for a slot; call `release` on the returned slot when the response (or failure) is in. Rejects
	 * with a {@link PacerRefusal} when the request cannot go before its deadline, or with the signal's
	 * reason when aborted.
	 */
	async acquire(signal?: AbortSignal, priority: SlotPriority = { kind: 'submit' }): Promise<Slot> {
		signal?.throwIfAborted();
		return await new Promise<Slot>((resolve, reject) => {
			const settle = () => signal?.removeEventListener('abort', onAbort);
			const waiter: Waiter = {
				rank: [priority.kind === 'submit' ? 0 : 1, priority.order ?? 0, this.arrivals++],
				deadline: priority.deadline ?? Infinity,
				reserve: Math.max(0, priority.reserve ?? 0),
				runMs: priority.runMs ?? (() => 0),
				grant: (slot) => {
					settle();
					resolve(slot);
				},
				refuse: (refusal) => {
					settle();
					reject(refusal);
				},
			};
			const onAbort = () => {
				this.remove(waiter);
				reject(signal?.reason);
				this.pump();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			const at = this.queue.findIndex((other) => before(waiter, other));
			this.queue.splice(at < 0 ? this.queue.length : at, 0, waiter);
			this.pump();
		});
	}

	/**
	 * How many requests may be in flight now. One, while the window they would land in is unknown (none
	 * seen yet, or the known one is over): another process on the key may have opened and spent it, so one
	 * request asks first instead of a burst collecting 429s. Once rate-limit headers are known never to
	 * come, no such caution.
	 */
	private inFlightCap(now: number): number {
		const window = this.currentWindow(now);
		const unknown = window ? window.assumed === true && !window.asked : !this.answered;
		if (unknown) return 1;
		if (window?.leftOnServer === undefined) return this.maxInFlight;
		// At most a part of what the server has left may be in flight at once: near a window's end every
		// process on the key sees the same few requests left and would send them all. Alone, half (another
		// process that starts mid-window then costs a 429 or two, not a burst); with others proven on the
		// window, our share of it, at most half (the shares each process estimates add up to more than the
		// whole in a window they started together).
		const part = window.othersProven
			? Math.min(this.share(window), MAX_SHARE_OF_TAIL)
			: MAX_SHARE_OF_TAIL;
		return Math.max(1, Math.min(this.maxInFlight, Math.floor(window.leftOnServer * part)));
	}

	/**
	 * Whether the window's last request is left to others: with others proven on it, each would send it (one
	 * of them then meets a 429) — none does, and each waits for the reset.
	 */
	private lastRequestLeftToOthers(window: KnownWindow): boolean {
		return (
			window.othersProven === true && window.leftOnServer !== undefined && window.leftOnServer <= 1
		);
	}

	/** When the budget next frees up (for deadline decisions), or now if it is free. */
	nextFreeAt(): number {
		const now = this.now();
		let at = Math.max(now, this.blockedUntil);
		const window = this.currentWindow(now);
		if (window && (window.remaining <= 0 || this.lastRequestLeftToOthers(window)))
			at = Math.max(at, window.resetsAt);
		return at;
	}

	/**
	 * Requests this budget can send from now until `deadline`, at worst: what is left of the known window,
	 * plus a full window for every reset before the deadline, capped by the documented hourly limit less
	 * what was sent in the last hour. Before any header, the documented per-minute limit.
	 */
	availableUntil(deadline: number): number {
		const now = this.now();
		const start = Math.max(now, this.blockedUntil);
		if (deadline < start) return 0;
		const window = this.currentWindow(now);
		let estimate: number;
		// Only windows that end before the deadline count: a later window opens with the first request after
		// the previous one ended, so a pause shifts every later window, and a last partial one may not come.
		if (window && start < window.resetsAt) {
			const windows =
				deadline > window.resetsAt ? Math.floor((deadline - window.resetsAt) / window.lengthMs) : 0;
			estimate = window.remaining + windows * Math.floor(window.limit * this.share(window));
		} else {
			// A new window opens with the next request.
			const limit = window?.limit ?? DOCUMENTED_RATE_LIMITS.perMinute.limit;
			const lengthMs = window?.lengthMs ?? DOCUMENTED_RATE_LIMITS.perMinute.windowMs;
			estimate =
				Math.max(1, Math.floor((deadline - start) / lengthMs)) *
					Math.floor(limit * this.shareOfLastWindow) -
				this.inFlight.size;
		}
		const hour = DOCUMENTED_RATE_LIMITS.perHour;
		if (!window || window.lengthMs < hour.windowMs) {
			this.forgetOlderThan(now - hour.windowMs);
			const extraHours = Math.floor((deadline - now) / hour.windowMs);
			estimate = Math.min(estimate, hour.limit - this.sentTimes.length + extraHours * hour.limit);
		}
		return Math.max(0, estimate);
	}

	/** Follow-up requests reserved by accepted, uncollected jobs (for messages and tests). */
	reservedRequests(): number {
		return this.reserved;
	}

	private currentWindow(now: number): KnownWindow | undefined {
		const window = this.window;
		if (!window || now < window.resetsAt) return window;
		// The window we knew about is over. The next request opens a new one of the same size, which the
		// next response describes; until then assume it is full (others may have opened it already, but
		// then their requests' 429s or our first response tell us) — and, if others spent the last one too,
		// that our share of it is what it was.
		if (!window.assumed || this.inFlight.size === 0) {
			this.replaceWindow({
				limit: window.limit,
				remaining: window.limit,
				resetsAt: now + window.lengthMs,
				lengthMs: window.lengthMs,
				assumed: true,
			});
			const next = this.window as KnownWindow;
			next.remaining = Math.floor(next.limit * this.shareOfLastWindow);
		}
		return this.window;
	}

	/** Moves on to another window, remembering our share of the one that ends if we saw it. */
	private replaceWindow(next: KnownWindow): void {
		if (this.window && !this.window.assumed) this.shareOfLastWindow = this.window.share ?? 1;
		this.window = next;
	}

	/** Our share of `window`: what we spent of it next to others, or what it was in the last one. */
	private share(window: KnownWindow | undefined): number {
		return window?.share ?? this.shareOfLastWindow;
	}

	private remove(waiter: Waiter): void {
		const index = this.queue.indexOf(waiter);
		if (index >= 0) this.queue.splice(index, 1);
	}

	private refuse(waiter: Waiter, refusal: PacerRefusal): void {
		this.remove(waiter);
		waiter.refuse(refusal);
	}

	/**
	 * Grants slots to waiters in order for as long as the budget allows, refuses those that cannot go
	 * before their deadline, and sets one wake-up for the next change. A submit the budget cannot carry
	 * yet waits without holding up the polls behind it.
	 */
	private pump(): void {
		for (;;) {
			const now = this.now();
			for (const waiter of [...this.queue]) {
				if (now > waiter.deadline) this.refuse(waiter, new PacerRefusal('deadline'));
			}
			if (this.queue.length === 0) return this.cancelWakeUp();
			const freeAt = this.nextFreeAt();
			if (freeAt > now) {
				// Retry-After or an exhausted window: whoever cannot wait that long hears so at once.
				for (const waiter of [...this.queue]) {
					if (waiter.deadline < freeAt)
						this.refuse(waiter, new PacerRefusal('rateLimited', { resetsAt: freeAt }));
				}
				return this.wakeUpLater(freeAt);
			}
			if (this.inFlight.size >= this.inFlightCap(now)) return this.wakeUpLater(); // a release pumps again
			const next = [...this.queue].find(
				(waiter) => waiter.rank[0] !== 0 || this.admit(waiter, now),
			);
			if (!next) return this.wakeUpLater();
			this.remove(next);
			this.grant(next, now);
		}
	}

	/**
	 * Whether a submit can go now. It can when the budget until its deadline covers it and what it will
	 * reserve, on top of everything reserved already. It is refused when it could not fit even if every
	 * job running kept a single request, or when too little time is left for it to run; otherwise it waits
	 * (reservations shrink as jobs are polled and collected).
	 */
	private admit(waiter: Waiter, now: number): boolean {
		if (now + waiter.runMs() > waiter.deadline) {
			this.refuse(waiter, new PacerRefusal('tooLate'));
			return false;
		}
		const available = this.availableUntil(waiter.deadline);
		if (available - this.reserved >= 1 + waiter.reserve) return true;
		if (available - this.holders < 1 + Math.min(1, waiter.reserve)) {
			this.refuse(waiter, new PacerRefusal('budget', { available, reserved: this.reserved }));
		}
		return false;
	}

	private grant(waiter: Waiter, now: number): void {
		const seq = this.sent++;
		this.inFlight.set(seq, { at: now, unansweredBefore: this.inFlight.size });
		this.sentTimes.push(now);
		this.forgetOlderThan(now - DOCUMENTED_RATE_LIMITS.perHour.windowMs);
		const window = this.currentWindow(now);
		if (window) window.remaining--;
		if (window?.leftOnServer !== undefined) window.leftOnServer--;
		let reservation: Reservation | undefined;
		if (waiter.reserve > 0) {
			let held = waiter.reserve;
			this.reserved += held;
			this.holders++;
			reservation = {
				spendOne: () => {
					if (held <= 1) return;
					held--;
					this.reserved--;
					this.pump();
				},
				release: () => {
					if (held === 0) return;
					this.reserved -= held;
					this.holders--;
					held = 0;
					this.pump();
				},
			};
		}
		waiter.grant({ release: this.releaser(seq), reservation });
	}

	private releaser(seq: number): Slot['release'] {
		let released = false;
		return (response) => {
			if (released) return;
			released = true;
			if (response) {
				this.answered = true;
				this.observe(seq, response);
				if (this.window?.assumed) this.window.asked = true;
			}
			this.inFlight.delete(seq);
			this.pump();
		};
	}

	/**
	 * One wake-up at the earliest of `at` and the waiters' deadlines, never longer than a timer can be. None
	 * without waiters: an hour-long one for a refused queue outlived the run that needed it.
	 */
	private wakeUpLater(at = Infinity): void {
		if (this.queue.length === 0) return this.cancelWakeUp();
		const nextDeadline = Math.min(...this.queue.map((waiter) => waiter.deadline));
		const target = Math.min(at, nextDeadline === Infinity ? Infinity : nextDeadline + 1);
		if (target === Infinity) return this.cancelWakeUp();
		if (this.wakeUp && this.wakeUp.at <= target && this.wakeUp.at > this.now()) return;
		this.cancelWakeUp();
		const cancel = new AbortController();
		const wakeUp = { at: target, cancel };
		this.wakeUp = wakeUp;
		const delay = Math.min(MAX_TIMER_MS, Math.max(0, target - this.now()));
		this.sleep(delay, cancel.signal).then(
			() => {
				if (this.wakeUp === wakeUp) this.wakeUp = undefined;
				this.pump();
			},
			() => undefined, // cancelled: a newer wake-up replaced it
		);
	}

	private cancelWakeUp(): void {
		this.wakeUp?.cancel.abort();
		this.wakeUp = undefined;
	}

	private forgetOlderThan(time: number): void {
		let drop = 0;
		while (drop < this.sentTimes.length && this.sentTimes[drop] <= time) drop++;
		if (drop > 0) this.sentTimes.splice(0, drop);
	}

	/** Learns from a response's `RateLimit-*` / `X-RateLimit-*` and `Retry-After` headers. */
	private observe(seq: number, response: ObservedResponse): void {
		const { statusCode, headers } = response;
		const now = this.now();
		const sent = this.inFlight.get(seq);
		const { limit, remaining, resetInSeconds, retryAfterSeconds } = rateLimitHeaders(headers, now);
		if (remaining !== undefined && resetInSeconds !== undefined && !response.monthlyQuota) {
			this.learnWindow(
				seq,
				sent,
				now,
				limit,
				remaining,
				now + resetInSeconds * 1000 + RESET_MARGIN_MS,
				statusCode !== 429,
			);
		}
		if (statusCode === 429 && !response.monthlyQuota) {
			// Retry-After is the server's own word on when to come back. Without it, wait for the window to
			// reset (or a second, if we know nothing about the window).
			const window = this.currentWindow(now);
			const until =
				retryAfterSeconds !== undefined
					? now + retryAfterSeconds * 1000 + RESET_MARGIN_MS
					: Math.max(remaining !== undefined && window ? window.resetsAt : 0, now + 1000);
			this.blockedUntil = Math.max(this.blockedUntil, until);
			// Spending our share still overran the window: others take more than we saw. Halve it. (Alone, a 429
			// says nothing about others: it comes from a burst before the first header, or a window we misjudged.)
			if (window && this.share(window) < 1)
				window.share = Math.max(MIN_SHARE_OF_WINDOW, this.share(window) / 2);
		}
	}

	private learnWindow(
		seq: number,
		sent: Sent | undefined,
		now: number,
		headerLimit: number | undefined,
		remaining: number,
		resetsAt: number,
		/** False for a 429: the server did not count it. */
		counted: boolean,
	): void {
		// What is left now, at worst: the server's count for this request, less every request it may have
		// counted after it — those sent after it, and those that were still unanswered when it left.
		const sentAfter = this.sent - 1 - seq;
		const unansweredBefore = sent?.unansweredBefore ?? 0;
		const estimate = Math.max(0, remaining - sentAfter - unansweredBefore);
		const limit = headerLimit ?? this.window?.limit ?? remaining + 1;
		// The window's length, at most: if this request was the first the window counted, the window opened
		// when it arrived, after it left. (A later reset minus an earlier one is no bound: resets are rounded
		// up to whole seconds.)
		let length = this.windowLengths.get(limit);
		if (sent && remaining + 1 >= limit) length = Math.min(length ?? Infinity, resetsAt - sent.at);
		if (length !== undefined) this.windowLengths.set(limit, length);
		const known = this.currentWindow(now);
		// A reset in whole seconds, counted from when the server answered, not from when the answer arrived,
		// is up to a second plus a round trip later than the last one read: the same window still.
		const tolerance = 1000 + (sent ? now - sent.at : 0);
		const opened = !known || known.assumed || resetsAt > known.resetsAt + tolerance;
		if (opened)
			this.replaceWindow({
				limit,
				remaining: 0,
				resetsAt,
				lengthMs: length ?? this.documentedLength(resetsAt - now),
			});
		const window = this.window as KnownWindow;
		if (counted) this.countOthers(window, seq, limit, remaining);
		const share = this.share(window);
		if (share < 1 && (opened || seq > (window.newestSeq ?? -1))) {
			// With others on the key: our share of the whole window less what we sent in it, never more than is
			// left (the newest answer is the closest, as others keep spending). A share of what is *left*, answer
			// after answer, would add up to nearly the whole window for every process.
			const ours = this.sent - (window.firstSeq ?? seq);
			window.remaining = Math.max(0, Math.min(estimate, Math.floor(limit * share) - ours));
		} else if (opened) {
			// Alone: what is left.
			window.remaining = estimate;
		} else if (share === 1) {
			// Same window, nobody else seen: every estimate is a lower bound, so the largest is the closest.
			window.remaining = Math.max(window.remaining, estimate);
		}
		if (seq >= (window.newestSeq ?? -1)) window.leftOnServer = estimate;
		window.newestSeq = Math.max(window.newestSeq ?? -1, seq);
		if (!opened && length !== undefined && window.limit === limit)
			window.lengthMs = Math.min(window.lengthMs, length);
	}

	/**
	 * Others spending the same window (other n8n processes on this key) show only in the server's count: it
	 * counted `limit − remaining` requests up to this one, of which ours are at most those we sent from our
	 * first request in the window on (until now). Our share of the window follows what each side spent of it.
	 */
	private countOthers(window: KnownWindow, seq: number, limit: number, remaining: number): void {
		window.firstSeq = Math.min(window.firstSeq ?? seq, seq);
		const ours = seq - window.firstSeq + 1;
		// Several requests in flight reach the server in any order, so some sent after this one may have been
		// counted before it: those alone are no proof of others. Only a count beyond every request we had sent
		// by now is; once that is seen in the window, `ours` above is the closer estimate.
		if (limit - remaining - (this.sent - window.firstSeq) > 0) window.othersProven = true;
		if (!window.othersProven) return;
		const others = limit - remaining - ours;
		if (others <= (window.othersSpent ?? 0)) return;
		window.othersSpent = others;
		window.share = Math.max(MIN_SHARE_OF_WINDOW, ours / (ours + others));
	}

	/** The documented window this reset time fits (until the headers teach us its real length). */
	private documentedLength(resetInMs: number): number {
		const { perMinute, perHour } = DOCUMENTED_RATE_LIMITS;
		return resetInMs <= perMinute.windowMs + RESET_MARGIN_MS + 1000
			? perMinute.windowMs
			: perHour.windowMs;
	}
}

/**
 * Callback delivery with the documented retry policy: first attempt, then up to 5 retries after
 * 1 s, 5 s, 15 s, 1 m, 5 m (× callbackScale), each attempt with a 30 s timeout (× callbackScale).
 * Any non-2xx status, network error or timeout triggers the next retry. Uses undici's `request`.
 */
import { Agent, request } from 'undici';
import type { CallbackAttempt, CallbackDelivery } from './types';

export const DEFAULT_CALLBACK_DELAYS_MS = [1_000, 5_000, 15_000, 60_000, 300_000];
export const DEFAULT_CALLBACK_TIMEOUT_MS = 30_000;

export interface CallbackDispatcherOptions {
	scale: number;
	timeoutMs: number;
	delaysMs: number[];
	logger?: (line: string) => void;
	now: () => number;
}

interface InternalDelivery extends CallbackDelivery {
	waiters: Array<(d: CallbackDelivery) => void>;
}

export class CallbackDispatcher {
	private readonly deliveries: InternalDelivery[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly controllers = new Set<AbortController>();
	private agent = new Agent({
		keepAliveTimeout: 1_000,
		keepAliveMaxTimeout: 1_000,
		connections: 32,
	});
	private stopped = false;

	constructor(private readonly opts: CallbackDispatcherOptions) {}

	deliver(requestId: string, url: string, payload: unknown): CallbackDelivery {
		const delivery: InternalDelivery = {
			requestId,
			url,
			payload,
			state: 'pending',
			attempts: [],
			waiters: [],
		};
		this.deliveries.push(delivery);
		if (this.stopped) this.settle(delivery, 'cancelled');
		else void this.attempt(delivery, 1, 0);
		return delivery;
	}

	list(requestId?: string): CallbackDelivery[] {
		return this.deliveries
			.filter((d) => requestId === undefined || d.requestId === requestId)
			.map(publicView);
	}

	/** Resolves once the (latest) delivery for this request id is delivered, given up or cancelled. */
	waitFor(requestId: string): Promise<CallbackDelivery> | undefined {
		const delivery = [...this.deliveries].reverse().find((d) => d.requestId === requestId);
		if (!delivery) return undefined;
		if (delivery.state !== 'pending') return Promise.resolve(publicView(delivery));
		return new Promise((resolve) => delivery.waiters.push(resolve));
	}

	clear(): void {
		for (let i = this.deliveries.length - 1; i >= 0; i--) {
			if (this.deliveries[i].state !== 'pending') this.deliveries.splice(i, 1);
		}
	}

	async stop(): Promise<void> {
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const c of this.controllers) c.abort(new Error('simulator stopped'));
		this.controllers.clear();
		for (const d of this.deliveries) if (d.state === 'pending') this.settle(d, 'cancelled');
		await this.agent.destroy().catch(() => undefined);
	}

	private settle(delivery: InternalDelivery, state: CallbackDelivery['state']): void {
		delivery.state = state;
		const waiters = delivery.waiters.splice(0);
		for (const w of waiters) w(publicView(delivery));
	}

	private async attempt(
		delivery: InternalDelivery,
		attemptNo: number,
		delayMs: number,
	): Promise<void> {
		if (this.stopped) return;
		const record: CallbackAttempt = {
			requestId: delivery.requestId,
			url: delivery.url,
			attempt: attemptNo,
			delayMs,
			startedAt: this.opts.now(),
		};
		delivery.attempts.push(record);
		const controller = new AbortController();
		this.controllers.add(controller);
		const timeoutMs = Math.max(1, Math.round(this.opts.timeoutMs * this.opts.scale));
		const timeout = setTimeout(
			() => controller.abort(new Error(`timeout after ${timeoutMs} ms`)),
			timeoutMs,
		);
		timeout.unref();
		try {
			const res = await request(delivery.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': 'nyne-simulator-callback/1.0',
				},
				body: JSON.stringify(delivery.payload),
				dispatcher: this.agent,
				signal: controller.signal,
			});
			await res.body.dump().catch(() => undefined);
			record.statusCode = res.statusCode;
			record.ok = res.statusCode >= 200 && res.statusCode < 300;
		} catch (err) {
			record.ok = false;
			const reason = controller.signal.aborted ? controller.signal.reason : err;
			record.error = reason instanceof Error ? reason.message : String(reason);
		} finally {
			clearTimeout(timeout);
			this.controllers.delete(controller);
			record.finishedAt = this.opts.now();
		}
		this.opts.logger?.(
			`callback ${delivery.requestId} attempt ${attemptNo} → ${delivery.url}: ${record.ok ? 'ok' : 'failed'} ` +
				`(${record.statusCode ?? record.error})`,
		);
		if (this.stopped) return;
		if (record.ok) {
			this.settle(delivery, 'delivered');
			return;
		}
		const nextDelay = this.opts.delaysMs[attemptNo - 1];
		if (nextDelay === undefined) {
			this.settle(delivery, 'gave_up');
			return;
		}
		const realDelay = Math.max(0, Math.round(nextDelay * this.opts.scale));
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			void this.attempt(delivery, attemptNo + 1, realDelay);
		}, realDelay);
		timer.unref();
		this.timers.add(timer);
	}
}

function publicView(d: CallbackDelivery): CallbackDelivery {
	return {
		requestId: d.requestId,
		url: d.url,
		payload: d.payload,
		state: d.state,
		attempts: d.attempts.map((a) => ({ ...a })),
	};
}

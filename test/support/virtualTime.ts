/**
 * Virtual time for unit tests of code that takes `sleep` and `now` as parameters: when every task is
 * waiting, time jumps to the next wake-up. Tests of minutes of backoff run in milliseconds and assert
 * exact times, with nothing flaky about them.
 */
export class VirtualClock {
	now = 0;

	private timers: Array<{
		at: number;
		resolve: () => void;
		reject: (error: unknown) => void;
		seq: number;
	}> = [];

	private seq = 0;

	readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> =>
		await new Promise<void>((resolve, reject) => {
			signal?.throwIfAborted();
			const timer = { at: this.now + Math.max(0, ms), resolve, reject, seq: this.seq++ };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((other) => other !== timer);
					reject(signal.reason);
				},
				{ once: true },
			);
		});

	readonly clock = () => this.now;

	/** Sleeps still waiting (neither woken nor aborted): timers the code under test has left running. */
	get pendingTimers(): number {
		return this.timers.length;
	}

	/** Awaits `promise`, advancing virtual time whenever nothing else can run. */
	async run<T>(promise: Promise<T>): Promise<T> {
		let settled = false;
		promise.then(
			() => (settled = true),
			() => (settled = true),
		);
		while (!settled) {
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) break;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift();
			if (!next) continue;
			this.now = Math.max(this.now, next.at);
			next.resolve();
		}
		return await promise;
	}
}

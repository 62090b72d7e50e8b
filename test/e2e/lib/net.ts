import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

const handedOut = new Set<number>();

/**
 * A TCP port that is free on 127.0.0.1 right now (the OS picks it). Ports handed out earlier in
 * this process are skipped, so two instances started back to back never get the same one.
 */
export async function getFreePort(): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.once('error', reject);
			server.listen(0, LOOPBACK, () => {
				const address = server.address();
				const found = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(found));
			});
		});
		if (port > 0 && !handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('could not find a free TCP port on 127.0.0.1');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
	timeoutMs?: number;
	intervalMs?: number;
	/** Shown in the timeout error. */
	description?: string;
}

/**
 * Poll `probe` until it returns something other than `undefined`/`false`, and return that.
 * Errors thrown by the probe count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(
	probe: () => Promise<T | undefined | false>,
	options: WaitOptions = {},
): Promise<T> {
	const { timeoutMs = 30_000, intervalMs = 250, description = 'condition' } = options;
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const why = lastError instanceof Error ? `: ${lastError.message}` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${why}`);
		}
		await sleep(intervalMs);
	}
}

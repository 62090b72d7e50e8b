/**
 * A logger that keeps what n8n logs in memory instead of printing it.
 *
 * It replaces n8n's winston Logger in the DI container (used by node contexts as `this.logger`, by the
 * outbound HTTP client and by the ErrorReporter, which logs every node error) and backs n8n-workflow's
 * LoggerProxy. Tests can then assert on what was logged, e.g. that no credential secret ever was.
 * Set N8N_HARNESS_LOG=1 to also print the entries.
 */
import type { LogMetadata, Logger as WorkflowLogger } from 'n8n-workflow';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
	level: LogLevel;
	message: string;
	/** The metadata as n8n passed it (errors included), for inspection. */
	metadata?: LogMetadata;
	/** Message and metadata rendered to text, for searching (e.g. for leaked secrets). */
	text: string;
}

const entries: LogEntry[] = [];

function render(value: unknown, seen = new WeakSet<object>(), depth = 0): string {
	if (value === null || value === undefined) return String(value);
	if (typeof value !== 'object') return String(value);
	if (seen.has(value) || depth > 8) return '[…]';
	seen.add(value);
	if (value instanceof Error) {
		const own = Object.getOwnPropertyNames(value).map(
			(key) =>
				`${key}=${render((value as unknown as Record<string, unknown>)[key], seen, depth + 1)}`,
		);
		return `${value.name}(${own.join(', ')})`;
	}
	if (Array.isArray(value))
		return `[${value.map((entry) => render(entry, seen, depth + 1)).join(', ')}]`;
	const parts = Object.keys(value).map(
		(key) => `${key}: ${render((value as Record<string, unknown>)[key], seen, depth + 1)}`,
	);
	return `{${parts.join(', ')}}`;
}

function record(level: LogLevel, message: string, metadata?: LogMetadata): void {
	const entry: LogEntry = { level, message, metadata, text: `${message} ${render(metadata)}` };
	entries.push(entry);
	if (process.env.N8N_HARNESS_LOG === '1') {
		// eslint-disable-next-line no-console
		console.log(`[n8n ${level}] ${entry.text}`);
	}
}

/** The object put into the DI container in place of `@n8n/backend-common`'s Logger. */
export class CapturingLogger implements WorkflowLogger {
	error(message: string, metadata?: LogMetadata): void {
		record('error', message, metadata);
	}

	warn(message: string, metadata?: LogMetadata): void {
		record('warn', message, metadata);
	}

	info(message: string, metadata?: LogMetadata): void {
		record('info', message, metadata);
	}

	debug(message: string, metadata?: LogMetadata): void {
		record('debug', message, metadata);
	}

	/** n8n's Logger API: scoped loggers log to the same place. */
	scoped(): CapturingLogger {
		return this;
	}
}

/** Everything n8n logged since the last {@link clearLogs} (or since the test file started). */
export function getLogs(): readonly LogEntry[] {
	return entries;
}

/** All log entries rendered to one string, convenient for `expect(text).not.toContain(secret)`. */
export function logText(): string {
	return entries.map((entry) => `[${entry.level}] ${entry.text}`).join('\n');
}

export function clearLogs(): void {
	entries.length = 0;
}

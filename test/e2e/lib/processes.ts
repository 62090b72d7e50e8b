/**
 * Child processes for the e2e harness: every process is spawned in its own process group
 * (`detached: true`) so that it and everything it starts (n8n's task runners, npm's children)
 * can be killed together.
 *
 * Cleanup does not depend on the test reaching its afterAll: each group gets a tiny "reaper"
 * (`sh` blocked reading a pipe from this process) that SIGKILLs the group as soon as this
 * process is gone — however it ends, including SIGKILL or a jest worker being torn down. (Inside
 * jest, `process.on('exit')` does not work: tests see a copy of `process` whose events never fire.)
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const liveGroups = new Set<number>();
let exitHooksInstalled = false;

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false; // ESRCH: the group is gone
	}
}

/** SIGKILL every process group this module started that may still be alive. Synchronous. */
export function killAllProcessGroups(): void {
	for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
	liveGroups.clear();
	for (const pgid of [...reapers.keys()]) releaseReaper(pgid);
}

function installExitHooks(): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.on('exit', killAllProcessGroups);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		// `once`: after cleaning up, re-raise so the default behaviour (terminate) still happens.
		process.once(signal, () => {
			killAllProcessGroups();
			process.kill(process.pid, signal);
		});
	}
}

const reapers = new Map<number, ChildProcess>();

/**
 * Start a reaper for process group `pgid`: it waits for EOF on its stdin — which comes when this
 * process closes the pipe (see {@link releaseReaper}) or dies — and then SIGKILLs the group.
 */
function startReaper(pgid: number): void {
	const reaper = spawn(
		'sh',
		['-c', 'cat >/dev/null; kill -9 "-$1" 2>/dev/null; exit 0', 'n8n-e2e-reaper', String(pgid)],
		{
			detached: true, // its own group: killing the watched group must not kill the reaper
			stdio: ['pipe', 'ignore', 'ignore'],
		},
	);
	reaper.on('error', () => undefined);
	reaper.stdin?.on('error', () => undefined);
	// Neither the reaper nor its pipe may keep this process alive.
	reaper.unref();
	(reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
	reapers.set(pgid, reaper);
}

function releaseReaper(pgid: number): void {
	const reaper = reapers.get(pgid);
	reapers.delete(pgid);
	reaper?.stdin?.end();
}

/**
 * Spawn `command` as the leader of a new process group that is killed when this process exits.
 * The returned child does not keep the event loop alive (it is unref'd): keep a reference and
 * stop it with {@link stopGroup}, or it dies with this process.
 */
export function spawnGroup(
	command: string,
	args: readonly string[],
	options: SpawnOptions = {},
): ChildProcess {
	installExitHooks();
	const child = spawn(command, args, { ...options, detached: true });
	if (child.pid !== undefined) {
		liveGroups.add(child.pid);
		startReaper(child.pid);
	}
	child.unref();
	return child;
}

/**
 * Stop a process group started by {@link spawnGroup}: SIGTERM, wait up to `graceMs` for the
 * leader to exit, then SIGKILL the whole group (also reaping children the leader left behind).
 */
export async function stopGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
	const pgid = child.pid;
	if (pgid === undefined) return;
	const exited = child.exitCode !== null || child.signalCode !== null;
	if (!exited) {
		const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		signalGroup(pgid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<void>((resolve) => {
			timer = setTimeout(resolve, graceMs);
		});
		await Promise.race([exit, timeout]);
		clearTimeout(timer);
	}
	signalGroup(pgid, 'SIGKILL');
	liveGroups.delete(pgid);
	releaseReaper(pgid);
}

export interface CommandResult {
	command: string;
	args: string[];
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export class CommandError extends Error {
	constructor(
		message: string,
		readonly result: CommandResult,
	) {
		super(message);
		this.name = 'CommandError';
	}
}

export interface RunCommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the process group and reject after this long. Default 120 s. */
	timeoutMs?: number;
	/** Resolve (instead of rejecting) when the exit code is not 0. */
	allowFailure?: boolean;
	/** Called with every chunk of output as it arrives (e.g. to stream a long install). */
	onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** Run a command to completion in its own process group, collecting its output. */
export function runCommand(
	command: string,
	args: readonly string[],
	options: RunCommandOptions = {},
): Promise<CommandResult> {
	const { timeoutMs = 120_000 } = options;
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawnGroup(command, args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			options.onOutput?.(chunk, 'stdout');
		});
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			options.onOutput?.(chunk, 'stderr');
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			void stopGroup(child, 2_000);
		}, timeoutMs);
		const result = (exitCode: number | null, signal: NodeJS.Signals | null): CommandResult => ({
			command,
			args: [...args],
			exitCode,
			signal,
			stdout,
			stderr,
			durationMs: Date.now() - started,
		});
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(new CommandError(`failed to start ${command}: ${error.message}`, result(null, null)));
		});
		child.once('close', (exitCode, signal) => {
			clearTimeout(timer);
			// The leader is gone; reap anything it left in its group.
			if (child.pid !== undefined) {
				signalGroup(child.pid, 'SIGKILL');
				liveGroups.delete(child.pid);
				releaseReaper(child.pid);
			}
			const res = result(exitCode, signal);
			const shown = `${command} ${args.join(' ')}`;
			if (timedOut) {
				reject(
					new CommandError(
						`timed out after ${timeoutMs} ms: ${shown}\n${tail(stdout + stderr)}`,
						res,
					),
				);
			} else if (exitCode !== 0 && !options.allowFailure) {
				reject(
					new CommandError(
						`exit code ${exitCode ?? signal}: ${shown}\n--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`,
						res,
					),
				);
			} else {
				resolve(res);
			}
		});
	});
}

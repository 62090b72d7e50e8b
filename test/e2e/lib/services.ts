/**
 * Throw-away PostgreSQL and Redis servers for n8n's queue mode: each on a free port on 127.0.0.1 with its
 * own temporary data folder, started from Debian's binaries (scripts/install-queue-services.sh installs
 * them) and stopped — folder deleted — by `stop()`. They die with the test process like every group
 * started by processes.ts.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { getFreePort, LOOPBACK, waitFor } from './net';
import { runCommand, spawnGroup, stopGroup } from './processes';

const INSTALL_HINT =
	'run scripts/install-queue-services.sh (apt-get install redis-server postgresql)';

/** The newest PostgreSQL under /usr/lib/postgresql/<major>/bin (Debian's layout). */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((entry) => fs.existsSync(path.join(root, entry, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors.length === 0) throw new Error(`PostgreSQL not found under ${root}: ${INSTALL_HINT}`);
	return path.join(root, majors[0], 'bin');
}

/**
 * PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user Debian's package
 * creates (setpriv execs, so the server stays the leader of its process group).
 */
function unprivileged():
	| { uid: number; gid: number; wrap: (command: string, args: string[]) => [string, string[]] }
	| undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line)
		throw new Error(
			`running as root, but there is no "postgres" user to run PostgreSQL as: ${INSTALL_HINT}`,
		);
	const [, , uid, gid] = line.split(':');
	return {
		uid: Number(uid),
		gid: Number(gid),
		wrap: (command, args) => [
			'setpriv',
			[`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', command, ...args],
		],
	};
}

export interface PostgresServer {
	host: string;
	port: number;
	user: string;
	database: string;
	/** Rows of a SELECT, as JSON (psql over TCP). */
	query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
	stop(): Promise<void>;
}

/** initdb into a temporary folder, then `postgres` on 127.0.0.1:<free port>, trust auth, one database. */
export async function startPostgres(
	options: { user?: string; database?: string } = {},
): Promise<PostgresServer> {
	const { user = 'n8n', database = 'n8n' } = options;
	const bin = postgresBinDir();
	const asUser = unprivileged();
	const wrap = (command: string, args: string[]): [string, string[]] =>
		asUser ? asUser.wrap(command, args) : [command, args];
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pg-'));
	const dataDir = path.join(root, 'data');
	if (asUser) fs.chownSync(root, asUser.uid, asUser.gid);
	let server: ChildProcess | undefined;
	const stop = async () => {
		if (server) await stopGroup(server, 15_000);
		server = undefined;
		fs.rmSync(root, { recursive: true, force: true });
	};
	try {
		// No fsync and no locale: the data is thrown away, and initdb is several times faster.
		await runCommand(
			...wrap(path.join(bin, 'initdb'), [
				'-D',
				dataDir,
				'-U',
				user,
				'-A',
				'trust',
				'-E',
				'UTF8',
				'--no-locale',
				'--no-sync',
			]),
			{
				cwd: root,
				timeoutMs: 120_000,
			},
		);
		const port = await getFreePort();
		const log = fs.openSync(path.join(root, 'postgres.log'), 'a');
		const settings = [
			'listen_addresses=' + LOOPBACK,
			`port=${port}`,
			'unix_socket_directories=',
			'fsync=off',
			'synchronous_commit=off',
			'full_page_writes=off',
			'max_connections=100',
		];
		server = spawnGroup(
			...wrap(path.join(bin, 'postgres'), ['-D', dataDir, ...settings.flatMap((s) => ['-c', s])]),
			{
				cwd: root,
				stdio: ['ignore', log, log],
			},
		);
		fs.closeSync(log);
		const started = server;
		const psql = (db: string, sql: string) =>
			runCommand(
				path.join(bin, 'psql'),
				[
					'-X',
					'-q',
					'-A',
					'-t',
					'-v',
					'ON_ERROR_STOP=1',
					'-h',
					LOOPBACK,
					'-p',
					String(port),
					'-U',
					user,
					'-d',
					db,
					'-c',
					sql,
				],
				{
					timeoutMs: 30_000,
				},
			);
		await waitFor(
			async () => {
				if (started.exitCode !== null || started.signalCode !== null)
					throw new Error('postgres exited');
				await psql('postgres', 'SELECT 1');
				return true;
			},
			{ timeoutMs: 60_000, intervalMs: 200, description: `PostgreSQL on ${LOOPBACK}:${port}` },
		);
		await psql('postgres', `CREATE DATABASE ${database}`);
		return {
			host: LOOPBACK,
			port,
			user,
			database,
			async query<Row>(sql: string): Promise<Row[]> {
				const { stdout } = await psql(
					database,
					`SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t`,
				);
				return JSON.parse(stdout) as Row[];
			},
			stop,
		};
	} catch (error) {
		const log = path.join(root, 'postgres.log');
		const tail = fs.existsSync(log)
			? fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n')
			: '';
		await stop();
		throw new Error(`${(error as Error).message}\n--- postgres log ---\n${tail}`);
	}
}

export interface RedisServer {
	host: string;
	port: number;
	stop(): Promise<void>;
}

/** Answers PING with +PONG? (Redis's inline protocol; no client library needed.) */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, LOOPBACK);
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2_000, () => done(false));
		socket.once('error', () => done(false));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
		socket.once('connect', () => socket.write('PING\r\n'));
	});
}

/** `redis-server` on 127.0.0.1:<free port>, no persistence, working folder in a temporary folder. */
export async function startRedis(): Promise<RedisServer> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-redis-'));
	const port = await getFreePort();
	let server: ChildProcess | undefined;
	const stop = async () => {
		if (server) await stopGroup(server, 10_000);
		server = undefined;
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
	try {
		server = spawnGroup(
			'redis-server',
			[
				'--bind',
				LOOPBACK,
				'--port',
				String(port),
				'--dir',
				dir,
				'--save',
				'',
				'--appendonly',
				'no',
				'--daemonize',
				'no',
				'--protected-mode',
				'yes',
			],
			{ cwd: dir, stdio: ['ignore', log, log] },
		);
		const started = server;
		await new Promise<void>((resolve, reject) => {
			started.once('spawn', resolve);
			started.once('error', (error) =>
				reject(new Error(`redis-server: ${error.message}; ${INSTALL_HINT}`)),
			);
		});
		await waitFor(
			async () => {
				if (started.exitCode !== null || started.signalCode !== null)
					throw new Error('redis-server exited');
				return await redisPing(port);
			},
			{ timeoutMs: 30_000, intervalMs: 100, description: `Redis on ${LOOPBACK}:${port}` },
		);
		return { host: LOOPBACK, port, stop };
	} catch (error) {
		const file = path.join(dir, 'redis.log');
		const tail = fs.existsSync(file)
			? fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
			: '';
		await stop();
		throw new Error(`${(error as Error).message}\n--- redis log ---\n${tail}`);
	} finally {
		fs.closeSync(log);
	}
}

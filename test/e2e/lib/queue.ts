/**
 * n8n in queue mode, as users scale it: PostgreSQL as the shared database, Redis as the queue, one main
 * process (`n8n start`, EXECUTIONS_MODE=queue), workers (`n8n worker`) that run the executions, and a webhook
 * processor (`n8n webhook`) that receives production webhook calls and queues their executions. Every
 * process has its own user folder with the community package installed (as on separate machines), its own
 * ports on 127.0.0.1 and log file; they share the database, Redis and the encryption key.
 *
 *   const cluster = await createQueueCluster({ tarball, workers: 2 });
 *   try {
 *     await cluster.main.importWorkflow(json); await cluster.main.publishWorkflow(id);
 *     await cluster.start();
 *     await postTo(cluster.webhook.url(`/webhook/${path}`), body);   // queued, run by a worker
 *     await cluster.waitForExecutions(id, 1);
 *   } finally {
 *     await cluster.dispose();
 *   }
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { createN8nInstance, type N8nInstance, type WorkflowJson } from './instance';
import { getFreePort, LOOPBACK, waitFor } from './net';
import { spawnGroup, stopGroup } from './processes';
import type { N8nRestSession } from './rest';
import type { RunJson } from './run-data';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from './services';

export interface QueueClusterOptions {
	/** The packed community package, installed into every process's user folder. */
	tarball: string;
	/** How many `n8n worker` processes. Default 2. */
	workers?: number;
	/** `n8n worker --concurrency`. Default 1, so two executions need two workers. */
	workerConcurrency?: number;
	/** Extra environment for every process. */
	env?: Record<string, string>;
}

export interface QueueExecutionRow {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/** A worker or webhook processor: an n8n command with a readiness URL. */
export class QueueProcess {
	private child?: ChildProcess;

	readonly logFile: string;

	constructor(
		readonly name: string,
		readonly instance: N8nInstance,
		private readonly args: string[],
		/** The port its HTTP server listens on: webhooks for `n8n webhook`, health checks for `n8n worker`. */
		readonly port: number,
		private readonly env: Record<string, string>,
	) {
		this.logFile = path.join(instance.userFolder, `n8n-${name}.log`);
	}

	url(pathname: string): string {
		return `http://${LOOPBACK}:${this.port}${pathname}`;
	}

	get isRunning(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	logs(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	/** Starts the process; resolves when /healthz/readiness answers 200 (database and Redis connected). */
	async start(timeoutMs = 180_000): Promise<void> {
		if (this.isRunning) return;
		const log = fs.openSync(this.logFile, 'a');
		const [command, args] = this.instance.command(...this.args);
		const child = spawnGroup(command, args, {
			cwd: this.instance.userFolder,
			env: this.instance.env(this.env),
			stdio: ['ignore', log, log],
		});
		fs.closeSync(log);
		this.child = child;
		try {
			const outcome = await waitFor(
				async () => {
					if (child.exitCode !== null || child.signalCode !== null) return 'exited';
					const res = await request(this.url('/healthz/readiness'), { reset: true });
					await res.body.dump();
					return res.statusCode === 200 ? 'ready' : undefined;
				},
				{ timeoutMs, intervalMs: 300, description: `${this.name} readiness on port ${this.port}` },
			);
			if (outcome === 'exited')
				throw new Error(`${this.name} exited early (${child.exitCode ?? child.signalCode})`);
		} catch (error) {
			await this.stop();
			const tail = this.logs().split('\n').slice(-60).join('\n');
			throw new Error(
				`${(error as Error).message}\n--- ${this.name} log (${this.logFile}) ---\n${tail}`,
			);
		}
	}

	async stop(): Promise<void> {
		const child = this.child;
		this.child = undefined;
		if (child) await stopGroup(child, 20_000);
	}
}

export class N8nQueueCluster {
	constructor(
		readonly postgres: PostgresServer,
		readonly redis: RedisServer,
		/** `n8n start` in queue mode: editor, REST API, activation; also answers production webhooks. */
		readonly main: N8nInstance,
		readonly workers: QueueProcess[],
		/** `n8n webhook`: production webhooks only. */
		readonly webhook: QueueProcess,
	) {}

	/** Main first (it runs the database migrations), then the workers and the webhook processor together. */
	async start(): Promise<void> {
		await this.main.start({ timeoutMs: 240_000 });
		await Promise.all([...this.workers, this.webhook].map((p) => p.start()));
	}

	/**
	 * Waits until `url` is routed by the process listening on it, without triggering the workflow: a CORS
	 * preflight makes n8n look the webhook up (2xx when registered, 404 when not).
	 */
	async waitForWebhook(url: string, method = 'POST'): Promise<void> {
		await waitFor(
			async () => {
				const res = await request(url, {
					method: 'OPTIONS',
					reset: true, // leave no keep-alive connection behind for a webhook call to trip over
					headers: { origin: this.main.baseUrl, 'access-control-request-method': method },
				});
				await res.body.dump();
				return res.statusCode >= 200 && res.statusCode < 300;
			},
			{ timeoutMs: 60_000, description: `${method} ${url} to be registered` },
		);
	}

	/** Executions of a workflow, oldest first (n8n's public API on the main process; never its database). */
	executions(workflowId: string): Promise<QueueExecutionRow[]> {
		return this.main.executions(workflowId);
	}

	/** Waits until the workflow has at least `count` finished executions; returns them, oldest first. */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 120_000,
	): Promise<QueueExecutionRow[]> {
		let seen: QueueExecutionRow[] = [];
		try {
			return await waitFor(
				async () => {
					seen = await this.executions(workflowId);
					const done = seen.filter((e) => FINAL_STATUSES.has(e.status));
					return done.length >= count ? done : undefined;
				},
				{
					timeoutMs,
					intervalMs: 500,
					description: `${count} finished execution(s) of ${workflowId}`,
				},
			);
		} catch (error) {
			const summary = seen.map((e) => `#${e.id}:${e.status}`).join(', ') || 'none';
			throw new Error(`${(error as Error).message} (executions so far: ${summary})`);
		}
	}

	/** The stored run data of an execution (public API on the main process). */
	getExecution(executionId: number | string): Promise<RunJson> {
		return this.main.getExecution(executionId);
	}

	/** The workflow's static data as n8n has saved it (public API on the main process). */
	staticData(workflowId: string): Promise<Record<string, unknown> | null> {
		return this.main.workflowStaticData(workflowId);
	}

	/** Which worker ran each execution, from the workers' "Worker started execution N" log lines. */
	workerOfExecutions(): Map<number, string> {
		const owners = new Map<number, string>();
		for (const worker of this.workers) {
			for (const match of worker.logs().matchAll(/Worker started execution (\d+)/g))
				owners.set(Number(match[1]), worker.name);
		}
		return owners;
	}

	async dispose(): Promise<void> {
		await Promise.allSettled([...this.workers, this.webhook].map((p) => p.stop()));
		await Promise.allSettled([this.main.dispose()]);
		await Promise.allSettled([...this.workers, this.webhook].map((p) => p.instance.dispose()));
		await Promise.allSettled([this.postgres.stop(), this.redis.stop()]);
	}
}

/**
 * Creates a credential through the REST API, as the editor does (no CLI process to boot); returns its id.
 * Needs a running main process and its owner session.
 */
export async function createCredentialViaRest(
	session: N8nRestSession,
	credential: { name: string; type: string; data: Record<string, unknown> },
): Promise<{ id: string; name: string }> {
	const created = await session.call<{ id: string; name: string }>(
		'POST',
		'/rest/credentials',
		credential,
	);
	return { id: created.id, name: created.name };
}

/** Creates a workflow through the REST API (keeping its id when it has one) and publishes it; returns its id. */
export async function createActiveWorkflowViaRest(
	session: N8nRestSession,
	workflow: WorkflowJson,
): Promise<string> {
	const { active: _active, ...body } = workflow;
	const created = await session.call<{ id: string; versionId: string }>('POST', '/rest/workflows', {
		settings: {},
		...body,
	});
	await session.call('POST', `/rest/workflows/${created.id}/activate`, {
		versionId: created.versionId,
	});
	return created.id;
}

/** Starts PostgreSQL and Redis and prepares (does not start) main, workers and a webhook processor. */
export async function createQueueCluster(options: QueueClusterOptions): Promise<N8nQueueCluster> {
	const { tarball, workers = 2, workerConcurrency = 1 } = options;
	const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	const created: N8nInstance[] = [];
	try {
		const shared: Record<string, string> = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Every process decrypts the same credentials.
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			...options.env,
		};
		const main = await createN8nInstance({ tarball, env: shared });
		created.push(main);
		const sibling = async () => {
			const instance = await createN8nInstance({ paths: main.paths, env: shared });
			created.push(instance);
			// The same installed package, copied rather than installed again (an npm install per process).
			fs.cpSync(
				path.join(main.userFolder, '.n8n', 'nodes'),
				path.join(instance.userFolder, '.n8n', 'nodes'),
				{ recursive: true },
			);
			return instance;
		};
		const workerProcesses: QueueProcess[] = [];
		for (let index = 1; index <= workers; index++) {
			const instance = await sibling();
			const port = await getFreePort();
			workerProcesses.push(
				new QueueProcess(
					`worker-${index}`,
					instance,
					['worker', `--concurrency=${workerConcurrency}`],
					port,
					{
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(port),
						N8N_WORKER_SERVER_ADDRESS: LOOPBACK,
					},
				),
			);
		}
		const webhookInstance = await sibling();
		const webhook = new QueueProcess(
			'webhook',
			webhookInstance,
			['webhook'],
			webhookInstance.port,
			{},
		);
		return new N8nQueueCluster(postgres, redis, main, workerProcesses, webhook);
	} catch (error) {
		await Promise.allSettled(created.map((instance) => instance.dispose()));
		await Promise.allSettled([postgres.stop(), redis.stop()]);
		throw error;
	}
}

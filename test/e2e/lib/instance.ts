/**
 * A throw-away n8n instance for end-to-end tests: its own user folder (sqlite database, settings,
 * community packages), its own ports on 127.0.0.1, driven through the real `n8n` CLI and, once
 * started, its HTTP server.
 *
 *   const n8n = await createN8nInstance({ tarball });
 *   try {
 *     await n8n.importCredentials([{ id: 'cred1', name: 'Nyne', type: 'nyneApi', data: {...} }]);
 *     const id = await n8n.importWorkflow(workflowJson);
 *     const run = await n8n.execute(id);               // CLI run, no server needed
 *     nodeOutput(run, 'Nyne');
 *   } finally {
 *     await n8n.dispose();
 *   }
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { ensureN8n, type N8nPaths } from './install';
import { getFreePort, LOOPBACK, waitFor } from './net';
import {
	CommandError,
	runCommand,
	spawnGroup,
	stopGroup,
	type CommandResult,
	type RunCommandOptions,
} from './processes';
import { N8nPublicApi, type PublicExecution } from './public-api';
import {
	DEFAULT_OWNER,
	N8nRestSession,
	RestError,
	type NodeTypeDescription,
	type OwnerAccount,
} from './rest';
import { findRunJson, type RunJson } from './run-data';

export interface CreateN8nInstanceOptions {
	/** A community package tarball (`npm pack` output) to install into `<userFolder>/.n8n/nodes`. */
	tarball?: string;
	/** Extra environment for every n8n process of this instance (wins over the defaults). */
	env?: Record<string, string>;
	/** An n8n install to use instead of {@link ensureN8n}'s. */
	paths?: N8nPaths;
	/** Keep the user folder on dispose(). Default: N8N_E2E_KEEP=1 in the environment. */
	keepUserFolder?: boolean;
}

export interface CredentialImport {
	/** Default: a generated id (returned by importCredentials). */
	id?: string;
	name: string;
	/** Credential type name, e.g. 'nyneApi' or 'httpHeaderAuth'. */
	type: string;
	/** Plain data; n8n encrypts it on import. */
	data: Record<string, unknown>;
}

/** Workflow JSON as exported by n8n (id optional: one is generated). */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** An execution as n8n's public API lists it (GET /api/v1/executions), without its run data. */
export interface ExecutionRow {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	/** ISO 8601 */
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface ExecuteResult {
	/** Parsed run data (IRun) — present whether the workflow succeeded or failed. */
	run: RunJson;
	/** The CLI's exit code: 0 when the run succeeded. */
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 16-character id like the ones n8n generates for workflows and credentials. */
export function generateN8nId(): string {
	return [...randomBytes(16)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

/** Environment variables that must not leak from the test runner into n8n. */
const INHERITED_ENV_BLOCKLIST =
	/^(N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|QUEUE_|NODE_OPTIONS$|NODE_ENV$|GENERIC_TIMEZONE$)/;

const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

export class N8nInstance {
	readonly baseUrl: string;
	readonly logFile: string;
	private server?: ChildProcess;
	private session?: N8nRestSession;
	private api?: Promise<N8nPublicApi>;
	private nodeTypeList?: Promise<NodeTypeDescription[]>;
	private disposed = false;

	constructor(
		readonly paths: N8nPaths,
		/** N8N_USER_FOLDER: n8n keeps everything in `<userFolder>/.n8n`. */
		readonly userFolder: string,
		/** HTTP port of `n8n start` (editor, REST API, webhooks). */
		readonly port: number,
		/** Task broker port of `n8n start` (CLI commands get their own). */
		readonly brokerPort: number,
		readonly encryptionKey: string,
		private readonly extraEnv: Record<string, string>,
		private readonly keepUserFolder: boolean,
	) {
		this.baseUrl = `http://${LOOPBACK}:${port}`;
		this.logFile = path.join(userFolder, 'n8n-start.log');
	}

	/** The environment n8n runs with (for running the CLI by hand, e.g. in a demo). */
	env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
		const inherited = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => !INHERITED_ENV_BLOCKLIST.test(key)),
		);
		return {
			...inherited,
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			DB_TYPE: 'sqlite',
			// `n8n execute --rawOutput` prints the run data through the logger: keep it at info.
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_HOST: LOOPBACK,
			N8N_LISTEN_ADDRESS: LOOPBACK,
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: LOOPBACK,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			GENERIC_TIMEZONE: 'UTC',
			...this.extraEnv,
			...overrides,
		};
	}

	/** n8n's major version (1 or 2): the few CLI commands that differ between them are chosen by it. */
	get majorVersion(): number {
		return Number.parseInt(this.paths.version, 10);
	}

	/** The command line that runs n8n (node binary first). */
	command(...args: string[]): [string, string[]] {
		return [this.paths.nodeBin, [this.paths.n8nBin, ...args]];
	}

	/**
	 * Run an n8n CLI command against this instance (rejects on a non-zero exit unless
	 * `allowFailure`). Each call gets its own task broker port, so it can run while the server is up.
	 */
	async runCli(args: string[], options: RunCommandOptions = {}): Promise<CommandResult> {
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await getFreePort()) });
		const [command, fullArgs] = this.command(...args);
		return runCommand(command, fullArgs, {
			cwd: this.userFolder,
			timeoutMs: 180_000,
			...options,
			env,
		});
	}

	private writeInput(prefix: string, content: unknown): string {
		const dir = path.join(this.userFolder, 'imports');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${prefix}-${Date.now()}-${generateN8nId()}.json`);
		fs.writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}

	/** Import credentials with plain data (`n8n import:credentials`); returns their ids in order. */
	async importCredentials(credentials: CredentialImport | CredentialImport[]): Promise<string[]> {
		const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
			...c,
			id: c.id ?? generateN8nId(),
		}));
		const file = this.writeInput('credentials', list);
		const result = await this.runCli(['import:credentials', `--input=${file}`]);
		if (!/Successfully imported \d+ credential/.test(result.stdout + result.stderr)) {
			throw new CommandError(
				`import:credentials did not report success:\n${result.stdout}\n${result.stderr}`,
				result,
			);
		}
		return list.map((c) => c.id);
	}

	/** Import one workflow (`n8n import:workflow`); returns its id (generated if the JSON has none). */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const id = workflow.id ?? generateN8nId();
		const file = this.writeInput('workflow', { active: false, settings: {}, ...workflow, id });
		const result = await this.runCli(['import:workflow', `--input=${file}`]);
		// n8n skips workflows that violate its import policy and still exits 0.
		if (!/Successfully imported 1 workflow/.test(result.stdout + result.stderr)) {
			throw new CommandError(
				`import:workflow did not import ${id}:\n${result.stdout}\n${result.stderr}`,
				result,
			);
		}
		return id;
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: runs the workflow in a CLI process (the server need not
	 * be running) and returns its run data. A failed run still returns its run data (look at
	 * `runError(run)`); only a missing/unparseable run throws.
	 */
	async execute(workflowId: string, options: { timeoutMs?: number } = {}): Promise<RunJson> {
		return (await this.executeDetailed(workflowId, options)).run;
	}

	/** Like {@link execute}, with the CLI's exit code and full output. */
	async executeDetailed(
		workflowId: string,
		options: { timeoutMs?: number } = {},
	): Promise<ExecuteResult> {
		const result = await this.runCli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			allowFailure: true,
			timeoutMs: options.timeoutMs ?? 180_000,
		});
		const run = findRunJson(result.stdout) ?? findRunJson(result.stderr);
		if (!run) {
			throw new CommandError(
				`n8n execute --id=${workflowId} printed no run data (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`,
				result,
			);
		}
		return { run, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
	}

	get isRunning(): boolean {
		return !!this.server && this.server.exitCode === null && this.server.signalCode === null;
	}

	/** Everything `n8n start` has logged so far. */
	logs(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	/**
	 * `n8n start` on 127.0.0.1:port; resolves when /healthz/readiness and the REST API (GET /rest/settings,
	 * what the editor loads first) answer 200: n8n 1.x reports ready before it has mounted its REST routes.
	 * The default wait is long because a first start runs every database migration, slow on a busy machine.
	 */
	async start(options: { timeoutMs?: number } = {}): Promise<void> {
		if (this.isRunning) return;
		const log = fs.openSync(this.logFile, 'a');
		const [command, args] = this.command('start');
		const server = spawnGroup(command, args, {
			cwd: this.userFolder,
			env: this.env(),
			stdio: ['ignore', log, log],
		});
		fs.closeSync(log);
		this.server = server;
		const probes = [`${this.baseUrl}/healthz/readiness`, `${this.baseUrl}/rest/settings`];
		try {
			const outcome = await waitFor(
				async () => {
					for (const probe of probes) {
						if (server.exitCode !== null || server.signalCode !== null) return 'exited';
						const res = await request(probe);
						await res.body.dump();
						if (res.statusCode !== 200) return undefined;
					}
					return 'ready';
				},
				{
					timeoutMs: options.timeoutMs ?? 300_000,
					intervalMs: 300,
					description: probes.join(' and '),
				},
			);
			if (outcome === 'exited')
				throw new Error(`n8n start exited early (${server.exitCode ?? server.signalCode})`);
		} catch (error) {
			await this.stop();
			const tail = this.logs().split('\n').slice(-60).join('\n');
			throw new Error(
				`${(error as Error).message}\n--- n8n start log (${this.logFile}) ---\n${tail}`,
			);
		}
	}

	/** Stop `n8n start` (SIGTERM to its process group, SIGKILL after a grace period). */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		this.session = undefined;
		this.api = undefined;
		this.nodeTypeList = undefined;
		if (server) await stopGroup(server, 20_000);
	}

	private requireRunning(what: string): void {
		if (!this.isRunning) throw new Error(`${what} needs the server: call start() first`);
	}

	/**
	 * A REST session as the instance owner: sets the owner up on first use (the workflows and
	 * credentials imported before belong to it), logs in afterwards.
	 */
	async setupOwnerAndLogin(owner: OwnerAccount = DEFAULT_OWNER): Promise<N8nRestSession> {
		this.requireRunning('setupOwnerAndLogin()');
		if (this.session) return this.session;
		try {
			this.session = await N8nRestSession.setupOwner(this.baseUrl, owner);
		} catch (error) {
			// 400 "Instance owner already setup": log in instead.
			if (!(error instanceof RestError) || error.status !== 400) throw error;
			this.session = await N8nRestSession.login(this.baseUrl, owner);
		}
		return this.session;
	}

	/**
	 * Publish (activate) a workflow. While the server runs this goes through the REST API, so its
	 * triggers and webhooks are registered right away; otherwise the CLI marks it for activation at the
	 * next start(): `n8n publish:workflow` on 2.x, `n8n update:workflow --active=true` on 1.x (which has
	 * no publish:workflow).
	 */
	async publishWorkflow(workflowId: string): Promise<void> {
		if (this.isRunning) {
			const session = await this.setupOwnerAndLogin();
			await session.activateWorkflow(workflowId);
		} else if (this.majorVersion < 2) {
			await this.runCli(['update:workflow', `--id=${workflowId}`, '--active=true']);
		} else {
			await this.runCli(['publish:workflow', `--id=${workflowId}`]);
		}
	}

	/**
	 * n8n's public API as the instance owner, with an API key created on first use (kept in n8n across
	 * restarts). Needs the server.
	 */
	publicApi(): Promise<N8nPublicApi> {
		this.requireRunning('publicApi()');
		this.api ??= (async () => {
			const session = await this.setupOwnerAndLogin();
			return new N8nPublicApi(this.baseUrl, await session.createApiKey());
		})();
		this.api.catch(() => (this.api = undefined));
		return this.api;
	}

	/** Node type descriptions the instance has loaded (what the editor loads: GET /types/nodes.json). */
	private nodeTypes(): Promise<NodeTypeDescription[]> {
		this.nodeTypeList ??= this.setupOwnerAndLogin().then((session) => session.nodeTypes());
		this.nodeTypeList.catch(() => (this.nodeTypeList = undefined));
		return this.nodeTypeList;
	}

	/**
	 * Production URL of a webhook node of an active workflow, e.g. http://127.0.0.1:PORT/webhook/<path>,
	 * built the way the editor shows it: the node (public API: GET /api/v1/workflows/:id) and its type's
	 * `webhooks` description (GET /types/nodes.json). By default waits until the server actually routes
	 * the URL (a request right after activation can 404), which also proves the URL right.
	 */
	async webhookUrl(
		workflowId: string,
		nodeName: string,
		options: { timeoutMs?: number; waitUntilRoutable?: boolean } = {},
	): Promise<string> {
		const { timeoutMs = 30_000, waitUntilRoutable = true } = options;
		const workflow = await (await this.publicApi()).workflow(workflowId);
		const node = workflow.nodes.find((each) => each.name === nodeName) as
			WebhookNodeJson | undefined;
		if (!node) throw new Error(`workflow ${workflowId} has no node "${nodeName}"`);
		const type = (await this.nodeTypes()).find(
			(each) =>
				each.name === node.type && ([] as number[]).concat(each.version).includes(node.typeVersion),
		);
		const description = type?.webhooks?.find(
			(webhook) => webhook.name === 'default' && !webhook.restartWebhook,
		);
		if (!description)
			throw new Error(
				`node "${nodeName}" (${node.type} v${node.typeVersion}) has no production webhook`,
			);
		const url = `${this.baseUrl}/webhook/${productionWebhookPath(workflowId, node, description)}`;
		if (waitUntilRoutable) await this.waitForWebhook(url, undefined, { timeoutMs });
		return url;
	}

	/**
	 * Wait until n8n routes `url` (for `method`, if given), without triggering the workflow: a CORS
	 * preflight (OPTIONS + Origin) makes n8n look the webhook up and list the methods registered for the
	 * path in Access-Control-Allow-Methods (only OPTIONS while none is), or answer 404.
	 */
	async waitForWebhook(
		url: string,
		method?: string,
		options: { timeoutMs?: number } = {},
	): Promise<void> {
		this.requireRunning('waitForWebhook()');
		await waitFor(
			async () => {
				const res = await request(url, {
					method: 'OPTIONS',
					headers: {
						origin: this.baseUrl,
						...(method ? { 'access-control-request-method': method } : {}),
					},
				});
				await res.body.dump();
				if (res.statusCode < 200 || res.statusCode >= 300) return false;
				const allowed = String(res.headers['access-control-allow-methods'] ?? '')
					.split(',')
					.map((each) => each.trim().toUpperCase())
					.filter((each) => each && each !== 'OPTIONS');
				return method ? allowed.includes(method.toUpperCase()) : allowed.length > 0;
			},
			{
				timeoutMs: options.timeoutMs ?? 30_000,
				description: `${method ?? 'a webhook at'} ${url} to be registered`,
			},
		);
	}

	/** Executions of a workflow (oldest first), running ones included: public API, needs the server. */
	async executions(workflowId: string): Promise<ExecutionRow[]> {
		const executions = await (await this.publicApi()).executions(workflowId);
		return executions.map(({ id, status, mode, finished, startedAt, stoppedAt }) => ({
			id,
			workflowId,
			status,
			mode,
			finished,
			startedAt,
			stoppedAt,
		}));
	}

	/**
	 * Wait until the workflow has at least `count` finished executions (success, error, crashed
	 * or canceled) and return them, oldest first.
	 */
	async waitForExecutions(
		workflowId: string,
		count: number,
		options: { timeoutMs?: number } = {},
	): Promise<ExecutionRow[]> {
		let seen: ExecutionRow[] = [];
		try {
			return await waitFor(
				async () => {
					seen = await this.executions(workflowId);
					const done = seen.filter((e) => FINAL_STATUSES.has(e.status));
					return done.length >= count ? done : undefined;
				},
				{
					timeoutMs: options.timeoutMs ?? 60_000,
					intervalMs: 500,
					description: `${count} finished execution(s) of ${workflowId}`,
				},
			);
		} catch (error) {
			const summary = seen.map((e) => `#${e.id}:${e.status}`).join(', ') || 'none';
			throw new Error(`${(error as Error).message} (executions so far: ${summary})`);
		}
	}

	/** The stored run data of an execution, shaped like {@link execute}'s result (public API, needs the server). */
	async getExecution(executionId: number | string): Promise<RunJson> {
		return toRunJson(await (await this.publicApi()).execution(executionId));
	}

	/** Every execution of a workflow with its run data, oldest first (one request per 250 executions). */
	async executionsWithData(workflowId: string): Promise<Array<ExecutionRow & { run: RunJson }>> {
		const executions = await (await this.publicApi()).executions(workflowId, { includeData: true });
		return executions.map((execution) => ({
			id: execution.id,
			workflowId,
			status: execution.status,
			mode: execution.mode,
			finished: execution.finished,
			startedAt: execution.startedAt,
			stoppedAt: execution.stoppedAt,
			run: toRunJson(execution),
		}));
	}

	/** A workflow's static data as n8n has saved it (public API: GET /api/v1/workflows/:id). */
	async workflowStaticData(workflowId: string): Promise<Record<string, unknown> | null> {
		const { staticData } = await (await this.publicApi()).workflow(workflowId);
		if (typeof staticData === 'string')
			return staticData ? (JSON.parse(staticData) as Record<string, unknown>) : null;
		return (staticData as Record<string, unknown> | null | undefined) ?? null;
	}

	/** Stop the server and delete the user folder (kept with keepUserFolder / N8N_E2E_KEEP=1). */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		await this.stop();
		if (this.keepUserFolder) {
			process.stderr.write(`[n8n-e2e] kept user folder ${this.userFolder}\n`);
		} else {
			fs.rmSync(this.userFolder, { recursive: true, force: true });
		}
	}
}

function toRunJson(execution: PublicExecution): RunJson {
	if (!execution.data) throw new Error(`execution ${execution.id} has no stored run data`);
	return {
		data: execution.data,
		status: execution.status,
		mode: execution.mode,
		finished: execution.finished,
		startedAt: execution.startedAt ?? undefined,
		stoppedAt: execution.stoppedAt ?? undefined,
	};
}

interface WebhookNodeJson {
	name: string;
	type: string;
	typeVersion: number;
	webhookId?: string;
	parameters?: Record<string, unknown>;
}

/**
 * The path after /webhook/ of a node's production webhook: n8n's documented URL shapes — a full-path
 * webhook (the Webhook node) serves its `path` parameter, any other node <webhookId>/<path of its type's
 * description> (<workflowId>/<node name>/<path> without a webhookId).
 */
function productionWebhookPath(
	workflowId: string,
	node: WebhookNodeJson,
	description: { path: string; isFullPath?: boolean },
): string {
	let path = description.path;
	if (path.startsWith('=')) {
		// The one form n8n's own nodes use for a path taken from a parameter: ={{$parameter["path"]}}
		const parameter = /^=\{\{\s*\$parameter(?:\[["'](\w+)["']\]|\.(\w+))\s*\}\}$/.exec(path);
		if (!parameter)
			throw new Error(`webhookUrl(): cannot read the path expression ${path} of ${node.type}`);
		path = String(node.parameters?.[parameter[1] ?? parameter[2]] ?? '');
	}
	path = path.replace(/^\/+|\/+$/g, '');
	if (description.isFullPath) return path || String(node.webhookId);
	if (node.webhookId === undefined)
		return `${workflowId}/${encodeURIComponent(node.name.toLowerCase())}/${path}`;
	return `${node.webhookId}/${path}`;
}

/**
 * Install a community package tarball into `<userFolder>/.n8n/nodes` the way n8n expects it
 * (node_modules/<name>), without its peer dependencies (n8n provides n8n-workflow).
 */
export async function installCommunityPackage(userFolder: string, tarball: string): Promise<void> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	await runCommand(
		'npm',
		[
			'install',
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			path.resolve(tarball),
		],
		{ cwd: nodesDir, timeoutMs: 180_000 },
	);
}

/** A fresh instance: new user folder (with `tarball` installed), free ports, env prepared. */
export async function createN8nInstance(
	options: CreateN8nInstanceOptions = {},
): Promise<N8nInstance> {
	const paths = options.paths ?? (await ensureN8n());
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	try {
		if (options.tarball) await installCommunityPackage(userFolder, options.tarball);
		const [port, brokerPort] = [await getFreePort(), await getFreePort()];
		return new N8nInstance(
			paths,
			userFolder,
			port,
			brokerPort,
			randomBytes(24).toString('hex'),
			options.env ?? {},
			options.keepUserFolder ?? process.env.N8N_E2E_KEEP === '1',
		);
	} catch (error) {
		fs.rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
}

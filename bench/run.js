'use strict';
/**
 * `npm run bench`: the Nyne node against what users build without it, in a real n8n, on the Nyne
 * simulator. See bench/README.md. Entry point: scripts/bench.js (parses the flags, calls main()).
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// The simulator and the e2e library, compiled from test/ by scripts/test-tools.js (bench never imports test sources).
const testTools = require('../scripts/test-tools');
const { startSimulator } = testTools.load('simulator');
const e2e = testTools.load('e2e/lib');
const wf = require('./lib/workflows');
const metrics = require('./lib/metrics');
const report = require('./lib/report');

const REPO = path.resolve(__dirname, '..');
const OUT_DIR = path.join(__dirname, 'out');

const PER_MINUTE = 60;
const PER_HOUR = 1000;
const LATENCY_MS = [2000, 8000];
const SECRET = 'bench-secret';

const SCENARIOS = [
	{
		id: 'leads-6s',
		kind: 'leads',
		n: 100,
		rateWindowScale: 0.1,
		title: 'Search Leads, 60 requests / 6 s',
	},
	{
		id: 'interests-6s',
		kind: 'interests',
		n: 100,
		rateWindowScale: 0.1,
		title: 'Get Interests, 60 requests / 6 s',
	},
	{
		id: 'leads-60s',
		kind: 'leads',
		n: 60,
		rateWindowScale: 1,
		title: 'Search Leads, 60 requests / min (real)',
	},
	// N well beyond what the budget can collect before the Timeout: only the Nyne node (A) is measured, with
	// Continue On Fail so the items it does not send become error items next to the results.
	{
		id: 'over-budget',
		kind: 'interests',
		n: 300,
		rateWindowScale: 0.1,
		timeoutSeconds: 30,
		variants: ['A'],
		title: 'Get Interests, 60 requests / 6 s, Timeout 30 s (over budget)',
	},
];
const VARIANTS = ['A', 'B', 'C'];
const VARIANT_NAMES = {
	A: 'Nyne node, Wait for Result',
	B: 'HTTP Request + Wait 5 s + IF loop',
	C: 'Nyne Submit Only → Nyne Trigger',
};

const started = Date.now();
function log(message) {
	const t = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
	process.stderr.write(`[bench ${t}s] ${message}\n`);
}

function parseDbTime(value) {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return NaN;
	// n8n's sqlite columns: "2026-01-14 12:00:00.123" (UTC, no zone)
	return /[zZ]|[+-]\d\d:?\d\d$/.test(value)
		? Date.parse(value)
		: Date.parse(`${value.replace(' ', 'T')}Z`);
}

/** End of the last run of a node (startTime + executionTime), or undefined. */
function nodeEnd(run, name) {
	const runs = run.data.resultData.runData[name] ?? [];
	if (runs.length === 0) return undefined;
	return Math.max(...runs.map((r) => (r.startTime ?? 0) + (r.executionTime ?? 0)));
}

function nodeItems(run, name, output = 0) {
	return (run.data.resultData.runData[name] ?? []).flatMap((r) => r.data?.main?.[output] ?? []);
}

/** The identity the simulator's normalised body and an input row share. */
function inputKey(kind, row) {
	return kind === 'leads'
		? String(row.search_description).trim()
		: String(row.email).trim().toLowerCase();
}

/**
 * Failed items: inputs whose result never reached the workflow. An input counts as delivered when a job
 * created for it is in `delivered` (request ids seen in the output), or when it is a Search Leads job that
 * completed with zero leads and `emptyIsOk` (the node and the trigger output nothing for those by design).
 */
function countFailures(kind, rows, timelines, delivered, emptyIsOk) {
	const jobsByInput = new Map();
	for (const job of timelines) {
		const id = inputKey(kind, kind === 'leads' ? job.body : { email: job.body.email ?? '' });
		if (!jobsByInput.has(id)) jobsByInput.set(id, []);
		jobsByInput.get(id).push(job);
	}
	const missing = [];
	for (const row of rows) {
		const jobs = jobsByInput.get(inputKey(kind, row)) ?? [];
		const ok = jobs.some(
			(job) =>
				delivered.has(job.requestId) ||
				(emptyIsOk && job.status === 'completed' && job.resultCount === 0),
		);
		if (!ok) missing.push(inputKey(kind, row));
	}
	return missing;
}

function summariseRunError(run) {
	const error = run.data.resultData.error;
	if (!error) return undefined;
	return `${error.node?.name ? `${error.node.name}: ` : ''}${error.message ?? 'error'}`.slice(
		0,
		300,
	);
}

class Bench {
	constructor(options) {
		this.options = options;
		this.results = [];
		this.raw = { scenarios: [] };
	}

	async setup() {
		if (this.options.build) {
			log('npm run build');
			execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
		}
		this.paths = await e2e.ensureN8n();
		fs.mkdirSync(OUT_DIR, { recursive: true });
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nyne-bench-pack-'));
		this.tarball = await e2e.packPackage(REPO, { destDir: packDir });
		log(`packed ${path.basename(this.tarball)}; installing into a fresh n8n ${this.paths.version}`);
		this.n8n = await e2e.createN8nInstance({
			tarball: this.tarball,
			env: { N8N_LOG_LEVEL: 'info' },
		});
		this.machine = this.machineInfo();
	}

	machineInfo() {
		const cpus = os.cpus();
		let n8nNode = '';
		try {
			n8nNode = execFileSync(this.paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
		} catch {
			n8nNode = '?';
		}
		const git = (args) => {
			try {
				return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
			} catch {
				return '';
			}
		};
		return {
			date: new Date().toISOString(),
			cores: cpus.length,
			cpu: cpus[0]?.model ?? '?',
			memoryGb: Math.round(os.totalmem() / 2 ** 30),
			os: `${os.type()} ${os.release()}`,
			benchNode: process.version,
			n8nVersion: this.paths.version,
			n8nNode,
			commit: git(['rev-parse', '--short', 'HEAD']),
			// Other work may be in progress in this checkout: say whether the node's sources differ from HEAD.
			nodesDirty: git(['status', '--porcelain', '--', 'nodes', 'credentials']) !== '',
		};
	}

	async dispose() {
		await this.n8n?.dispose();
		if (this.tarball) fs.rmSync(path.dirname(this.tarball), { recursive: true, force: true });
	}

	async runScenario(scenario) {
		// --quick shrinks N, except where N is the point (over budget).
		const n =
			this.options.quick && scenario.timeoutSeconds === undefined
				? Math.min(scenario.n, 20)
				: scenario.n;
		const variants = VARIANTS.filter(
			(v) => this.options.only.includes(v) && (scenario.variants ?? VARIANTS).includes(v),
		);
		// A is repeated (its request order at a window reset varies from run to run); B and C run once.
		const runs = variants.flatMap((variant) => {
			const count = variant === 'A' ? this.options.repeat : 1;
			return Array.from({ length: count }, (_, i) => ({
				variant,
				label: count > 1 ? `${variant}#${i + 1}` : variant,
			}));
		});
		const windowMs = 60_000 * scenario.rateWindowScale;
		// One API key per run: its own rate windows, duplicate detection and charges.
		const keyOf = (label) => `bench-${scenario.id}-${label.replace('#', '')}`;
		const sim = await startSimulator({
			timeScale: 1,
			rateWindowScale: scenario.rateWindowScale,
			rateLimit: { perMinute: PER_MINUTE, perHour: PER_HOUR },
			latencyMs: { leads: LATENCY_MS, interests: LATENCY_MS },
			keys: runs.map((r) => ({ key: keyOf(r.label), secret: SECRET, credits: 1_000_000 })),
			seed: 'nyne-bench',
		});
		log(
			`${scenario.title}: N=${n}, simulator ${sim.url}, window ${windowMs / 1000} s, runs ${runs.map((r) => r.label).join(', ')}`,
		);
		const rows = wf.inputRows(scenario.kind, n);
		const ctx = { scenario, n, rows, sim, windowMs };
		const scenarioRaw = {
			id: scenario.id,
			title: scenario.title,
			kind: scenario.kind,
			n,
			windowMs,
			perWindow: PER_MINUTE,
			variants: {},
		};
		this.raw.scenarios.push(scenarioRaw);
		try {
			for (const { variant, label } of runs) {
				const key = keyOf(label);
				const credential = await this.credentialFor(ctx, variant, key);
				log(`${scenario.id} ${label}: ${VARIANT_NAMES[variant]}`);
				let outcome;
				try {
					outcome = await this[`run${variant}`](ctx, credential, key);
				} catch (error) {
					outcome = {
						startMs: NaN,
						endMs: NaN,
						delivered: new Set(),
						emptyIsOk: false,
						error: String(error?.message ?? error).slice(0, 500),
					};
					log(`${scenario.id} ${label}: FAILED to run: ${outcome.error}`);
				}
				const result = this.measure(ctx, variant, label, key, outcome);
				this.results.push(result.summary);
				scenarioRaw.variants[label] = result.raw;
				// The next runs go without an n8n server in the background.
				if (variant === 'C') await this.n8n.stop();
				log(
					`${scenario.id} ${label}: wall ${(result.summary.wallMs / 1000).toFixed(1)} s (bound ${(result.summary.boundMs / 1000).toFixed(1)} s, ×${result.summary.ratio.toFixed(2)}), ` +
						`${result.summary.requestsPerJob.toFixed(2)} req/job, ${result.summary.status429} × 429, ${result.summary.failed} failed, ${result.summary.credits} credits, ${result.summary.duplicates} duplicates`,
				);
			}
		} finally {
			await sim.stop();
		}
	}

	async credentialFor(ctx, variant, key) {
		const name = `Bench ${key}`;
		const credential =
			variant === 'B'
				? {
						name,
						type: 'httpCustomAuth',
						data: {
							json: JSON.stringify({ headers: { 'X-API-Key': key, 'X-API-Secret': SECRET } }),
						},
					}
				: { name, type: 'nyneApi', data: { apiKey: key, apiSecret: SECRET, baseUrl: ctx.sim.url } };
		const [id] = await this.n8n.importCredentials([credential]);
		return { id, name };
	}

	async execute(workflowJson) {
		const id = await this.n8n.importWorkflow(workflowJson);
		try {
			const result = await this.n8n.executeDetailed(id, { timeoutMs: 30 * 60_000 });
			return { id, ...result };
		} catch (error) {
			if (!error?.result) throw error;
			// Keep what the CLI printed, to see why there was no run data…
			const file = path.join(OUT_DIR, `cli-${id}.log`);
			fs.writeFileSync(
				file,
				`exit ${error.result.exitCode}\n--- stdout ---\n${error.result.stdout}\n--- stderr ---\n${error.result.stderr}\n`,
			);
			log(
				`n8n execute printed no run data (exit ${error.result.exitCode}); CLI output kept in ${path.relative(REPO, file)}`,
			);
			// …and read the execution n8n saved instead (the same run data, through the public API).
			if (!this.n8n.isRunning) await this.n8n.start();
			const [last] = (await this.n8n.executions(id)).slice(-1);
			if (!last) throw error;
			log(`using execution ${last.id} (${last.status}) as n8n saved it`);
			return {
				id,
				run: await this.n8n.getExecution(last.id),
				exitCode: error.result.exitCode,
				fromDatabase: true,
			};
		}
	}

	/** (A) one execution, N items, the Nyne node waiting for every result. */
	async runA(ctx, credential) {
		const overBudget = ctx.scenario.timeoutSeconds !== undefined;
		const { run, exitCode } = await this.execute(
			wf.nyneWaitWorkflow({
				kind: ctx.scenario.kind,
				rows: ctx.rows,
				credential,
				options: overBudget ? { timeout: ctx.scenario.timeoutSeconds } : {},
				continueOnFail: overBudget,
			}),
		);
		const items = nodeItems(run, 'Nyne');
		const delivered = new Set(items.filter((i) => !i.json.error).map((i) => i.json.request_id));
		const errorMessages = metrics.histogram(
			items
				.filter((i) => i.json.error)
				.map((i) => String(i.json.error).replace(/\d+/g, 'N').slice(0, 90)),
		);
		const nodeRun = run.data.resultData.runData.Nyne?.[0];
		return {
			startMs: parseDbTime(run.startedAt),
			endMs: nodeEnd(run, 'Nyne') ?? parseDbTime(run.stoppedAt),
			nodeStartMs: nodeRun?.startTime,
			delivered,
			emptyIsOk: !run.data.resultData.error,
			outputItems: items.length,
			errorItems: items.filter((i) => i.json.error).length,
			errorMessages,
			status: run.status,
			exitCode,
			error: summariseRunError(run),
		};
	}

	/** (B) the HTTP Request submit + Wait/poll/IF loop. */
	async runB(ctx, credential) {
		const batchIntervalMs = Math.round(ctx.windowMs / PER_MINUTE);
		const { run, exitCode } = await this.execute(
			wf.httpLoopWorkflow({
				kind: ctx.scenario.kind,
				rows: ctx.rows,
				credential,
				baseUrl: ctx.sim.url,
				batchIntervalMs,
			}),
		);
		const done = nodeItems(run, 'Done');
		const delivered = new Set(
			done.filter((i) => i.json?.data?.status === 'completed').map((i) => i.json.data.request_id),
		);
		const runData = run.data.resultData.runData;
		return {
			startMs: parseDbTime(run.startedAt),
			endMs: run.data.resultData.error
				? parseDbTime(run.stoppedAt)
				: (nodeEnd(run, 'Done') ?? parseDbTime(run.stoppedAt)),
			delivered,
			emptyIsOk: false, // B outputs the whole answer, zero leads included
			outputItems: done.length,
			loopIterations: (runData.Poll ?? []).length,
			submitNodeTries: undefined,
			batchIntervalMs,
			status: run.status,
			exitCode,
			error: summariseRunError(run),
		};
	}

	async ensureServer() {
		if (this.n8n.isRunning) return;
		log('n8n start (for the Nyne Trigger)');
		await this.n8n.start();
	}

	/** (C) Submit Only with a callback URL; results arrive as Nyne Trigger executions on `n8n start`. */
	async runC(ctx, credential, key) {
		await this.ensureServer();
		const webhookId = crypto.randomUUID();
		const token = crypto.randomBytes(16).toString('hex');
		const triggerId = await this.n8n.importWorkflow(wf.triggerWorkflow({ webhookId, token }));
		await this.n8n.publishWorkflow(triggerId);
		const url = await this.n8n.webhookUrl(triggerId, 'Nyne Trigger');
		const callbackUrl = `${url}?token=${token}`;
		const { run, exitCode } = await this.execute(
			wf.nyneSubmitWorkflow({ kind: ctx.scenario.kind, rows: ctx.rows, credential, callbackUrl }),
		);
		const startMs = parseDbTime(run.startedAt);
		const submitEndMs = nodeEnd(run, 'Nyne');
		// Every job finished and its callback settled (delivered or given up).
		const settled = await e2e
			.waitFor(
				async () => {
					const jobs = ctx.sim.listJobs().filter((j) => j.key === key);
					if (jobs.some((j) => j.finishedAt === undefined)) return undefined;
					const deliveries = jobs.map((j) => ctx.sim.getCallbacks(j.requestId)[0]);
					if (deliveries.some((d) => !d || d.state === 'pending')) return undefined;
					return { jobs, deliveries };
				},
				{
					timeoutMs: 10 * 60_000,
					intervalMs: 200,
					description: 'every job finished and called back',
				},
			)
			.catch((error) => ({ timeout: String(error.message) }));
		const jobs = ctx.sim.listJobs().filter((j) => j.key === key);
		// The trigger starts one execution per finished job, none for a job with zero results.
		const expected = jobs.filter(
			(j) => j.status === 'failed' || (j.status === 'completed' && j.resultCount !== 0),
		).length;
		let executions = [];
		try {
			executions = await this.n8n.waitForExecutions(triggerId, expected, { timeoutMs: 5 * 60_000 });
		} catch (error) {
			executions = await this.n8n.executions(triggerId);
			log(`C: ${String(error.message).slice(0, 200)}`);
		}
		const executionsById = await this.triggerRequestIds(triggerId);
		const delivered = new Set(executionsById.keys());
		const callbackAttempts = jobs.flatMap((j) =>
			ctx.sim.getCallbacks(j.requestId).flatMap((d) => d.attempts),
		);
		// Per job: finished → callback sent → n8n answered → the trigger's execution started / stopped.
		const rel = (t) => (Number.isFinite(t) ? Math.round(t - startMs) : undefined);
		const callbackTimeline = jobs.map((j) => {
			const first = ctx.sim.getCallbacks(j.requestId)[0]?.attempts ?? [];
			const ok = first.find((a) => a.ok);
			const execution = executionsById.get(j.requestId);
			return {
				requestId: j.requestId.slice(0, 12),
				finished: rel(j.finishedAt),
				callbackSent: rel(first[0]?.startedAt),
				callbackAnswered: rel(ok?.finishedAt),
				attempts: first.length,
				executionStarted: rel(execution?.startedAt),
				executionStopped: rel(execution?.stoppedAt),
			};
		});
		return {
			startMs,
			endMs: Math.max(...executions.map((e) => parseDbTime(e.stoppedAt)).filter(Number.isFinite)),
			submitEndMs,
			lastCallbackOkAt: Math.max(
				...callbackAttempts.filter((a) => a.ok).map((a) => a.finishedAt ?? 0),
			),
			callbackAttempts: callbackAttempts.length,
			callbackTimeline,
			callbacksFailed: callbackAttempts.filter((a) => !a.ok).length,
			expectedExecutions: expected,
			executions: executions.length,
			executionStatuses: metrics.histogram(executions.map((e) => e.status)),
			delivered,
			emptyIsOk: true,
			outputItems: run.data.resultData.runData.Nyne?.[0]?.data?.main?.[0]?.length ?? 0,
			status: run.status,
			exitCode,
			error: summariseRunError(run) ?? settled.timeout,
		};
	}

	/** request_id → its execution's start/stop, for every item the trigger output (n8n's public API). */
	async triggerRequestIds(workflowId) {
		const ids = new Map();
		for (const execution of await this.n8n.executionsWithData(workflowId)) {
			for (const item of execution.run.data?.resultData?.runData?.['Nyne Trigger']?.[0]?.data
				?.main?.[0] ?? []) {
				if (item.json?.request_id) {
					ids.set(item.json.request_id, {
						startedAt: parseDbTime(execution.startedAt),
						stoppedAt: parseDbTime(execution.stoppedAt),
					});
				}
			}
		}
		return ids;
	}

	measure(ctx, variant, label, key, outcome) {
		const sim = metrics.simulatorMetrics(ctx.sim, key, ctx.windowMs);
		const unavoidable = variant === 'C' ? ctx.n : 2 * ctx.n;
		const bound = metrics.lowerBound({
			unavoidableRequests: unavoidable,
			perWindow: PER_MINUTE,
			windowMs: ctx.windowMs,
			maxLatencyMs: sim.maxLatencyMs,
		});
		const idealMs = metrics.idealSchedule({
			latencies: sim.timelines.map((t) => t.latencyMs ?? 0),
			perWindow: PER_MINUTE,
			windowMs: ctx.windowMs,
			polls: variant !== 'C',
		});
		const wallMs = outcome.endMs - outcome.startMs;
		const missing = countFailures(
			ctx.scenario.kind,
			ctx.rows,
			sim.timelines,
			outcome.delivered,
			outcome.emptyIsOk,
		);
		const t0 = outcome.startMs;
		const rel = (t) => (Number.isFinite(t) ? Math.round(t - t0) : undefined);
		const summary = {
			scenario: ctx.scenario.id,
			scenarioTitle: ctx.scenario.title,
			kind: ctx.scenario.kind,
			variant,
			label,
			variantName: VARIANT_NAMES[variant],
			n: ctx.n,
			wallMs,
			boundMs: bound.boundMs,
			ratio: wallMs / bound.boundMs,
			idealMs,
			idealRatio: wallMs / idealMs,
			requests: sim.requests,
			submits: sim.submits,
			polls: sim.polls,
			requestsPerJob: sim.requests / ctx.n,
			status429: sim.status429,
			failed: missing.length,
			credits: sim.credits,
			duplicates: sim.duplicates,
			error: outcome.error,
		};
		if (ctx.scenario.timeoutSeconds !== undefined) {
			// No client can collect more than one result per two requests (a submit and a poll) that fit
			// before the Timeout: the windows opening before it, full.
			const timeoutMs = ctx.scenario.timeoutSeconds * 1000;
			const windowsBeforeDeadline = Math.ceil(timeoutMs / ctx.windowMs);
			const maxCollectable = Math.min(ctx.n, Math.floor((windowsBeforeDeadline * PER_MINUTE) / 2));
			const acceptedIds = sim.timelines.map((t) => t.requestId);
			Object.assign(summary, {
				overBudget: true,
				timeoutMs,
				results: outcome.delivered.size,
				maxCollectable,
				collectedRatio: outcome.delivered.size / maxCollectable,
				accepted: acceptedIds.length,
				acceptedUncollected: acceptedIds.filter((id) => !outcome.delivered.has(id)).length,
				notSent: ctx.n - acceptedIds.length,
				errorItems: outcome.errorItems,
				errorMessages: outcome.errorMessages,
			});
		}
		const raw = {
			summary,
			bound,
			outcome: { ...outcome, delivered: outcome.delivered.size },
			times: {
				executionStart: 0,
				nyneNodeStart: rel(outcome.nodeStartMs),
				firstRequest: rel(sim.firstRequestAt),
				lastRequest: rel(sim.lastRequestAt),
				submitNodeEnd: rel(outcome.submitEndMs),
				lastCallbackOk: rel(outcome.lastCallbackOkAt),
				end: rel(outcome.endMs),
			},
			counters: { byStatus: sim.byStatus, accepted: sim.accepted, charges: sim.charges },
			missing,
			windows: sim.windows.map((w) => ({
				...w,
				start: rel(w.start),
				end: rel(w.end),
				lastRequestAt: rel(w.lastRequestAt),
			})),
			polling: variant === 'C' ? undefined : metrics.pollAnalysis(sim.timelines, t0),
			jobs: sim.timelines.map((j) => ({
				requestId: j.requestId,
				submittedAt: rel(j.submittedAt),
				latencyMs: j.latencyMs,
				dueAt: rel(j.dueAt),
				resultCount: j.resultCount,
				credits: j.credits,
				polls: j.polls.map((p) => [rel(p.t), p.status, p.jobStatus]),
				pickupLagMs: j.pickupLagMs,
			})),
			log: sim.entries.map((e) => [
				rel(e.time),
				e.op,
				e.status,
				e.jobStatus ?? '',
				e.requestId ? e.requestId.slice(0, 12) : '',
				e.duplicate ? 'dup' : '',
			]),
		};
		return { summary, raw };
	}

	async runAll() {
		const scenarios = SCENARIOS.filter((s) => this.options.scenarios.includes(s.id));
		for (const scenario of scenarios) await this.runScenario(scenario);
		return scenarios;
	}
}

/** Writes results.md / results.svg (bench/ for a full run, else bench/out/) and prints the table. */
function writeReport(data, rawFile) {
	const { options } = data;
	const full =
		!options.quick &&
		VARIANTS.every((v) => options.only.includes(v)) &&
		SCENARIOS.every((s) => options.scenarios.includes(s.id));
	// Only a full run replaces the committed results; quick or partial runs stay in bench/out/.
	const mdFile = full ? path.join(__dirname, 'results.md') : path.join(OUT_DIR, 'results.md');
	const svgFile = full ? path.join(__dirname, 'results.svg') : path.join(OUT_DIR, 'results.svg');
	fs.mkdirSync(OUT_DIR, { recursive: true });
	fs.writeFileSync(
		mdFile,
		report.markdown(data, {
			svgName: path.basename(svgFile),
			rawFile: path.relative(REPO, rawFile),
		}),
	);
	fs.writeFileSync(svgFile, report.svg(data));
	process.stdout.write(`${report.table(data)}\n${report.overBudgetTable(data)}\n`);
	log(`wrote ${path.relative(REPO, mdFile)}, ${path.relative(REPO, svgFile)}`);
}

/** `--report <raw.json>`: renders the report again from a run's raw data, without running anything. */
function rerender(rawFile) {
	writeReport(JSON.parse(fs.readFileSync(rawFile, 'utf8')), path.resolve(rawFile));
}

async function main(options) {
	if (options.report) return rerender(options.report);
	const bench = new Bench(options);
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	try {
		await bench.setup();
		await bench.runAll();
	} finally {
		await bench.dispose().catch((error) => log(`dispose: ${error.message}`));
	}
	const data = {
		machine: bench.machine,
		options,
		results: bench.results,
		scenarios: bench.raw.scenarios,
	};
	fs.mkdirSync(OUT_DIR, { recursive: true });
	const rawFile = path.join(OUT_DIR, `bench-${stamp}${options.quick ? '-quick' : ''}.json`);
	fs.writeFileSync(rawFile, JSON.stringify(data, null, 1));
	fs.writeFileSync(path.join(OUT_DIR, 'latest.json'), JSON.stringify(data, null, 1));
	log(`raw data: ${path.relative(REPO, rawFile)}`);
	writeReport(data, rawFile);
	return data;
}

module.exports = { main, Bench, SCENARIOS, VARIANTS };

#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: a real n8n on 127.0.0.1 with this package installed, the bundled Nyne simulator, a
 * "Nyne (demo simulator)" credential and the example workflows from examples/. Press Ctrl+C to stop.
 *
 *   node scripts/demo.js            interactive: prints the editor URL and login, runs until Ctrl+C
 *   node scripts/demo.js --check    smoke test: sets everything up, runs the examples through the n8n CLI,
 *                                   prints what came through, stops and exits 0 (1 on any failure)
 *                                   (same as DEMO_CHECK=1)
 *
 * Environment (all optional): DEMO_N8N_PORT (default 5678), DEMO_SIM_PORT (default 8787): preferred ports,
 * another free port is used when taken; DEMO_PASSWORD: the owner's password (default: a random one, printed).
 *
 * Plain Node (no TypeScript toolchain needed to start): runs `npm ci` when node_modules is missing, then
 * `npm run build`, then loads the simulator and the e2e library (TypeScript under test/) from their
 * compiled copy in test/build, which scripts/test-tools.js makes with tsc (see there why): nothing here
 * imports test sources. n8n itself (2.41.1 + Node 24) is installed once into ~/.cache/n8n-nodes-nyne by
 * scripts/install-n8n.sh (a few minutes the first time).
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..');
const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');
const CHECK = process.argv.includes('--check') || process.env.DEMO_CHECK === '1';
const HOST = '127.0.0.1';
const PREFERRED_N8N_PORT = Number(process.env.DEMO_N8N_PORT || 5678);
const PREFERRED_SIM_PORT = Number(process.env.DEMO_SIM_PORT || 8787);

/** Jobs take a few seconds (leads 1.5–5 s, interests 1–3 s); rate limits and callback retries stay real-time. */
const SIM_OPTIONS = { timeScale: 0.5, rateWindowScale: 1, callbackScale: 1 };
const SIM_KEY = 'demo-key';
const SIM_SECRET = 'demo-secret';

const CREDENTIAL = { id: 'nyneDemoCredential', name: 'Nyne (demo simulator)' };
const OWNER = {
	email: 'demo@example.com',
	// n8n wants 8+ characters with an upper-case letter and a digit.
	password: process.env.DEMO_PASSWORD || `Nyne-${crypto.randomBytes(4).toString('hex')}-Demo1`,
	firstName: 'Nyne',
	lastName: 'Demo',
};

/** The example files, in the order they are listed, and what the demo does with each. */
const EXAMPLES = [
	{
		file: 'lead-search-to-crm.json',
		hint: 'click "Execute workflow": Nyne finds leads, one item per lead',
	},
	{
		file: 'scheduled-enrichment.json',
		hint: 'click "Execute workflow": three people, their interests from Nyne, merged',
	},
	{
		file: 'callback-flow-submit.json',
		hint: 'click "Execute workflow": submits two contacts and finishes at once...',
	},
	{
		file: 'callback-flow-receive.json',
		hint: '...this one is active and runs when Nyne calls back (see its Executions tab)',
	},
	{
		file: 'ai-agent-tool.json',
		hint: 'needs an OpenAI credential in "OpenAI Chat Model", then open the chat',
	},
];
/** The callback URL written in callback-flow-submit.json, for an n8n on its default address. */
const EXAMPLE_WEBHOOK_BASE = 'http://localhost:5678/';

// ---------------------------------------------------------------------------------------------- output

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\u001b[1m${s}\u001b[22m` : s);
const dim = (s) => (color ? `\u001b[2m${s}\u001b[22m` : s);
const log = (message) => process.stdout.write(`${dim(`[demo ${elapsed()}]`)} ${message}\n`);

// ---------------------------------------------------------------------------------------------- state + shutdown

let tmpDir;
let sim;
let instance;
let lib; // test/e2e/lib, once loaded
let stopping = false;
let firstSignalAt = 0;

function removeTmpDir() {
	if (tmpDir && fs.existsSync(tmpDir)) fs.rmSync(tmpDir, { recursive: true, force: true });
}

async function shutdown(exitCode) {
	if (stopping) return;
	stopping = true;
	if (instance || sim) log('Stopping n8n and the Nyne simulator...');
	try {
		if (instance) await instance.dispose(); // SIGTERM to n8n's process group, SIGKILL after a grace period
	} catch (error) {
		log(`could not stop n8n cleanly: ${error.message}`);
	}
	try {
		if (sim) await sim.stop();
	} catch (error) {
		log(`could not stop the simulator cleanly: ${error.message}`);
	}
	lib?.killAllProcessGroups(); // anything still alive (npm, a CLI run) goes too
	removeTmpDir();
	log(`Stopped${tmpDir ? `; removed ${tmpDir}` : ''}.`);
	process.exit(exitCode);
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function onSignal(signal) {
	// `npm run` forwards the terminal's SIGINT to us, so one Ctrl+C can arrive twice: only a repeat a few
	// seconds later means "stop now".
	if (!firstSignalAt) {
		firstSignalAt = Date.now();
		process.stdout.write('\n');
		void shutdown(CHECK ? 130 : 0);
	} else if (Date.now() - firstSignalAt > 3000) {
		log(`${signal} again: killing everything now.`);
		lib?.killAllProcessGroups();
		removeTmpDir();
		process.exit(130);
	}
}
for (const signal of SIGNALS) process.on(signal, onSignal);

/**
 * test/e2e/lib's process module installs its own SIGINT/SIGTERM/SIGHUP handlers the first time it spawns
 * something: they SIGKILL every child at once. The demo stops n8n gracefully itself, so it removes them
 * (its `exit` hook, which kills leftovers, stays).
 */
function ownSignals() {
	for (const signal of SIGNALS) {
		for (const listener of process.listeners(signal)) {
			if (listener !== onSignal) process.removeListener(signal, listener);
		}
	}
}

process.on('exit', removeTmpDir);

async function fail(error) {
	process.stderr.write(`\n[demo] FAILED: ${error && error.stack ? error.stack : String(error)}\n`);
	if (instance) {
		const tail = instance.logs().split('\n').slice(-40).join('\n');
		if (tail.trim()) process.stderr.write(`--- last lines of the n8n log ---\n${tail}\n`);
	}
	await shutdown(1);
}

// ---------------------------------------------------------------------------------------------- helpers

/** Runs a command; output is shown only when it fails (or always, with `inherit`). */
function run(command, args, { inherit = false } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: REPO_DIR,
			stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		child.stderr?.on('data', (chunk) => (output += chunk));
		child.once('error', reject);
		child.once('close', (code, signal) => {
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal})\n${output}`));
		});
	});
}

function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, HOST, () => server.close(() => resolve(true)));
	});
}

async function pickPort(preferred, what) {
	if (preferred > 0 && (await isPortFree(preferred))) return preferred;
	const port = await lib.getFreePort();
	if (preferred > 0) log(`port ${preferred} is busy: ${what} uses ${port}`);
	return port;
}

function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

// ---------------------------------------------------------------------------------------------- steps

async function prepareRepo() {
	const haveDeps = ['typescript', 'n8n-workflow', 'undici'].every((dep) =>
		fs.existsSync(path.join(REPO_DIR, 'node_modules', dep, 'package.json')),
	);
	if (!haveDeps) {
		log('node_modules is missing: running npm ci...');
		try {
			await run('npm', ['ci', '--no-audit', '--no-fund'], { inherit: true });
		} catch {
			// npm >= 11.16 can reject a lockfile that lacks entries for optional platform packages it could not
			// resolve (npm/cli#9846). `npm install --no-save` installs the same tree and leaves the lockfile alone.
			log(
				'npm ci failed (see above); installing with `npm install --no-save` instead (package-lock.json is left as it is)...',
			);
			await run('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { inherit: true });
		}
	}
	log('Building the package (npm run build)...');
	await run('npm', ['run', 'build']);
}

async function startNyneSimulator() {
	const { startSimulator } = require('./test-tools').load('simulator');
	const options = {
		...SIM_OPTIONS,
		host: HOST,
		keys: [{ key: SIM_KEY, secret: SIM_SECRET }],
		logger: (line) => log(dim(`[nyne-sim] ${line}`)),
	};
	try {
		sim = await startSimulator({ ...options, port: PREFERRED_SIM_PORT });
	} catch (error) {
		if (error.code !== 'EADDRINUSE') throw error;
		log(`port ${PREFERRED_SIM_PORT} is busy: the simulator takes another one`);
		sim = await startSimulator({ ...options, port: 0 });
	}
	log(`Nyne simulator on ${sim.url} (key ${SIM_KEY}, secret ${SIM_SECRET})`);
}

async function installN8n() {
	if (!lib.findInstalledN8n()) {
		log(
			bold(
				`Installing n8n 2.41.1 and Node 24 into ${lib.n8nCacheRoot()}: the first run takes a few minutes (5-10).`,
			),
		);
		process.env.N8N_E2E_VERBOSE = '1'; // stream the installer's progress
	}
	const paths = await lib.ensureN8n();
	ownSignals();
	log(`n8n ${paths.version || ''} at ${paths.installDir}`);
	return paths;
}

async function createInstance(paths) {
	log('Packing the package and installing it into a fresh n8n user folder...');
	const tarball = await lib.packPackage(REPO_DIR, { destDir: path.join(tmpDir, 'pack') });
	ownSignals();
	const userFolder = path.join(tmpDir, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	await lib.installCommunityPackage(userFolder, tarball);
	const port = await pickPort(PREFERRED_N8N_PORT, 'n8n');
	const baseUrl = `http://${HOST}:${port}`;
	instance = new lib.N8nInstance(
		paths,
		userFolder,
		port,
		await lib.getFreePort(), // task broker
		crypto.randomBytes(24).toString('hex'),
		{
			// Needed by n8n versions that gate community nodes as AI tools (2.41.1 no longer checks it).
			N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
			// Webhook URLs (the Nyne Trigger's Production URL) on this address, as the callback example expects.
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_WEBHOOK_URL: `${baseUrl}/`,
		},
		false,
	);
	return instance;
}

async function importEverything() {
	log(`Importing the credential "${CREDENTIAL.name}" and ${EXAMPLES.length} example workflows...`);
	await instance.importCredentials([
		{
			...CREDENTIAL,
			type: 'nyneApi',
			data: { apiKey: SIM_KEY, apiSecret: SIM_SECRET, baseUrl: sim.url },
		},
	]);
	// One `n8n import:workflow --separate` for all of them: each CLI run boots n8n, which takes seconds.
	const importDir = path.join(tmpDir, 'workflows');
	fs.mkdirSync(importDir, { recursive: true });
	const workflows = {};
	for (const example of EXAMPLES) {
		const workflow = readExample(example.file);
		workflow.id = lib.generateN8nId();
		workflow.active = false;
		if (example.file === 'callback-flow-submit.json') {
			// The example targets an n8n on localhost:5678; point it at this instance's webhook address.
			const options = workflow.nodes.find((node) => node.name === 'Submit Interests').parameters
				.options;
			options.callbackUrl = options.callbackUrl.replace(
				EXAMPLE_WEBHOOK_BASE,
				`${instance.baseUrl}/`,
			);
		}
		fs.writeFileSync(path.join(importDir, example.file), JSON.stringify(workflow, null, 2));
		workflows[example.file] = { id: workflow.id, name: workflow.name, workflow };
	}
	const result = await instance.runCli(['import:workflow', '--separate', `--input=${importDir}`]);
	const output = result.stdout + result.stderr;
	if (!new RegExp(`Successfully imported ${EXAMPLES.length} workflows`).test(output)) {
		throw new Error(`n8n did not import all example workflows:\n${output}`);
	}
	return workflows;
}

async function startN8n(workflows) {
	log(`Starting n8n on ${instance.baseUrl}...`);
	await instance.start({ timeoutMs: 180_000 });
	ownSignals();
	await instance.setupOwnerAndLogin(OWNER);
	const receiver = workflows['callback-flow-receive.json'];
	await instance.publishWorkflow(receiver.id);
	const url = await instance.webhookUrl(receiver.id, 'Nyne Trigger');
	const trigger = receiver.workflow.nodes.find((node) => node.name === 'Nyne Trigger');
	const expected = `${instance.baseUrl}/webhook/${trigger.webhookId}/nyne`;
	if (url !== expected)
		throw new Error(
			`the Nyne Trigger listens on ${url}, but the callback example uses ${expected}`,
		);
	log(`Published "${receiver.name}": Nyne Trigger on ${url}`);
}

/** Every node type (and version) the examples use must be loaded, e.g. the generated `n8n-nodes-nyne.nyneTool`. */
async function verifyNodeTypes(workflows) {
	const session = await instance.setupOwnerAndLogin(OWNER);
	const known = new Map();
	for (const type of await session.nodeTypes()) {
		const versions = Array.isArray(type.version) ? type.version : [type.version];
		known.set(type.name, new Set([...(known.get(type.name) ?? []), ...versions]));
	}
	const missing = [];
	for (const { name, workflow } of Object.values(workflows)) {
		for (const node of workflow.nodes) {
			if (!known.get(node.type)?.has(node.typeVersion))
				missing.push(`${name}: "${node.name}" (${node.type} v${node.typeVersion})`);
		}
	}
	if (missing.length > 0) {
		const message = `n8n does not know these nodes of the examples:\n  ${missing.join('\n  ')}`;
		if (CHECK) throw new Error(message);
		log(`WARNING: ${message}`);
	} else {
		log(
			'Every node of the examples is known to n8n (including n8n-nodes-nyne.nyneTool for the AI agent).',
		);
	}
}

// ---------------------------------------------------------------------------------------------- --check

async function check(workflows) {
	const items = (run, node) => lib.nodeOutput(run, node);
	const executeOk = async (file) => {
		const { id, name } = workflows[file];
		log(`Executing "${name}" with the n8n CLI...`);
		const result = await instance.executeDetailed(id, { timeoutMs: 300_000 });
		const error = lib.runError(result.run);
		if (error || result.exitCode !== 0) {
			throw new Error(
				`"${name}" failed (exit ${result.exitCode}): ${error ? error.message : result.stderr.slice(-2000)}`,
			);
		}
		return result.run;
	};

	// 1. Lead search → contacts (the CRM step is disabled and passes the items through).
	const leadsRun = await executeOk('lead-search-to-crm.json');
	const leads = items(leadsRun, 'Search Leads');
	const contacts = items(leadsRun, 'Map Lead to Contact');
	if (leads.length === 0) throw new Error('Search Leads returned no leads');
	if (contacts.length !== leads.length)
		throw new Error(`${leads.length} leads but ${contacts.length} contacts`);
	log(
		bold(
			`Lead search: ${leads.length} leads came through, e.g. ${contacts[0].name} (${contacts[0].headline})`,
		),
	);

	// 2. Scheduled enrichment, through its manual trigger.
	const enrichRun = await executeOk('scheduled-enrichment.json');
	const people = items(enrichRun, 'People to Enrich');
	const enriched = items(enrichRun, 'Pick Fields');
	if (enriched.length !== people.length)
		throw new Error(`${people.length} people but ${enriched.length} enriched`);
	log(
		bold(
			`Enrichment: ${enriched.length} people enriched, e.g. ${enriched[0].name}: ${JSON.stringify(enriched[0].archetypes)}`,
		),
	);

	// 3. Callback flow: submit, then the published receiver runs when the simulator calls back.
	const receiver = workflows['callback-flow-receive.json'];
	const before = (await instance.executions(receiver.id)).length;
	const submitRun = await executeOk('callback-flow-submit.json');
	const crmContacts = items(submitRun, 'Contacts');
	const submitted = items(submitRun, 'Submit Interests');
	if (submitted.length !== crmContacts.length || submitted.some((job) => !job.request_id)) {
		throw new Error('Submit Interests did not output one request_id per contact');
	}
	log(
		`Submitted ${submitted.length} jobs (status ${submitted[0].status}); waiting for the callbacks...`,
	);
	const executions = await instance.waitForExecutions(receiver.id, before + submitted.length, {
		timeoutMs: 120_000,
	});
	const received = [];
	for (const execution of executions.slice(before)) {
		if (execution.status !== 'success')
			throw new Error(`the receiver's execution #${execution.id} ended ${execution.status}`);
		received.push(...items(await instance.getExecution(execution.id), 'Update Contact'));
	}
	// Each result must come back to the contact its job was submitted for.
	crmContacts.forEach((contact, index) => {
		const row = received.find((item) => item.request_id === submitted[index].request_id);
		if (!row || row.contact_id !== contact.id)
			throw new Error(
				`the result of job ${submitted[index].request_id} did not come back to contact ${contact.id}`,
			);
	});
	log(
		bold(
			`Callback flow: the Nyne Trigger received the interests of contacts ${received.map((row) => row.contact_id).join(', ')}, each with its contact_id`,
		),
	);
}

// ---------------------------------------------------------------------------------------------- interactive

function printBanner(workflows, paths) {
	const url = instance.baseUrl;
	const width = Math.max(...Object.values(workflows).map((w) => w.name.length));
	const lines = [
		'',
		bold(`n8n ${paths.version || ''} with n8n-nodes-nyne is running.`),
		'',
		`  Editor:      ${bold(url)}`,
		`  Log in:      ${bold(OWNER.email)} / ${bold(OWNER.password)}`,
		`  Nyne:        simulator on ${sim.url}; the credential "${CREDENTIAL.name}" points at it`,
		'',
		'  Open the example workflows (Overview → Workflows):',
		...EXAMPLES.map(({ file, hint }) => {
			const { id, name } = workflows[file];
			return `    ${name.padEnd(width)}  ${url}/workflow/${id}\n    ${' '.repeat(width)}  ${dim(hint)}`;
		}),
		'',
		dim(
			'  Simulator markers: put [n=3], [empty], [fail] or [instant] into a search description, name or URL',
		),
		dim('  to choose the result. Callbacks the simulator makes are logged below.'),
		'',
		bold('Press Ctrl+C to stop.'),
		'',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

async function waitUntilStopped() {
	// The simulator's server keeps the process alive; watch n8n in case it dies on its own.
	for (;;) {
		await new Promise((resolve) => setTimeout(resolve, 2000));
		if (stopping) return;
		if (!instance.isRunning) {
			throw new Error(`n8n exited unexpectedly; its log was ${instance.logFile}`);
		}
	}
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
	log(CHECK ? 'n8n-nodes-nyne demo: check mode' : 'n8n-nodes-nyne demo');
	await prepareRepo();
	lib = require('./test-tools').load('e2e/lib');
	tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nyne-demo-'));
	await startNyneSimulator();
	const paths = await installN8n();
	await createInstance(paths);
	const workflows = await importEverything();
	await startN8n(workflows);
	await verifyNodeTypes(workflows);
	if (CHECK) {
		await check(workflows);
		log(bold('Check passed.'));
		await shutdown(0);
		return;
	}
	printBanner(workflows, paths);
	await waitUntilStopped();
}

main().catch(fail);

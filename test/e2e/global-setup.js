/**
 * Jest globalSetup of every e2e project (jest.config.js), run once per project before any test file, only
 * when that project has tests to run: what the e2e tests need and `npm test` must provide by itself on a
 * fresh clone.
 *
 * - builds the package (`npm run build`; e2e tests pack dist/ into a real n8n), once per jest run;
 * - installs the project's n8n version into the cache (scripts/install-n8n.sh; minutes the first time,
 *   nothing after). The first call starts the installs of every selected version at once.
 *
 * A failed install does not abort the run (the unit tests still report): it is recorded in the environment
 * and test/e2e/lib's ensureN8n() fails every test of that version with its message.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { installErrorVariable, selectedVersions } = require('./n8n-versions');

const REPO_DIR = path.resolve(__dirname, '../..');
const STATE = Symbol.for('n8n-nodes-nyne.e2e-global-setup');

function log(message) {
	process.stderr.write(`[e2e setup] ${message}\n`);
}

/** Runs a command; resolves with its combined output, rejects with it on a non-zero exit. */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: REPO_DIR,
			stdio: ['ignore', 'pipe', 'pipe'],
			...options,
		});
		let output = '';
		const collect = (chunk) => {
			output += chunk;
			if (options.stream) process.stderr.write(chunk);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}\n${output}`));
		});
	});
}

async function build() {
	const started = Date.now();
	log('building the package (npm run build)');
	await run('npm', ['run', 'build']);
	log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function install(version) {
	const started = Date.now();
	try {
		// Progress goes to stderr (prefixed with the version); nothing is printed for a cached install.
		await run('bash', [path.join(REPO_DIR, 'scripts/install-n8n.sh')], {
			env: { ...process.env, N8N_VERSION: version },
			stream: process.env.N8N_E2E_VERBOSE === '1',
		});
		log(`n8n ${version} ready (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	} catch (error) {
		log(`n8n ${version} could not be installed: its e2e tests will fail\n${error.message}`);
		process.env[installErrorVariable(version)] = error.message.slice(0, 4000);
	}
}

module.exports = async function e2eGlobalSetup(_globalConfig, projectConfig) {
	if (process.env.N8N_E2E !== '1') return;
	const version = projectConfig.globals.N8N_E2E_VERSION;
	const state = (globalThis[STATE] ??= { installs: new Map() });
	for (const each of [version, ...selectedVersions()]) {
		if (!state.installs.has(each)) state.installs.set(each, install(each));
	}
	state.build ??= build();
	await state.build;
	await state.installs.get(version);
};

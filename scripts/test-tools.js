'use strict';
/**
 * The Nyne simulator (test/simulator) and the e2e library (test/e2e/lib) for plain-Node programs: the demo,
 * the benchmark and the simulator's CLI. Both are TypeScript test code, so nothing outside test/ imports
 * their sources; `tsc -p test/tsconfig.tools.json` (the project's own TypeScript, type-checked) compiles them
 * into test/build/ (git-ignored, not in the package), and they are loaded from there. tsc runs only when a
 * source or tsconfig is newer than the last build, so a start with nothing changed costs nothing. A compiled copy instead of a require.extensions hook: that
 * API is deprecated, and compiled JavaScript is what any Node program can load.
 *
 *   const tools = require('./test-tools');
 *   const { startSimulator } = tools.load('simulator');   // test/build/simulator/index.js
 *   const e2e = tools.load('e2e/lib');
 *
 * `node scripts/test-tools.js` only compiles.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..');
const TSCONFIG = path.join(REPO_DIR, 'test', 'tsconfig.tools.json');
const BUILD_DIR = path.join(REPO_DIR, 'test', 'build');
const BUILD_INFO = path.join(BUILD_DIR, '.tsbuildinfo');
const SOURCES = [
	path.join(REPO_DIR, 'test', 'simulator'),
	path.join(REPO_DIR, 'test', 'e2e', 'lib'),
	path.join(REPO_DIR, 'test', 'e2e', 'n8n-versions.js'),
];
const CONFIGS = [TSCONFIG, path.join(REPO_DIR, 'tsconfig.json')];

function newestChange(paths) {
	let newest = 0;
	for (const entry of paths) {
		const stat = fs.statSync(entry);
		if (stat.isDirectory()) {
			const children = fs
				.readdirSync(entry)
				.filter((name) => name.endsWith('.ts') || !name.includes('.'));
			newest = Math.max(
				newest,
				stat.mtimeMs,
				newestChange(children.map((name) => path.join(entry, name))),
			);
		} else newest = Math.max(newest, stat.mtimeMs);
	}
	return newest;
}

function upToDate() {
	if (!fs.existsSync(BUILD_INFO)) return false;
	return fs.statSync(BUILD_INFO).mtimeMs >= newestChange([...SOURCES, ...CONFIGS]);
}

let built = false;

/** Compiles test/simulator and test/e2e/lib into test/build (once per process). */
function buildTestTools() {
	if (built || upToDate()) {
		built = true;
		return;
	}
	const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_DIR] });
	try {
		execFileSync(process.execPath, [tsc, '-p', TSCONFIG], {
			cwd: REPO_DIR,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	} catch (error) {
		const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
		throw new Error(
			`Compiling test/simulator and test/e2e/lib failed (tsc -p test/tsconfig.tools.json):\n${output || error.message}`,
		);
	}
	// tsc leaves the build info alone when nothing needed emitting: mark this build as the newest.
	const now = new Date();
	fs.utimesSync(BUILD_INFO, now, now);
	built = true;
}

/** require() a compiled module by its path under test/, e.g. 'simulator' or 'simulator/cli'. */
function load(modulePath) {
	buildTestTools();
	return require(path.join(BUILD_DIR, modulePath));
}

module.exports = { REPO_DIR, BUILD_DIR, buildTestTools, load };

if (require.main === module) buildTestTools();

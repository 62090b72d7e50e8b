#!/usr/bin/env node
'use strict';
/**
 * `npm run screenshots`: regenerates README's pictures in examples/screenshots/ from the current code. It builds
 * the package, makes sure Debian's Chromium is there (scripts/install-chromium.sh), runs the browser suite
 * (test/browser/, a real n8n with the packed package and the Nyne simulator) and, only when every step passed,
 * replaces the pictures with the ones the suite took. Nothing is drawn by hand.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..');
const TARGET = path.join(REPO_DIR, 'examples', 'screenshots');

function run(command, args, env = process.env) {
	const result = spawnSync(command, args, { cwd: REPO_DIR, stdio: 'inherit', env });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function main(taken) {
	run('npm', ['run', 'build']);
	run('bash', ['scripts/install-chromium.sh']);
	run('npx', ['jest', '--selectProjects', 'browser'], {
		...process.env,
		N8N_E2E: '1',
		NYNE_SCREENSHOTS_DIR: taken,
	});
	const pictures = fs.readdirSync(taken).filter((file) => file.endsWith('.png'));
	if (pictures.length === 0)
		throw new Error('the browser suite took no pictures (was it skipped?)');
	fs.mkdirSync(TARGET, { recursive: true });
	for (const old of fs.readdirSync(TARGET).filter((file) => file.endsWith('.png')))
		fs.rmSync(path.join(TARGET, old));
	for (const picture of pictures)
		fs.copyFileSync(path.join(taken, picture), path.join(TARGET, picture));
	console.log(
		`[screenshots] ${pictures.length} pictures written to ${path.relative(REPO_DIR, TARGET)}/: ${pictures.join(', ')}`,
	);
}

const taken = fs.mkdtempSync(path.join(os.tmpdir(), 'nyne-screenshots-'));
try {
	main(taken);
} catch (error) {
	console.error(`[screenshots] ${error.message}: pictures not updated`);
	process.exitCode = 1;
} finally {
	fs.rmSync(taken, { recursive: true, force: true });
}

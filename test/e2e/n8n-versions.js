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
 * npm `overrides` an install of that n8n version needs (scripts/install-n8n.sh writes them into its
 * package.json), each with why. Only registry versions: CI reaches nothing else.
 */
function installOverrides(version) {
	const overrides = {};
	// n8n 1.x's tree names xlsx by a tarball URL on cdn.sheetjs.com, off the npm registry: use the
	// registry's last xlsx release.
	if (version.startsWith('1.')) overrides.xlsx = '0.18.5';
	// n8n 2.41.3 depends on @n8n/agents 0.26.2, which the npm registry does not have (install fails with
	// ETARGET): use 0.26.1, the one 2.41.1 ships.
	if (version === '2.41.3') overrides['@n8n/agents'] = '0.26.1';
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
			throw new Error(`N8N_VERSIONS: "${version}" is not an exact n8n version like 2.41.1 (or use N8N_VERSIONS=matrix)`);
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
// `node test/e2e/n8n-versions.js overrides <version>` prints that version's npm overrides as JSON.
if (require.main === module) {
	const which = process.argv[2] ?? 'selected';
	if (which === 'overrides') {
		process.stdout.write(`${JSON.stringify(installOverrides(process.argv[3] ?? ''))}\n`);
		process.exit(0);
	}
	const list = which === 'pinned' ? [PINNED] : which === 'matrix' ? MATRIX : selectedVersions();
	process.stdout.write(`${list.join('\n')}\n`);
}

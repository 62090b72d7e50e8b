/**
 * Jest reporter (jest.config.js): after a run, one line per jest project with its totals, e.g.
 * "e2e n8n 1.123.81: 52 passed, 0 failed, 1 skipped" — so a run over the n8n version matrix shows what ran on
 * each version (jest's own summary and its --json output only give the grand total).
 */
class ProjectTotalsReporter {
	constructor() {
		this.totals = new Map();
	}

	onTestResult(test, result) {
		const { config } = test.context;
		const displayName = config.displayName?.name ?? config.displayName ?? 'tests';
		const version = config.globals?.N8N_E2E_VERSION;
		const name =
			version && !displayName.includes(version) ? `${displayName} (n8n ${version})` : displayName;
		const totals = this.totals.get(name) ?? { passed: 0, failed: 0, skipped: 0, failedFiles: 0 };
		totals.passed += result.numPassingTests;
		totals.failed += result.numFailingTests;
		totals.skipped += result.numPendingTests + (result.numTodoTests ?? 0);
		// A file that failed to run (a throwing beforeAll, a syntax error) may count no failed test.
		if (result.testExecError || (result.failureMessage && result.numFailingTests === 0))
			totals.failedFiles += 1;
		this.totals.set(name, totals);
	}

	onRunComplete() {
		if (this.totals.size === 0) return;
		const lines = [...this.totals]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([name, t]) => {
				const files = t.failedFiles > 0 ? `, ${t.failedFiles} file(s) failed to run` : '';
				return `  ${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${files}`;
			});
		process.stderr.write(`\nper project:\n${lines.join('\n')}\n`);
	}
}

module.exports = ProjectTotalsReporter;

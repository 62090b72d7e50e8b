// Prints jest's totals as one plain line, so a run that executed no test is visible at a glance.
const fs = require('fs');

const file = process.argv[2] ?? '.jest-results.json';
if (!fs.existsSync(file)) {
	console.log('tests: 0 passed, 0 failed (jest wrote no results)');
	process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = results.numPendingTests + (results.numTodoTests ?? 0);
console.log(
	`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`,
);
if (results.numTotalTests === 0 || results.numFailedTestSuites > 0) process.exit(1);

/**
 * `npm test` runs every layer: unit and integration tests (the nodes in n8n-core's real engine, against
 * the Nyne simulator) and end-to-end tests (the packed package inside a real n8n). Before the e2e tests,
 * test/e2e/global-setup.js builds the package and installs each n8n version into ~/.cache/n8n-nodes-nyne
 * (first run only; reused after).
 *
 * The e2e suite runs once per n8n version chosen by N8N_VERSIONS (test/e2e/n8n-versions.js): by default the
 * pinned one, as project "e2e"; with N8N_VERSIONS=matrix (CI) also projects "e2e n8n <version>".
 * Set N8N_E2E=0 to leave the e2e projects' tests skipped (and nothing built or installed) for a quick run.
 */
const { PINNED, selectedVersions } = require('./test/e2e/n8n-versions');

process.env.N8N_E2E = process.env.N8N_E2E || '1';

// tsconfig sets isolatedModules, so tests only transpile (fast); `npm run typecheck` checks types.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] };

const e2eProjects = selectedVersions().map((version, index) => ({
	// The first version keeps the plain name, so `--selectProjects e2e` always means "the e2e suite".
	displayName: index === 0 ? 'e2e' : `e2e n8n ${version}`,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform,
	// Builds the package and installs this project's n8n before any e2e test file runs.
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	// Jest reads testTimeout only at the top level: the e2e budget is set in test/e2e/setup.ts, which also
	// points test/e2e/lib at this project's n8n version (N8N_VERSION).
	setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
	globals: { N8N_E2E_VERSION: version },
}));

/** @type {import('jest').Config} */
module.exports = {
	// n8n instances are several processes each: on this project's 2-core machines run test files one by one.
	maxWorkers: 1,
	testTimeout: 60_000,
	reporters: ['default', '<rootDir>/scripts/jest-project-totals.js'],
	projects: [
		{
			displayName: 'unit+integration',
			testEnvironment: 'node',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/browser/'],
			transform,
		},
		...e2eProjects,
		{
			// A person in n8n's editor: headless Chromium (Debian's, driven by playwright-core) against a real n8n
			// of the pinned version (test/browser/editor-journey.browser.test.ts). Built and installed by the same
			// global setup as e2e; skipped with N8N_E2E=0 like e2e.
			displayName: 'browser',
			testEnvironment: 'node',
			roots: ['<rootDir>/test/browser'],
			testMatch: ['**/*.browser.test.ts'],
			transform,
			globalSetup: '<rootDir>/test/e2e/global-setup.js',
			setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
			globals: { N8N_E2E_VERSION: PINNED },
		},
	],
};

/**
 * `npm test` runs every layer: unit and integration tests (the nodes in n8n-core's real engine, against
 * the Nyne simulator) and end-to-end tests (the packed package inside a real n8n, installed on first use
 * into ~/.cache/n8n-nodes-nyne by scripts/install-n8n.sh and reused after).
 * Set N8N_E2E=0 to leave the e2e project's tests skipped for a quick run.
 */
process.env.N8N_E2E = process.env.N8N_E2E || '1';

// tsconfig sets isolatedModules, so tests only transpile (fast); `npm run typecheck` checks types.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] };

/** @type {import('jest').Config} */
module.exports = {
	// n8n instances are several processes each: on this project's 2-core machines run test files one by one.
	maxWorkers: 1,
	testTimeout: 60_000,
	projects: [
		{
			displayName: 'unit+integration',
			testEnvironment: 'node',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
			transform,
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.e2e.test.ts'],
			transform,
			// Jest reads testTimeout only at the top level: the e2e budget is set in test/e2e/setup.ts.
			setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
		},
	],
};

/**
 * End-to-end tests against a real n8n (installed on first use by scripts/install-n8n.sh, ~5 min,
 * then cached). Run with: npx jest --config test/e2e/jest.config.js
 * The e2e test files skip themselves unless N8N_E2E=1, so the plain `npm test` stays fast;
 * this config turns them on.
 */
process.env.N8N_E2E = process.env.N8N_E2E || '1';

/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
	},
	// Each n8n instance is a few hundred MB and several processes; on 2 cores run files one by one.
	maxWorkers: 1,
	// Covers a first-time n8n install inside beforeAll as well.
	testTimeout: 10 * 60_000,
};

/**
 * Loaded before every e2e test file (jest.config.js, project "e2e"). Jest reads `testTimeout` only from the
 * root config, so the e2e budget is set here: setup packs, installs and starts a real n8n (minutes the very
 * first time, when n8n itself is installed).
 */
jest.setTimeout(15 * 60_000);

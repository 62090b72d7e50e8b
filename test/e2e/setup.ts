/**
 * Loaded before every e2e test file (jest.config.js, the e2e projects). Jest reads `testTimeout` only from the
 * root config, so the e2e budget is set here: setup packs, installs and starts a real n8n (n8n itself is
 * installed by test/e2e/global-setup.js before the first test file).
 *
 * Each e2e project runs on one n8n version (its `globals.N8N_E2E_VERSION`); test/e2e/lib reads N8N_VERSION.
 * Jest gives every test file its own copy of process.env, so this does not leak into other projects.
 */
jest.setTimeout(15 * 60_000);

const projectVersion = (globalThis as { N8N_E2E_VERSION?: unknown }).N8N_E2E_VERSION;
if (typeof projectVersion === 'string') process.env.N8N_VERSION = projectVersion;

/**
 * Jest setup entry (`setupFilesAfterEnv`, or `setupFiles`): gives every test file a temporary
 * N8N_USER_FOLDER (and n8n's quiet test defaults) before the test file's own imports run, so nothing
 * n8n-related writes to the home folder, even in test files that import n8n-core without the harness.
 * Under `setupFilesAfterEnv` the folder is also removed after the test file.
 */
import { removeUserFolder } from './env';

if (typeof afterAll === 'function') afterAll(removeUserFolder);

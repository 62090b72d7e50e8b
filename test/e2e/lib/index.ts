/** End-to-end harness for a real n8n: see instance.ts for the main entry point. */
export {
	ensureN8n,
	findInstalledN8n,
	n8nCacheRoot,
	REPO_DIR,
	DEFAULT_N8N_VERSION,
	selectedN8nVersion,
	type N8nPaths,
} from './install';
export { packPackage, type PackOptions } from './pack';
export {
	createN8nInstance,
	installCommunityPackage,
	generateN8nId,
	N8nInstance,
	type CreateN8nInstanceOptions,
	type CredentialImport,
	type WorkflowJson,
	type ExecutionRow,
	type ExecuteResult,
} from './instance';
export {
	N8nRestSession,
	RestError,
	DEFAULT_OWNER,
	type OwnerAccount,
	type CredentialTestResult,
	type CredentialToTest,
	type ExecutionSummary,
	type NodeTypeDescription,
} from './rest';
export {
	extractJsonValues,
	findRunJson,
	isRunJson,
	nodeItems,
	nodeOutput,
	runError,
	type RunJson,
	type TaskRunJson,
	type ItemJson,
	type ExecutionErrorJson,
	type NodeOutputOptions,
} from './run-data';
export { getFreePort, waitFor, sleep, LOOPBACK, type WaitOptions } from './net';
export {
	runCommand,
	spawnGroup,
	stopGroup,
	killAllProcessGroups,
	CommandError,
	type CommandResult,
	type RunCommandOptions,
} from './processes';
export { N8nPublicApi, type PublicExecution } from './public-api';

/** `describe` for e2e suites: skipped when N8N_E2E=0 (`npm run test:fast`). Resolved at call time, so
 * the demo and the benchmark can load this module outside jest. */
export function describeE2e(name: string, suite: () => void): void {
	(process.env.N8N_E2E === '1' ? describe : describe.skip)(name, suite);
}

/**
 * Test harness: runs this package's nodes through n8n-core's real execution engine.
 *
 * - {@link runNode}: one node, `Start → node`, in `WorkflowExecute` (or as an AI agent's tool).
 * - {@link runWorkflow}: any workflow JSON (e.g. Start → Nyne → Set), results by node name.
 * - {@link startWebhookHarness}: a real HTTP server calling a trigger node's `webhook()` as n8n does.
 * - {@link startRecordingServer}: a tiny real HTTP server that records requests, to stand in for an API.
 * - {@link getLogs} / {@link logText}: what n8n logged (nothing is printed), e.g. to check secrets never are.
 *
 * Importing this module points N8N_USER_FOLDER at a temporary folder (removed after the test file).
 */
import { removeUserFolder } from './env';
import {
	executeWorkflow,
	type ExecuteWorkflowOptions,
	type WorkflowJson,
	type WorkflowRunResult,
} from './execution';

export {
	runNode,
	START_NODE,
	AGENT_NODE,
	type RunNodeOptions,
	type RunNodeResult,
} from './run-node';
export {
	executeWorkflow,
	toExecutionData,
	type CancelOptions,
	type ExecuteWorkflowOptions,
	type NodeRunResult,
	type NyneCredentialData,
	type WorkflowJson,
	type WorkflowNode,
	type WorkflowRunResult,
} from './execution';
export {
	startWebhookHarness,
	type WebhookCall,
	type WebhookHarness,
	type WebhookHarnessOptions,
} from './webhook';
export {
	startRecordingServer,
	type HandlerResponse,
	type RecordedRequest,
	type RecordingServer,
} from './http-server';
export { HarnessNodeTypes, NODE_TYPES } from './node-types';
export { CredentialTypes, HarnessCredentialsHelper, credentialRef } from './credentials';
export { clearLogs, getLogs, logText, type LogEntry } from './logger';
export { initN8nCore } from './bootstrap';
export { userFolder } from './env';

/** Runs a workflow given as n8n workflow JSON; see {@link executeWorkflow}. */
export async function runWorkflow(
	workflow: WorkflowJson,
	options: ExecuteWorkflowOptions = {},
): Promise<WorkflowRunResult> {
	return await executeWorkflow(workflow, options);
}

if (typeof afterAll === 'function') afterAll(removeUserFolder);

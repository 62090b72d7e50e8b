/**
 * `IWorkflowExecuteAdditionalData`: what n8n's CLI hands n8n-core for one execution
 * (`WorkflowExecuteAdditionalData.getBase()` plus the lifecycle hooks). Everything a node of this package can
 * reach is real; what needs the n8n server (sub-workflows, task runners, data tables, external secrets)
 * fails clearly if a node ever calls it.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { newExternalSecretsProxy, type HarnessCredentialsHelper } from './credentials';

function unsupported(what: string): never {
	throw new Error(`${what} is not available in the test harness`);
}

export interface AdditionalDataOptions {
	credentialsHelper: HarnessCredentialsHelper;
	workflowData: IWorkflowBase;
	mode: WorkflowExecuteMode;
	executionId?: string;
	/** Base URL that webhook URLs (`$execution.resumeUrl`, `getNodeWebhookUrl`) are built from. */
	instanceBaseUrl?: string;
	/** n8n's workflow timeout, as an absolute time (ms since epoch). */
	executionTimeoutTimestamp?: number;
}

export function buildAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	const executionId = options.executionId ?? randomUUID();
	const base = (options.instanceBaseUrl ?? 'http://127.0.0.1:5678').replace(/\/+$/, '');
	const hooks = new ExecutionLifecycleHooks(options.mode, executionId, options.workflowData);
	return {
		credentialsHelper: options.credentialsHelper,
		hooks,
		externalSecretsProxy: newExternalSecretsProxy(),
		executionId,
		workflowId: options.workflowData.id,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		logAiEvent: () => undefined,
		executeWorkflow: async () => unsupported('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => unsupported('A task runner (Code node)'),
	};
}

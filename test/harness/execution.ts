/**
 * Runs a workflow with n8n-core's `WorkflowExecute`, the engine n8n itself uses: the execution stack,
 * parameter/expression resolution, credentials, `continueOnFail`/`onError`, paired items, cancellation.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ExecutionError,
	type ExecutionStatus,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IPinData,
	type IRun,
	type IRunData,
	type ITaskData,
	type IWorkflowBase,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import type PCancelable from 'p-cancelable';

import { buildAdditionalData } from './additional-data';
import { initN8nCore } from './bootstrap';
import { CredentialTypes, HarnessCredentialsHelper, credentialRef } from './credentials';
import { HarnessNodeTypes } from './node-types';

/** A node as written in workflow JSON; the harness fills in id, typeVersion and position when left out. */
export type WorkflowNode = Omit<INode, 'id' | 'typeVersion' | 'position' | 'parameters'> &
	Partial<Pick<INode, 'id' | 'typeVersion' | 'position' | 'parameters'>>;

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: WorkflowNode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
	pinData?: IPinData;
}

/** The Nyne API credential's fields. */
export interface NyneCredentialData {
	apiKey?: string;
	apiSecret?: string;
	baseUrl?: string;
	[field: string]: unknown;
}

export interface CancelOptions {
	/** Cancelling this signal cancels the execution, as the Stop button in n8n does. */
	signal?: AbortSignal;
	/** Cancel the execution this long after it started. */
	cancelAfterMs?: number;
	/**
	 * After a cancel, how long the execution may take to wind down before the run fails with an error saying
	 * it did not stop (default 10 s). n8n-core's run only settles once the running node returns.
	 */
	stopTimeoutMs?: number;
}

export interface ExecuteWorkflowOptions extends CancelOptions {
	/** The `nyneApi` credential; `null` or left out: none. */
	credentials?: NyneCredentialData | null;
	/** Credentials of any registered type, by type name (e.g. `{ nyneApi: {...} }`). */
	credentialsByType?: Record<string, ICredentialDataDecryptedObject>;
	/** Name of the node the execution starts at; default: the first node without main inputs. */
	startNode?: string;
	/** What the start node receives (and, for the harness Start node, outputs). Default `[{}]`. */
	items?: Array<IDataObject | INodeExecutionData>;
	/** n8n execution mode; default `manual` (a run from the editor). */
	mode?: WorkflowExecuteMode;
	/**
	 * n8n's workflow timeout (workflow settings → Timeout), in ms from the start: the execution is cancelled
	 * then, as n8n does, and `executionTimeoutTimestamp` is set for the engine's own checks between nodes.
	 */
	executionTimeoutMs?: number;
	/** Base URL n8n believes it runs at (webhook / resume URLs). */
	instanceBaseUrl?: string;
	/** Extra node types (e.g. test-local ones) by full type name. */
	nodeTypes?: HarnessNodeTypes;
	credentialTypes?: CredentialTypes;
}

export interface NodeRunResult {
	/** Main output 0 of the node's last run. */
	items: INodeExecutionData[];
	/** Every main output of the node's last run. */
	outputs: INodeExecutionData[][];
	/** The error n8n stored for the node's last run, if it failed. */
	error?: ExecutionError;
	executionStatus?: ExecutionStatus;
	/** All runs of the node, as n8n stores them. */
	runs: ITaskData[];
}

export interface WorkflowRunResult {
	/** n8n's complete result of the execution. */
	run: IRun;
	executionStatus: ExecutionStatus;
	runData: IRunData;
	/** The execution-level error (`resultData.error`), as n8n stores it. */
	error?: ExecutionError;
	/** Each node that ran, by name. */
	nodes: Record<string, NodeRunResult>;
	/** Node names in the order their runs finished (n8n's `nodeExecuteAfter` hook). */
	executionOrder: string[];
	/** The workflow's static data after the run. */
	staticData: IDataObject;
	/** Whether the harness cancelled the execution. */
	cancelled: boolean;
	/** ms since epoch: start, cancel request (if any), end. */
	timings: { startedAt: number; cancelRequestedAt?: number; finishedAt: number };
}

function isExecutionData(item: IDataObject | INodeExecutionData): item is INodeExecutionData {
	return typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json);
}

export function toExecutionData(
	items: Array<IDataObject | INodeExecutionData>,
): INodeExecutionData[] {
	return items.map((item) => (isExecutionData(item) ? item : { json: item }));
}

function nodeRunResult(runs: ITaskData[]): NodeRunResult {
	const last = runs[runs.length - 1];
	const outputs = (last?.data?.main ?? []).map((output) => output ?? []);
	return {
		items: outputs[0] ?? [],
		outputs,
		error: last?.error,
		executionStatus: last?.executionStatus,
		runs,
	};
}

/** Nodes with defaults filled in and credential references pointing at the harness's stored credentials. */
function prepareNodes(
	json: WorkflowJson,
	nodeTypes: HarnessNodeTypes,
	credentialTypesWithData: Set<string>,
): INode[] {
	return json.nodes.map((raw, index) => {
		const nodeType = nodeTypes.getByNameAndVersion(raw.type, raw.typeVersion);
		const versions = nodeType.description.version;
		const node: INode = {
			...raw,
			id: raw.id ?? randomUUID(),
			typeVersion: raw.typeVersion ?? (Array.isArray(versions) ? Math.max(...versions) : versions),
			position: raw.position ?? [index * 220, 0],
			parameters: raw.parameters ?? {},
		};
		if (nodeType.description.webhooks?.length && !node.webhookId) node.webhookId = randomUUID();
		for (const description of nodeType.description.credentials ?? []) {
			if (!credentialTypesWithData.has(description.name)) continue;
			node.credentials = {
				...node.credentials,
				[description.name]: credentialRef(description.name),
			};
		}
		return node;
	});
}

/** The execution's start: the named node or the first node without main inputs. */
function findStartNode(workflow: Workflow, nodeTypes: HarnessNodeTypes, name?: string): INode {
	if (name) {
		const node = workflow.getNode(name);
		if (!node) throw new Error(`The workflow has no node "${name}"`);
		return node;
	}
	for (const node of Object.values(workflow.nodes)) {
		const description = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
		const inputs = NodeHelpers.getNodeInputs(workflow, node, description);
		const hasMainInput = NodeHelpers.getConnectionTypes(inputs).includes('main');
		if (!hasMainInput && !node.disabled) return node;
	}
	throw new Error('The workflow has no start node (a node without main inputs)');
}

export interface HarnessContext {
	nodeTypes: HarnessNodeTypes;
	credentialsHelper: HarnessCredentialsHelper;
}

/** Stores the given credentials (encrypted) in a fresh credentials helper. */
export async function prepareCredentials(
	options: Pick<ExecuteWorkflowOptions, 'credentials' | 'credentialsByType' | 'credentialTypes'>,
): Promise<{ helper: HarnessCredentialsHelper; types: Set<string> }> {
	initN8nCore();
	const helper = new HarnessCredentialsHelper(options.credentialTypes ?? new CredentialTypes());
	const byType: Record<string, ICredentialDataDecryptedObject> = { ...options.credentialsByType };
	if (options.credentials) byType.nyneApi = options.credentials as ICredentialDataDecryptedObject;
	for (const [type, data] of Object.entries(byType)) await helper.setCredential(type, data);
	return { helper, types: new Set(Object.keys(byType)) };
}

/** Runs `json` in n8n-core's WorkflowExecute and collects what n8n recorded. */
export async function executeWorkflow(
	json: WorkflowJson,
	options: ExecuteWorkflowOptions = {},
): Promise<WorkflowRunResult> {
	initN8nCore();
	const nodeTypes = options.nodeTypes ?? new HarnessNodeTypes();
	const { helper: credentialsHelper, types } = await prepareCredentials(options);
	const mode = options.mode ?? 'manual';

	const workflowData: IWorkflowBase = {
		id: json.id ?? 'harness-workflow',
		name: json.name ?? 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: prepareNodes(json, nodeTypes, types),
		connections: json.connections,
		settings: { executionOrder: 'v1', ...json.settings },
		staticData: json.staticData,
		pinData: json.pinData,
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		staticData: workflowData.staticData,
		settings: workflowData.settings,
		pinData: workflowData.pinData,
	});
	const startNode = findStartNode(workflow, nodeTypes, options.startNode);

	const startedAt = Date.now();
	const additionalData = buildAdditionalData({
		credentialsHelper,
		workflowData,
		mode,
		instanceBaseUrl: options.instanceBaseUrl,
		executionTimeoutTimestamp:
			options.executionTimeoutMs !== undefined ? startedAt + options.executionTimeoutMs : undefined,
	});
	const executionOrder: string[] = [];
	additionalData.hooks!.addHandler('nodeExecuteAfter', (nodeName) => {
		executionOrder.push(nodeName);
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [toExecutionData(options.items ?? [{}])] }, source: null },
			],
		},
		resultData: { pinData: workflowData.pinData },
	});
	const engine = new WorkflowExecute(additionalData, mode, runExecutionData);

	let execution: PCancelable<IRun>;
	try {
		execution = engine.processRunExecutionData(workflow);
	} catch (error) {
		// Checked before anything runs, e.g. WorkflowHasIssuesError for a required parameter left empty.
		return failedBeforeStart(error, workflow, startedAt);
	}
	// n8n enforces the workflow timeout by cancelling the execution when it is reached (WorkflowRunner), and
	// WorkflowExecute then reports a TimeoutExecutionCancelledError unless the node failed first.
	const cancelAfterMs = [options.cancelAfterMs, options.executionTimeoutMs].filter(
		(ms): ms is number => ms !== undefined,
	);
	const { run, cancelled, cancelRequestedAt } = await withCancellation(execution, {
		...options,
		cancelAfterMs: cancelAfterMs.length > 0 ? Math.min(...cancelAfterMs) : undefined,
	});
	const runData = run.data.resultData.runData;
	const nodes: Record<string, NodeRunResult> = {};
	for (const [name, runs] of Object.entries(runData)) nodes[name] = nodeRunResult(runs);
	return {
		run,
		executionStatus: run.status,
		runData,
		error: run.data.resultData.error,
		nodes,
		executionOrder,
		staticData: plainStaticData(workflow.staticData),
		cancelled,
		timings: { startedAt, cancelRequestedAt, finishedAt: Date.now() },
	};
}

function failedBeforeStart(
	error: unknown,
	workflow: Workflow,
	startedAt: number,
): WorkflowRunResult {
	const cause = error instanceof Error ? error : new Error(String(error));
	const executionError = {
		...cause,
		message: cause.message,
		stack: cause.stack,
		name: cause.name,
	} as ExecutionError;
	const run: IRun = {
		data: createRunExecutionData({ resultData: { error: executionError } }),
		mode: 'manual',
		startedAt: new Date(startedAt),
		stoppedAt: new Date(),
		storedAt: 'db',
		status: 'error',
	};
	return {
		run,
		executionStatus: 'error',
		runData: {},
		error: executionError,
		nodes: {},
		executionOrder: [],
		staticData: plainStaticData(workflow.staticData),
		cancelled: false,
		timings: { startedAt, finishedAt: Date.now() },
	};
}

/** Static data without n8n's change-tracking marker, as a plain object. */
export function plainStaticData(staticData: IDataObject): IDataObject {
	const copy = JSON.parse(JSON.stringify(staticData ?? {})) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}

/** Awaits the execution, cancelling it on the signal / after `cancelAfterMs`, with a stop deadline. */
async function withCancellation(
	execution: PCancelable<IRun>,
	options: CancelOptions,
): Promise<{ run: IRun; cancelled: boolean; cancelRequestedAt?: number }> {
	let cancelRequestedAt: number | undefined;
	let stopTimer: NodeJS.Timeout | undefined;
	let rejectStop: ((error: Error) => void) | undefined;
	const stopDeadline = new Promise<never>((_, reject) => {
		rejectStop = reject;
	});
	stopDeadline.catch(() => undefined);

	const cancel = () => {
		if (cancelRequestedAt !== undefined) return;
		cancelRequestedAt = Date.now();
		execution.cancel();
		const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
		stopTimer = setTimeout(() => {
			rejectStop?.(
				new Error(
					`The execution was cancelled but did not stop within ${stopTimeoutMs} ms: the running node ignored the cancel signal`,
				),
			);
		}, stopTimeoutMs);
	};

	const cancelTimer =
		options.cancelAfterMs !== undefined ? setTimeout(cancel, options.cancelAfterMs) : undefined;
	if (options.signal?.aborted) cancel();
	options.signal?.addEventListener('abort', cancel, { once: true });
	try {
		const run = await Promise.race([execution, stopDeadline]);
		return { run, cancelled: cancelRequestedAt !== undefined, cancelRequestedAt };
	} finally {
		clearTimeout(cancelTimer);
		clearTimeout(stopTimer);
		options.signal?.removeEventListener('abort', cancel);
	}
}

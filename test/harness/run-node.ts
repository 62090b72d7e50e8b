/**
 * `runNode`: one node under test in a two-node workflow, `Start → <node>`, executed by n8n-core.
 * As a tool (`asTool`), the workflow is `Start → Agent ⇠ <node>Tool` and the node runs the way n8n runs a
 * tool for an AI agent.
 */
import {
	type ExecutionError,
	type ExecutionStatus,
	type IDataObject,
	type INodeExecutionData,
	type INodeParameters,
	type IRunData,
} from 'n8n-workflow';

import {
	executeWorkflow,
	type CancelOptions,
	type ExecuteWorkflowOptions,
	type NyneCredentialData,
	type WorkflowJson,
	type WorkflowRunResult,
} from './execution';
import { NODE_TYPES, type HarnessNodeTypes } from './node-types';

export const START_NODE = 'Start';
export const AGENT_NODE = 'Agent';

export interface RunNodeOptions extends CancelOptions {
	parameters: INodeParameters;
	/** Input items of the node (their JSON); default `[{}]`. */
	items?: Array<IDataObject | INodeExecutionData>;
	/** The `nyneApi` credential; `null`: the node has no credential set. */
	credentials?: NyneCredentialData | null;
	/** Settings → On Error → Continue (using regular output). */
	continueOnFail?: boolean;
	/** Settings → On Error, in full (`continueErrorOutput` adds an error output). Wins over `continueOnFail`. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** Node type, short (`nyne`) or full name; default `nyne`. */
	nodeType?: string;
	/** The node's name in the workflow (what error messages and `$('…')` use); default: the type's default. */
	nodeName?: string;
	/**
	 * Run the node as an AI agent's tool (its `…Tool` variant, `isToolExecution()` true). The tool is called once
	 * per input item with that item's `toolArguments` (or its JSON) as the model's arguments; parameters can
	 * use `$fromAI()`.
	 */
	asTool?: boolean;
	/** Extra node settings (retryOnFail, executeOnce, alwaysOutputData, …). */
	nodeSettings?: Partial<
		Pick<
			WorkflowJson['nodes'][number],
			| 'retryOnFail'
			| 'maxTries'
			| 'waitBetweenTries'
			| 'executeOnce'
			| 'alwaysOutputData'
			| 'disabled'
		>
	>;
	mode?: ExecuteWorkflowOptions['mode'];
	executionTimeoutMs?: number;
	nodeTypes?: HarnessNodeTypes;
}

export interface RunNodeResult {
	/** The node's main output 0 (as a tool: one item per tool call, `{ response }` or `{ toolError }`). */
	items: INodeExecutionData[];
	/** All of the node's main outputs (with `continueErrorOutput`, errors are in output 1). */
	outputs: INodeExecutionData[][];
	/**
	 * The node's error as n8n stores it in the run data (a plain copy of the NodeApiError/NodeOperationError:
	 * `message`, `description`, `httpCode`, `context.itemIndex`, `name`, `node`, …); for a tool, the error
	 * n8n recorded for the tool node. For a failure before the run started (e.g. a required parameter
	 * missing), the execution's error.
	 */
	error?: ExecutionError;
	runData: IRunData;
	/** n8n's status of the whole execution: success, error, canceled, … */
	executionStatus: ExecutionStatus;
	/** The node's own status in the run data. */
	nodeStatus?: ExecutionStatus;
	/** Everything else about the run (IRun, timings, execution order, static data). */
	workflow: WorkflowRunResult;
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const nodeTypes = options.nodeTypes;
	const baseType = options.nodeType ?? 'nyne';
	const fullType = baseType.includes('.') ? baseType : `n8n-nodes-nyne.${baseType}`;
	const nodeName = options.nodeName ?? (options.asTool ? 'Nyne' : defaultName(fullType));
	const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
	const node = {
		name: nodeName,
		type: options.asTool ? `${fullType}Tool` : fullType,
		parameters: options.parameters,
		...(onError ? { onError } : {}),
		...options.nodeSettings,
	};
	const json: WorkflowJson = options.asTool
		? {
				nodes: [
					{ name: START_NODE, type: NODE_TYPES.start },
					{ name: AGENT_NODE, type: NODE_TYPES.toolCaller },
					node,
				],
				connections: {
					[START_NODE]: { main: [[{ node: AGENT_NODE, type: 'main', index: 0 }]] },
					[nodeName]: { ai_tool: [[{ node: AGENT_NODE, type: 'ai_tool', index: 0 }]] },
				},
			}
		: {
				nodes: [{ name: START_NODE, type: NODE_TYPES.start }, node],
				connections: { [START_NODE]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
			};

	const result = await executeWorkflow(json, {
		credentials: options.credentials,
		items: options.items,
		startNode: START_NODE,
		signal: options.signal,
		cancelAfterMs: options.cancelAfterMs,
		stopTimeoutMs: options.stopTimeoutMs,
		mode: options.mode,
		executionTimeoutMs: options.executionTimeoutMs,
		nodeTypes,
	});
	const nodeResult = result.nodes[nodeName];
	const outputNode = options.asTool ? result.nodes[AGENT_NODE] : nodeResult;
	return {
		items: outputNode?.items ?? [],
		outputs: outputNode?.outputs ?? [],
		error:
			nodeResult?.error ??
			(options.asTool ? result.nodes[AGENT_NODE]?.error : undefined) ??
			result.error,
		runData: result.runData,
		executionStatus: result.executionStatus,
		nodeStatus: nodeResult?.executionStatus,
		workflow: result,
	};
}

function defaultName(fullType: string): string {
	const short = fullType.slice(fullType.lastIndexOf('.') + 1);
	return { nyne: 'Nyne', nyneTrigger: 'Nyne Trigger' }[short] ?? short;
}

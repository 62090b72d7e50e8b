/**
 * n8n run data (the `IRun` that `n8n execute --rawOutput` prints, or a saved execution read back
 * through the public API) and helpers to pick node outputs out of it.
 */

export interface ExecutionErrorJson {
	message?: string;
	description?: string | null;
	name?: string;
	node?: { name?: string; type?: string };
	httpCode?: string | number;
	[key: string]: unknown;
}

export interface ItemJson {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	binary?: Record<string, unknown>;
	error?: ExecutionErrorJson;
}

export interface TaskRunJson {
	startTime?: number;
	executionTime?: number;
	executionStatus?: string;
	data?: Record<string, Array<ItemJson[] | null>>;
	error?: ExecutionErrorJson;
	hints?: unknown[];
	source?: unknown[];
}

export interface RunJson {
	data: {
		resultData: {
			runData: Record<string, TaskRunJson[]>;
			error?: ExecutionErrorJson;
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	mode?: string;
	status?: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** End index (exclusive) of the JSON value that starts at text[start] ('{' or '['), or -1. */
function matchingEnd(text: string, start: number): number {
	const stack: string[] = [];
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
			continue;
		}
		if (ch === '"') inString = true;
		else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
		else if (ch === '}' || ch === ']') {
			if (stack.pop() !== ch) return -1;
			if (stack.length === 0) return i + 1;
		}
	}
	return -1;
}

/**
 * Every top-level JSON object or array in mixed log output, in order. A candidate must start a
 * line (after optional spaces), which is how n8n's logger prints `JSON.stringify(x, null, 2)`.
 */
export function extractJsonValues(output: string): unknown[] {
	const text = output.replace(ANSI, '');
	const values: unknown[] = [];
	let lineStart = true; // only spaces/tabs so far on the current line
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if ((ch === '{' || ch === '[') && lineStart) {
			const end = matchingEnd(text, i);
			if (end > 0) {
				try {
					values.push(JSON.parse(text.slice(i, end)));
					i = end;
					lineStart = false;
					continue;
				} catch {
					// not JSON after all (e.g. a log line that starts with '['): keep scanning
				}
			}
		}
		if (ch === '\n') lineStart = true;
		else if (ch !== ' ' && ch !== '\t') lineStart = false;
		i++;
	}
	return values;
}

export function isRunJson(value: unknown): value is RunJson {
	const data = (value as RunJson | null)?.data;
	return typeof data === 'object' && data !== null && typeof data.resultData?.runData === 'object';
}

/** The (last) run data object in `n8n execute` output, or undefined. */
export function findRunJson(output: string): RunJson | undefined {
	return extractJsonValues(output).filter(isRunJson).pop();
}

export interface NodeOutputOptions {
	/** Which run of the node (loops run a node several times). Default 0. */
	runIndex?: number;
	/** Which output of the node (e.g. 1 for an IF node's false branch). Default 0. */
	outputIndex?: number;
	/** Connection type. Default 'main'. */
	connection?: string;
}

/** The items a node emitted, or throws when the node did not run. */
export function nodeItems(
	run: RunJson,
	nodeName: string,
	options: NodeOutputOptions = {},
): ItemJson[] {
	const { runIndex = 0, outputIndex = 0, connection = 'main' } = options;
	const runs = run.data.resultData.runData[nodeName];
	if (!runs) {
		const ran = Object.keys(run.data.resultData.runData).join(', ');
		throw new Error(`node "${nodeName}" did not run (nodes that ran: ${ran || 'none'})`);
	}
	const task = runs[runIndex];
	if (!task)
		throw new Error(`node "${nodeName}" has no run #${runIndex} (it ran ${runs.length} time(s))`);
	if (task.error)
		throw new Error(
			`node "${nodeName}" failed: ${task.error.message ?? JSON.stringify(task.error)}`,
		);
	return task.data?.[connection]?.[outputIndex] ?? [];
}

/** Just the `json` of each item a node emitted. */
export function nodeOutput(
	run: RunJson,
	nodeName: string,
	options: NodeOutputOptions = {},
): Array<Record<string, unknown>> {
	return nodeItems(run, nodeName, options).map((item) => item.json);
}

/** The error that stopped the run, if any. */
export function runError(run: RunJson): ExecutionErrorJson | undefined {
	return run.data.resultData.error;
}

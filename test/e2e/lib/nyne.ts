/**
 * Building blocks for the Nyne e2e tests: workflow JSON for this package's nodes (as the editor
 * would save it), a fast simulator, and reading the simulator's view over HTTP like any client.
 * Not re-exported from index.ts on purpose: only the Nyne e2e files use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import {
	DEFAULT_KEY,
	DEFAULT_SECRET,
	startSimulator,
	type NyneSimulator,
	type SimulatorOptions,
} from '../../simulator';
import { generateN8nId, type N8nInstance, type WorkflowJson } from './instance';

export const PACKAGE_NAME = 'n8n-nodes-nyne';
export const NYNE_NODE_TYPE = `${PACKAGE_NAME}.nyne`;
export const NYNE_TRIGGER_TYPE = `${PACKAGE_NAME}.nyneTrigger`;

export type NodeJson = Record<string, unknown> & { name: string };

/** Simulator tuned for e2e: jobs take tens of ms, rate limits out of the way. */
export function fastSimulator(options: SimulatorOptions = {}): Promise<NyneSimulator> {
	return startSimulator({
		timeScale: 0.01,
		rateWindowScale: 1,
		rateLimit: { perMinute: 10_000, perHour: 100_000 },
		...options,
	});
}

/** Data of a `nyneApi` credential pointing at the simulator. */
export function simCredentialData(
	sim: NyneSimulator,
	overrides: { apiKey?: string; apiSecret?: string } = {},
) {
	return {
		apiKey: overrides.apiKey ?? DEFAULT_KEY,
		apiSecret: overrides.apiSecret ?? DEFAULT_SECRET,
		baseUrl: sim.url,
	};
}

let position = 0;
function nextPosition(): [number, number] {
	position += 1;
	return [(position % 8) * 220, Math.floor(position / 8) * 200];
}

export function manualTrigger(name = 'Start'): NodeJson {
	return {
		id: `${name}-id`,
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: nextPosition(),
		parameters: {},
	};
}

/**
 * Two built-in nodes that turn one item into `rows.length` items (Set with raw JSON, then Split Out),
 * without a Code node (which would start a task runner). Returns [setNode, splitNode]; connect to the
 * split node's name.
 */
export function itemsNodes(
	name: string,
	rows: Array<Record<string, unknown>>,
): [NodeJson, NodeJson] {
	const setName = `${name} (data)`;
	return [
		{
			id: `${setName}-id`,
			name: setName,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: nextPosition(),
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} },
		},
		{
			id: `${name}-id`,
			name,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: nextPosition(),
			parameters: { fieldToSplitOut: 'rows', options: {} },
		},
	];
}

export interface NyneNodeOptions {
	credential: { id: string; name: string };
	/** Node setting "On Error": 'continueRegularOutput' (Continue), 'continueErrorOutput'; default: stop. */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
}

export function nyneNode(
	name: string,
	parameters: Record<string, unknown>,
	options: NyneNodeOptions,
): NodeJson {
	return {
		id: `${name}-id`,
		name,
		type: NYNE_NODE_TYPE,
		typeVersion: 1,
		position: nextPosition(),
		parameters: { resource: 'person', ...parameters },
		credentials: { nyneApi: options.credential },
		...(options.onError ? { onError: options.onError } : {}),
	};
}

/** A Nyne Trigger; `webhookId` fixes its production path: /webhook/<webhookId>/nyne. */
export function nyneTrigger(
	name: string,
	webhookId: string,
	parameters: Record<string, unknown>,
): NodeJson {
	return {
		id: `${name}-id`,
		name,
		type: NYNE_TRIGGER_TYPE,
		typeVersion: 1,
		position: nextPosition(),
		webhookId,
		parameters,
	};
}

/** Edit Fields (Set) that keeps the input and adds `seen_by: <name>`. */
export function passThroughSet(name: string): NodeJson {
	return {
		id: `${name}-id`,
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: nextPosition(),
		parameters: {
			assignments: {
				assignments: [{ id: `${name}-a`, name: 'seen_by', value: name, type: 'string' }],
			},
			includeOtherFields: true,
			options: {},
		},
	};
}

/**
 * A workflow from nodes and edges `[from, to]` or `[from, to, outputIndex]` (main connections).
 */
export function workflow(
	name: string,
	nodes: NodeJson[],
	edges: Array<[string, string] | [string, string, number]>,
): WorkflowJson {
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	> = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

export const POLL_PATHS = {
	leads: '/person/leads',
	interests: '/person/interests',
	interactions: '/person/interactions',
} as const;

/** Nyne's `data` for a job, fetched over HTTP with the key, as any client would see it. */
export async function pollSimulator(
	sim: NyneSimulator,
	kind: keyof typeof POLL_PATHS,
	requestId: string,
): Promise<Record<string, unknown>> {
	const res = await request(
		`${sim.url}${POLL_PATHS[kind]}?request_id=${encodeURIComponent(requestId)}`,
		{
			headers: { 'x-api-key': DEFAULT_KEY, 'x-api-secret': DEFAULT_SECRET },
		},
	);
	const body = (await res.body.json()) as { data?: Record<string, unknown> };
	if (res.statusCode !== 200 || !body.data)
		throw new Error(`poll ${kind} ${requestId} -> HTTP ${res.statusCode}: ${JSON.stringify(body)}`);
	return body.data;
}

/** Request ids of the simulator's accepted submits (202), in order, optionally of one kind. */
export function acceptedSubmits(sim: NyneSimulator, kind?: string): string[] {
	return sim
		.getLog()
		.filter(
			(entry) => entry.op === 'submit' && entry.status === 202 && (!kind || entry.kind === kind),
		)
		.map((entry) => entry.requestId as string);
}

export interface HttpAnswer {
	status: number;
	text: string;
	json?: unknown;
}

/** POST a body (object → JSON; string → sent as is with the given content type). */
export async function postTo(
	url: string,
	body: unknown,
	contentType = 'application/json',
): Promise<HttpAnswer> {
	const res = await request(url, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.body.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON
	}
	return { status: res.statusCode, text, json };
}

export { DEFAULT_KEY, DEFAULT_SECRET };

/**
 * Import several workflows with one `n8n import:workflow --separate` (each CLI run boots n8n, which
 * takes seconds). Workflows without an id get one; returns the ids in order.
 */
export async function importWorkflows(
	n8n: N8nInstance,
	workflows: WorkflowJson[],
): Promise<string[]> {
	const dir = fs.mkdtempSync(path.join(n8n.userFolder, 'imports-'));
	const ids = workflows.map((wf) => wf.id ?? generateN8nId());
	workflows.forEach((wf, index) => {
		const file = path.join(dir, `${String(index).padStart(3, '0')}.json`);
		fs.writeFileSync(
			file,
			JSON.stringify({ active: false, settings: {}, ...wf, id: ids[index] }, null, 2),
		);
	});
	const result = await n8n.runCli(['import:workflow', '--separate', `--input=${dir}`]);
	const output = result.stdout + result.stderr;
	if (!new RegExp(`Successfully imported ${workflows.length} workflows?`).test(output)) {
		throw new Error(
			`import:workflow --separate did not import all ${workflows.length} workflows:\n${output}`,
		);
	}
	return ids;
}

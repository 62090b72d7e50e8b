/**
 * The `INodeTypes` n8n-core resolves node types through, holding the package's real node classes plus the
 * harness's own helper nodes.
 *
 * Type names are accepted in full (`n8n-nodes-nyne.nyne`, as n8n names community nodes in workflows) and
 * short (`nyne`). As in n8n, every node marked `usableAsTool` also exists as `<name>Tool`: the same class
 * with the description converted for AI agents (no main input, one `ai_tool` output, a tool description).
 * Node classes load lazily, so a node file that does not exist yet (e.g. the trigger) only fails a test
 * that uses it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
	NodeConnectionTypes,
	NodeHelpers,
	deepCopy,
	type IDataObject,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';

import { EchoWebhook } from './fixtures/echo-webhook';
import { HarnessSet, HarnessStart, HarnessToolCaller } from './fixtures/harness-nodes';

export const PACKAGE = 'n8n-nodes-nyne';
export const HARNESS_PACKAGE = 'n8n-nodes-nyne-harness';

/** Full type names, as they appear in workflow JSON. */
export const NODE_TYPES = {
	nyne: `${PACKAGE}.nyne`,
	nyneTool: `${PACKAGE}.nyneTool`,
	nyneTrigger: `${PACKAGE}.nyneTrigger`,
	start: `${HARNESS_PACKAGE}.start`,
	set: `${HARNESS_PACKAGE}.set`,
	toolCaller: `${HARNESS_PACKAGE}.toolCaller`,
	echoWebhook: `${HARNESS_PACKAGE}.echoWebhook`,
} as const;

type Loader = () => INodeType | IVersionedNodeType;

const ROOT = join(__dirname, '..', '..');

/** Loads `export class <className>` from a node file of this package, if the file exists. */
function packageNode(relativePath: string, className: string): Loader {
	return () => {
		const file = join(ROOT, relativePath);
		if (!existsSync(`${file}.ts`) && !existsSync(`${file}.js`)) {
			throw new Error(`Node file ${relativePath}.ts does not exist (yet)`);
		}
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = (require(file) as Record<string, new () => INodeType | IVersionedNodeType>)[
			className
		];
		if (typeof exported !== 'function')
			throw new Error(`${relativePath} does not export class ${className}`);
		return new exported();
	};
}

/** n8n's conversion of a `usableAsTool` node into its `…Tool` variant (CLI: convertNodeToAiTool). */
function asTool(nodeType: INodeType): INodeType {
	const description = deepCopy(nodeType.description);
	const replacements =
		typeof description.usableAsTool === 'object'
			? (description.usableAsTool.replacements ?? {})
			: {};
	Object.assign(description, replacements);
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;
	if (!description.properties.some((property) => property.name === 'toolDescription')) {
		const hasResourceOrOperation = description.properties.some(
			(property) => property.name === 'resource' || property.name === 'operation',
		);
		const toolDescription: INodeProperties = {
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: nodeType.description.description,
			required: true,
			typeOptions: { rows: 2 },
			...(hasResourceOrOperation
				? { displayOptions: { show: { descriptionType: ['manual'] } } }
				: {}),
		};
		const added: INodeProperties[] = [toolDescription];
		if (hasResourceOrOperation) {
			added.unshift({
				displayName: 'Tool Description',
				name: 'descriptionType',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Set Automatically', value: 'auto' },
					{ name: 'Set Manually', value: 'manual' },
				],
				default: 'auto',
			});
		}
		description.properties = [...added, ...description.properties];
	}
	// Same class, same execute(); only the description differs (n8n does the same with a prototype copy).
	return Object.create(nodeType, {
		description: { value: description, enumerable: true },
	}) as INodeType;
}

export class HarnessNodeTypes implements INodeTypes {
	private readonly loaders = new Map<string, Loader>();

	private readonly loaded = new Map<string, INodeType | IVersionedNodeType>();

	constructor() {
		this.register(NODE_TYPES.nyne, packageNode('nodes/Nyne/Nyne.node', 'Nyne'));
		this.register(
			NODE_TYPES.nyneTrigger,
			packageNode('nodes/NyneTrigger/NyneTrigger.node', 'NyneTrigger'),
		);
		this.register(NODE_TYPES.start, () => new HarnessStart());
		this.register(NODE_TYPES.set, () => new HarnessSet());
		this.register(NODE_TYPES.toolCaller, () => new HarnessToolCaller());
		this.register(NODE_TYPES.echoWebhook, () => new EchoWebhook());
	}

	/** Adds a node type (a test-local one, say) under its full name. */
	register(fullName: string, loader: Loader | INodeType | IVersionedNodeType): void {
		this.loaders.set(fullName, typeof loader === 'function' ? (loader as Loader) : () => loader);
		this.loaded.delete(fullName);
	}

	/** The full registered name for a full or short type name, or undefined. */
	resolveName(name: string): string | undefined {
		if (this.loaders.has(name)) return name;
		const short = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
		for (const full of this.loaders.keys()) {
			if (full.slice(full.lastIndexOf('.') + 1) === short) return full;
		}
		if (short.endsWith('Tool')) {
			const base = this.resolveName(short.slice(0, -'Tool'.length));
			if (base) return `${base}Tool`;
		}
		return undefined;
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		const full = this.resolveName(name);
		if (!full) throw new Error(`Unknown node type "${name}"`);
		const cached = this.loaded.get(full);
		if (cached) return cached;
		let nodeType: INodeType | IVersionedNodeType;
		const loader = this.loaders.get(full);
		if (loader) {
			nodeType = loader();
		} else {
			// `<name>Tool` of a node marked usableAsTool
			const base = NodeHelpers.getVersionedNodeType(this.getByName(full.slice(0, -'Tool'.length)));
			if (!base.description.usableAsTool)
				throw new Error(`Node type "${name}" is not usable as a tool`);
			nodeType = asTool(base);
		}
		this.loaded.set(full, nodeType);
		return nodeType;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const full of this.loaders.keys()) known[full] = { className: full, sourcePath: '' };
		return known;
	}

	/** Whether the node file behind a type exists (e.g. to skip trigger tests before it is written). */
	isAvailable(name: string): boolean {
		try {
			this.getByName(name);
			return true;
		} catch {
			return false;
		}
	}
}

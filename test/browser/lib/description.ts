/**
 * What the editor should show for this package's nodes, read from the built node descriptions
 * (dist/, the code that is packed into n8n), so the browser suite follows the node instead of a copy of it.
 */
import path from 'node:path';
import type {
	ICredentialType,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { REPO_DIR } from '../../e2e/lib';

type Values = Record<string, unknown>;

function built<T>(file: string, className: string): T {
	const modulePath = path.join(REPO_DIR, 'dist', file);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const Class = (require(modulePath) as Record<string, new () => T>)[className];
	if (!Class) throw new Error(`${modulePath} exports no ${className}: run \`npm run build\` first`);
	return new Class();
}

function builtDescription(file: string, className: string): INodeTypeDescription {
	return built<{ description: INodeTypeDescription }>(file, className).description;
}

/** The Nyne API credential type (its fields, in the order the dialog shows them). */
export function credentialDescription(): ICredentialType {
	return built<ICredentialType>('credentials/NyneApi.credentials.js', 'NyneApi');
}

export function nyneDescription(): INodeTypeDescription {
	return builtDescription('nodes/Nyne/Nyne.node.js', 'Nyne');
}

export function nyneTriggerDescription(): INodeTypeDescription {
	return builtDescription('nodes/NyneTrigger/NyneTrigger.node.js', 'NyneTrigger');
}

/** Does a property's `displayOptions` let it show for these parameter values? (the plain show/hide lists the nodes use) */
function isShown(property: INodeProperties, values: Values): boolean {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	const valueOf = (key: string) => (key === '@version' ? 1 : values[key.replace(/^\//, '')]);
	const check = (allowed: unknown) => {
		if (!Array.isArray(allowed))
			throw new Error(
				`${property.name}: displayOptions condition ${JSON.stringify(allowed)} is not a plain list`,
			);
		return allowed;
	};
	for (const [key, allowed] of Object.entries(show))
		if (!check(allowed).includes(valueOf(key))) return false;
	for (const [key, denied] of Object.entries(hide))
		if (check(denied).includes(valueOf(key))) return false;
	return true;
}

/** Parameter values a new node has, with `overrides` applied (e.g. `{ operation: 'getJob' }`). */
export function parameterValues(description: INodeTypeDescription, overrides: Values = {}): Values {
	// A property's visibility may depend on one listed after it (a notice shown while Token is empty), so
	// settle the defaults of the shown properties until nothing changes.
	let values: Values = { ...overrides };
	for (let pass = 0; pass < 10; pass++) {
		const next: Values = { ...overrides };
		for (const property of description.properties) {
			if (!(property.name in next) && isShown(property, values))
				next[property.name] = property.default;
		}
		if (JSON.stringify(next) === JSON.stringify(values)) return values;
		values = next;
	}
	throw new Error(
		`${description.displayName}: the shown parameters never settle (displayOptions that depend on each other in a loop)`,
	);
}

/** The top-level properties the editor shows for these values, in order. */
export function shownProperties(
	description: INodeTypeDescription,
	overrides: Values = {},
): INodeProperties[] {
	const values = parameterValues(description, overrides);
	return description.properties.filter((property) => isShown(property, values));
}

/** Labels of the shown input fields (notices are text, not fields). */
export function shownFieldLabels(
	description: INodeTypeDescription,
	overrides: Values = {},
): string[] {
	return shownProperties(description, overrides)
		.filter((property) => property.type !== 'notice')
		.map((property) => property.displayName);
}

/** The choices of an options property, e.g. the Operation list. */
export function optionsOf(
	description: INodeTypeDescription,
	name: string,
	values: Values = {},
): INodePropertyOptions[] {
	const property = shownProperties(description, values).find(
		(candidate) => candidate.name === name,
	);
	if (!property?.options)
		throw new Error(`${description.displayName} shows no options property "${name}"`);
	return property.options as INodePropertyOptions[];
}

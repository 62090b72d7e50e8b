/**
 * Each node's codex file (`<Node>.node.json`, which n8n reads for the node panel's categories and links)
 * and icons: the codex names the node n8n registers, its links are https, and each node has its own light
 * and dark SVG beside it. The Nyne node asks for the credential the package defines.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { NyneApi } from '../../../credentials/NyneApi.credentials';
import { Nyne } from '../../../nodes/Nyne/Nyne.node';
import { CREDENTIAL_TYPE } from '../../../nodes/Nyne/transport';
import { NyneTrigger } from '../../../nodes/NyneTrigger/NyneTrigger.node';

const ROOT = join(__dirname, '../../..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[] };
};

interface Codex {
	node?: unknown;
	nodeVersion?: unknown;
	codexVersion?: unknown;
	categories?: unknown;
	resources?: Record<string, unknown>;
}

const NODES: Array<{ file: string; node: INodeType }> = [
	{ file: 'nodes/Nyne/Nyne.node.ts', node: new Nyne() },
	{ file: 'nodes/NyneTrigger/NyneTrigger.node.ts', node: new NyneTrigger() },
];

describe.each(NODES.map(({ file, node }) => [node.description.displayName, file, node] as const))(
	'%s',
	(_name, file, node) => {
		const description: INodeTypeDescription = node.description;
		const nodeDir = dirname(join(ROOT, file));
		const codexPath = join(ROOT, file.replace(/\.ts$/, '.json'));

		const readCodex = (): Codex => {
			expect(existsSync(codexPath)).toBe(true);
			return JSON.parse(readFileSync(codexPath, 'utf8')) as Codex;
		};

		it('is one of the package’s nodes', () => {
			expect(PACKAGE.n8n.nodes).toContain(`dist/${file.replace(/\.ts$/, '.js')}`);
		});

		it('codex names the node as n8n registers it: <package>.<description.name>', () => {
			expect(PACKAGE.name).toBe('n8n-nodes-nyne');
			expect(readCodex().node).toBe(`n8n-nodes-nyne.${description.name}`);
		});

		it('codex has a nodeVersion and a codexVersion', () => {
			const codex = readCodex();
			expect(codex.nodeVersion).toEqual(expect.stringMatching(/^\d+(\.\d+)*$/));
			expect(codex.codexVersion).toEqual(expect.stringMatching(/^\d+(\.\d+)*$/));
		});

		it('codex categories are a non-empty list of non-empty strings', () => {
			const { categories } = readCodex();
			expect(Array.isArray(categories)).toBe(true);
			const list = categories as unknown[];
			expect(list.length).toBeGreaterThan(0);
			for (const category of list) {
				expect(typeof category).toBe('string');
				expect((category as string).trim()).not.toBe('');
			}
		});

		it('codex resource links are https URLs', () => {
			const { resources } = readCodex();
			expect(resources).toBeDefined();
			const urls = Object.values(resources ?? {}).flatMap((entries) =>
				(Array.isArray(entries) ? entries : [entries]).map(
					(entry) => (entry as { url?: unknown } | undefined)?.url,
				),
			);
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) {
				expect(typeof url).toBe('string');
				expect(new URL(url as string).protocol).toBe('https:');
			}
		});

		it('has its own light and dark SVG icons beside it', () => {
			const icon = description.icon;
			expect(icon).toEqual({ light: expect.any(String), dark: expect.any(String) });
			const { light, dark } = icon as { light: string; dark: string };
			const files = [light, dark].map((reference) => {
				expect(reference).toMatch(/^file:[^/\\]+\.svg$/);
				return resolve(nodeDir, reference.slice('file:'.length));
			});
			expect(files[0]).not.toBe(files[1]);
			for (const path of files) {
				expect(dirname(path)).toBe(nodeDir);
				expect(existsSync(path)).toBe(true);
				expect(readFileSync(path, 'utf8').startsWith('<svg')).toBe(true);
			}
		});
	},
);

describe('credential', () => {
	it('the Nyne node asks for the credential the package defines, by its one name', () => {
		const credentials = new Nyne().description.credentials ?? [];
		expect(credentials.map((credential) => credential.name)).toEqual([CREDENTIAL_TYPE]);
		expect(new NyneApi().name).toBe(CREDENTIAL_TYPE);
	});
});

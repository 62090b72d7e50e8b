import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './processes';

export interface PackOptions {
	/** Where to write the tarball. Default: a new temp folder. */
	destDir?: string;
}

/**
 * `npm pack` the package in `repoDir` as it is now and return the tarball's absolute path.
 * Does not build (scripts are skipped, so no prepack/prepare rebuild): under jest, test/e2e/global-setup.js
 * has built dist/ already; elsewhere run `npm run build` first.
 */
export async function packPackage(repoDir: string, options: PackOptions = {}): Promise<string> {
	const manifest = JSON.parse(fs.readFileSync(path.join(repoDir, 'package.json'), 'utf8')) as {
		name: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const declared = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !fs.existsSync(path.join(repoDir, file)));
	if (missing.length > 0) {
		throw new Error(
			`${manifest.name} is not built (missing ${missing.join(', ')}): run \`npm run build\` first`,
		);
	}
	const destDir = options.destDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
	fs.mkdirSync(destDir, { recursive: true });
	const { stdout } = await runCommand(
		'npm',
		['pack', '--ignore-scripts', '--json', '--pack-destination', destDir],
		{ cwd: repoDir, timeoutMs: 120_000 },
	);
	// --json prints an array with one entry per packed package.
	const start = stdout.indexOf('[');
	const entries = JSON.parse(stdout.slice(start)) as Array<{ filename: string }>;
	const tarball = path.join(destDir, entries[0].filename);
	if (!fs.existsSync(tarball))
		throw new Error(`npm pack reported ${tarball}, which does not exist`);
	return tarball;
}

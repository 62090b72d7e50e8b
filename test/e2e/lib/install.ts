/**
 * Locating (and if needed installing) the real n8n used by the e2e tests.
 * The install itself is scripts/install-n8n.sh; this only reads its result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './processes';

function findRepoDir(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (
			fs.existsSync(manifest) &&
			(JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'n8n-nodes-nyne'
		) {
			return dir;
		}
		if (path.dirname(dir) === dir) throw new Error(`no n8n-nodes-nyne package.json above ${from}`);
	}
}

/** The repository: found upwards from here, so it is the same from test/e2e/lib and from its compiled copy in test/build. */
export const REPO_DIR = findRepoDir(__dirname);
export const INSTALL_SCRIPT = path.join(REPO_DIR, 'scripts/install-n8n.sh');
// Plain JS, shared with jest.config.js and scripts/install-n8n.sh.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const versions = require('../n8n-versions') as {
	PINNED: string;
	installErrorVariable: (version: string) => string;
};

/** The n8n version package.json's n8n-core/n8n-workflow match; the e2e default. */
export const DEFAULT_N8N_VERSION = versions.PINNED;

/** The n8n version the e2e helpers use: N8N_VERSION (each e2e jest project sets it) or the pinned one. */
export function selectedN8nVersion(): string {
	return process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
}

export interface N8nPaths {
	/** Node >= 24 binary to run n8n with. */
	nodeBin: string;
	/** n8n's entry script (node_modules/n8n/bin/n8n); run as `nodeBin n8nBin ...args`. */
	n8nBin: string;
	/** The npm project folder n8n is installed in (its node_modules has sqlite3, flatted, ...). */
	installDir: string;
	version: string;
}

export function n8nCacheRoot(): string {
	return process.env.N8N_NYNE_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-nyne');
}

function parseEnvFile(file: string): Record<string, string> {
	const vars: Record<string, string> = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const match = /^(?:export\s+)?([A-Z0-9_]+)='?(.*?)'?$/.exec(line.trim());
		if (match) vars[match[1]] = match[2];
	}
	return vars;
}

function toPaths(vars: Record<string, string | undefined>): N8nPaths | undefined {
	const { N8N_NODE_BIN, N8N_BIN, N8N_INSTALL_DIR, N8N_VERSION } = vars;
	if (!N8N_NODE_BIN || !N8N_BIN || !N8N_INSTALL_DIR) return undefined;
	if (!fs.existsSync(N8N_NODE_BIN) || !fs.existsSync(N8N_BIN)) return undefined;
	return {
		nodeBin: N8N_NODE_BIN,
		n8nBin: N8N_BIN,
		installDir: N8N_INSTALL_DIR,
		version: N8N_VERSION ?? '',
	};
}

/** The cached install, if complete (its marker file exists); never installs. */
export function findInstalledN8n(version = selectedN8nVersion()): N8nPaths | undefined {
	const dir = path.join(n8nCacheRoot(), `n8n-${version}`);
	const envFile = path.join(dir, 'env.sh');
	if (!fs.existsSync(path.join(dir, '.installed')) || !fs.existsSync(envFile)) return undefined;
	return toPaths(parseEnvFile(envFile));
}

const pending = new Map<string, Promise<N8nPaths>>();

/**
 * Paths of a working n8n of `version` (default {@link selectedN8nVersion}). Uses, in order:
 * N8N_NODE_BIN + N8N_BIN + N8N_INSTALL_DIR from the environment (when its N8N_VERSION is that
 * version), the cached install, or runs scripts/install-n8n.sh (several minutes the first time;
 * its progress is streamed to stderr when N8N_E2E_VERBOSE=1). Under jest the install has already
 * run in test/e2e/global-setup.js; if it failed there, this fails with its message at once.
 */
export function ensureN8n(
	options: { timeoutMs?: number; version?: string } = {},
): Promise<N8nPaths> {
	const version = options.version ?? selectedN8nVersion();
	let promise = pending.get(version);
	if (!promise) {
		promise = (async () => {
			const fromEnv = toPaths(process.env);
			if (fromEnv && fromEnv.version === version) return fromEnv;
			const cached = findInstalledN8n(version);
			if (cached) return cached;
			const installError = process.env[versions.installErrorVariable(version)];
			if (installError)
				throw new Error(
					`n8n ${version} could not be installed (test/e2e/global-setup.js):\n${installError}`,
				);
			const verbose = process.env.N8N_E2E_VERBOSE === '1';
			const result = await runCommand('bash', [INSTALL_SCRIPT], {
				env: { ...process.env, N8N_VERSION: version },
				timeoutMs: options.timeoutMs ?? 30 * 60_000,
				onOutput: verbose ? (chunk) => process.stderr.write(chunk) : undefined,
			});
			const paths = toPaths(parseEnvLines(result.stdout));
			if (!paths)
				throw new Error(
					`install-n8n.sh did not print usable paths:\n${result.stdout}\n${result.stderr}`,
				);
			return paths;
		})();
		pending.set(version, promise);
		promise.catch(() => pending.delete(version)); // allow a retry after a failed install
	}
	return promise;
}

function parseEnvLines(text: string): Record<string, string> {
	const vars: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (match) vars[match[1]] = match[2];
	}
	return vars;
}

#!/usr/bin/env node
// Offline driver for @n8n/scan-community-package: runs the scanner's own checks on a local
// tarball instead of a package downloaded from the registry. Normally started through
// scripts/scan-package.sh, which installs the scanner into a cache folder first.
//
// What `npx @n8n/scan-community-package <name>` does (scanner/scanner.mjs, analyzePackageByName):
//   1. fetch registry metadata and require npm provenance          -> cannot be checked offline
//   2. fetch the GitHub source at the attested commit and lint it  -> we lint the local source tree
//      with analyzePackage(sourceDir, SOURCE_FILE_PATTERNS)
//   3. `npm pack` + extract the published tarball and lint it      -> we extract the local tarball
//      with analyzePackage(packageDir, ['**/*.js', 'package.json'])
// Both lint legs call the scanner's exported functions, so the ESLint config and rule set are the
// scanner's own, not a copy.
//
// Usage: node scripts/scan-package.mjs --scanner-dir DIR [--source DIR | --no-source]
//                                      [--strict] <package.tgz>
// Exit: 0 passed, 1 scan failed, 2 usage or setup error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const usage =
	'Usage: scan-package.mjs --scanner-dir DIR [--source DIR | --no-source] [--strict] <package.tgz>';

function fail(message, code = 2) {
	console.error(`scan-package: ${message}`);
	process.exit(code);
}

function parseArgs(argv) {
	const opts = { scannerDir: null, source: undefined, strict: false, tarball: null };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--scanner-dir') opts.scannerDir = argv[++i];
		else if (arg === '--source') opts.source = argv[++i];
		else if (arg === '--no-source') opts.source = null;
		else if (arg === '--strict') opts.strict = true;
		else if (arg === '-h' || arg === '--help') {
			console.log(usage);
			process.exit(0);
		} else if (arg.startsWith('-')) fail(`unknown option ${arg}\n${usage}`);
		else if (!opts.tarball) opts.tarball = arg;
		else fail(`unexpected argument ${arg}\n${usage}`);
	}
	if (!opts.scannerDir) fail(`--scanner-dir is required\n${usage}`);
	if (!opts.tarball) fail(`a tarball is required\n${usage}`);
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
const tarball = path.resolve(opts.tarball);
if (!fs.existsSync(tarball)) fail(`tarball not found: ${tarball}`);

const scannerModule = path.join(
	path.resolve(opts.scannerDir),
	'node_modules/@n8n/scan-community-package/scanner/scanner.mjs',
);
if (!fs.existsSync(scannerModule)) fail(`scanner not installed: ${scannerModule} is missing`);
const scannerVersion = JSON.parse(
	fs.readFileSync(path.join(path.dirname(scannerModule), '..', 'package.json'), 'utf8'),
).version;
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = await import(
	pathToFileURL(scannerModule).href
);

// ---- extract the tarball the way the scanner does (tar -xzf --strip-components=1) -----------
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-package-'));
process.on('exit', () => fs.rmSync(workDir, { recursive: true, force: true }));
const packageDir = path.join(workDir, 'package');
fs.mkdirSync(packageDir);
const tar = spawnSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], {
	stdio: 'pipe',
});
if (tar.status !== 0) fail(`tar extraction failed: ${tar.stderr?.toString()}`);

let manifest;
try {
	manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
} catch (error) {
	fail(`the tarball has no readable package.json: ${error.message}`);
}
const label = `${manifest.name}@${manifest.version}`;
const warnings = [];

console.log(
	`Scanning ${label} from ${tarball} (offline, @n8n/scan-community-package@${scannerVersion})`,
);

// ---- 1. provenance: offline stand-in -----------------------------------------------------------
// The real scan requires `npm publish --provenance` from a public GitHub repository (it then
// downloads that repository at the attested commit). Neither can be verified before publishing;
// we only check that package.json points at a GitHub repository, as npm requires the provenance
// source to match `repository`.
const repoUrl =
	typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
if (
	!/^(git\+)?https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?$/.test(repoUrl ?? '')
) {
	warnings.push(
		`package.json "repository" (${repoUrl ?? 'missing'}) is not a https://github.com/OWNER/REPO URL; the online scan only accepts provenance from public GitHub repositories`,
	);
}
console.log(
	'⚠️  Provenance check skipped (offline): publish with `npm publish --provenance` from GitHub Actions',
);

// ---- 2. source leg -------------------------------------------------------------------------------
let sourceResult = { passed: true };
if (opts.source === null) {
	console.log('⚠️  Source leg skipped (--no-source)');
	warnings.push('source leg skipped: only the compiled tarball was linted');
} else {
	const sourceBase = path.resolve(opts.source ?? process.cwd());
	// Same lookup as the scanner: the folder whose package.json declares this package name.
	const readName = (dir) => {
		try {
			return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
		} catch {
			return undefined;
		}
	};
	const sourceDir =
		readName(sourceBase) === manifest.name
			? sourceBase
			: findPackageRoot(sourceBase, manifest.name);
	if (!sourceDir) {
		fail(
			`no package.json named "${manifest.name}" under ${sourceBase} (use --source DIR or --no-source)`,
		);
	}
	console.log(`Linting source ${sourceDir} (${SOURCE_FILE_PATTERNS.join(', ')})`);
	sourceResult = await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS);
}

// ---- 3. tarball leg -------------------------------------------------------------------------------
console.log('Linting tarball contents (**/*.js, package.json)');
const distResult = await analyzePackage(packageDir, ['**/*.js', 'package.json']);

// ---- report, in the scanner CLI's words -----------------------------------------------------------
const passed = sourceResult.passed && distResult.passed;
const message = [sourceResult, distResult].find((r) => !r.passed)?.message;
const details = [sourceResult.details, distResult.details].filter(Boolean).join('\n');

for (const warning of warnings) console.log(`⚠️  ${warning}`);
if (passed && !(opts.strict && warnings.length > 0)) {
	console.log(`✅ Package ${label} has passed all security checks`);
	process.exit(0);
}
if (passed) {
	console.log(`❌ Package ${label} has warnings and --strict was given`);
} else {
	console.log(`❌ Package ${label} has failed security checks`);
	console.log(`Reason: ${message}`);
	if (details) {
		console.log('\nDetails:');
		// ESLint's stylish formatter prints the extracted temp path; show the tarball instead.
		console.log(details.split(packageDir).join(`<${path.basename(tarball)}>`));
	}
}
process.exit(1);

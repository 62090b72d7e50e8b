/**
 * Process environment for running n8n-core inside tests. Imported first by the harness (and usable as a jest
 * `setupFiles` entry through ./setup.ts), before anything reads n8n's configuration.
 *
 * n8n-core's InstanceSettings is created by every node execution context and writes
 * `<N8N_USER_FOLDER>/.n8n/config` (an encryption key) on first use; without N8N_USER_FOLDER it would write
 * into the home folder. Each test process gets its own temporary folder instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Marks a user folder the harness created, so only that one is ever deleted. */
const OWNED_MARKER = 'N8N_HARNESS_OWNED_USER_FOLDER';

function ensureUserFolder(): string {
	const existing = process.env.N8N_USER_FOLDER;
	if (existing && existing.startsWith(tmpdir())) return existing;
	const folder = mkdtempSync(join(tmpdir(), 'n8n-nodes-nyne-harness-'));
	process.env.N8N_USER_FOLDER = folder;
	process.env[OWNED_MARKER] = folder;
	return folder;
}

function setDefault(name: string, value: string): void {
	if (process.env[name] === undefined) process.env[name] = value;
}

export const userFolder = ensureUserFolder();

// Quiet, offline, deterministic n8n: no telemetry, no version checks, no settings-file permission warnings.
setDefault('N8N_DIAGNOSTICS_ENABLED', 'false');
setDefault('N8N_VERSION_NOTIFICATIONS_ENABLED', 'false');
setDefault('N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS', 'false');
// Tests talk to servers on 127.0.0.1: n8n's SSRF guard (off by default) must stay off.
setDefault('N8N_SSRF_PROTECTION_ENABLED', 'false');
setDefault('GENERIC_TIMEZONE', 'UTC');

/** Deletes the temporary user folder if the harness created it. Safe to call more than once. */
export function removeUserFolder(): void {
	const owned = process.env[OWNED_MARKER];
	if (!owned || owned !== process.env.N8N_USER_FOLDER) return;
	rmSync(owned, { recursive: true, force: true });
}

/**
 * Brings n8n-core's DI container into the state a running n8n gives it, as far as executing nodes needs.
 *
 * What n8n-core pulls from the container while a node runs:
 * - `Logger` (@n8n/backend-common): node contexts' `this.logger`, the outbound HTTP client, the ErrorReporter
 *   (which logs every node error). Replaced by {@link CapturingLogger}, so nothing is printed and tests can
 *   inspect what was logged.
 * - `InstanceSettings`: created by every node execution context; reads/writes N8N_USER_FOLDER (see ./env).
 * - `OutboundHttp` (@n8n/backend-network): the real HTTP client behind `httpRequest(WithAuthentication)`.
 *   It builds itself from SsrfProtectionService/SsrfProtectionConfig/Logger; nothing to register.
 * - `EncryptionKeyProxy`: the source of data keys for `Cipher`, which n8n-core's `Credentials` uses to
 *   encrypt/decrypt credential data. In n8n the CLI plugs in a database-backed provider at startup; here a
 *   provider holds one random key in memory.
 * - `ErrorReporter`, `ExecutionContextService`, `TriggersAndPollers`: build themselves from the above.
 */
import './env';

import { Logger } from '@n8n/backend-common';
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import { randomBytes } from 'node:crypto';
import { Cipher, EncryptionKeyProxy, InstanceSettings, type KeyInfo } from 'n8n-core';
import { LoggerProxy } from 'n8n-workflow';

import { CapturingLogger } from './logger';

let initialized = false;

/** An in-memory stand-in for n8n's database-backed encryption key store: one active data key. */
function memoryKeyProvider(cipher: Cipher) {
	const dataKey = randomBytes(32).toString('hex'); // AES-256-GCM data keys are 64 hex characters
	const active: KeyInfo = {
		id: 'harness-key',
		value: cipher.encryptDEKWithInstanceKey(dataKey),
		algorithm: 'aes-256-gcm',
		format: 'prefixed',
	};
	return {
		getActiveKey: async () => active,
		getKeyById: async (id: string) => (id === active.id ? active : null),
		getLegacyKey: async () => active,
	};
}

/** Idempotent: sets up the container once per module registry (i.e. once per jest test file). */
export function initN8nCore(): void {
	if (initialized) return;
	const logger = new CapturingLogger();
	Container.set(Logger, logger as unknown as Logger);
	LoggerProxy.init(logger);

	// Created now rather than inside the first node run, so a broken user folder fails loudly here.
	Container.get(InstanceSettings);
	const keyProxy = Container.get(EncryptionKeyProxy);
	keyProxy.setProvider(memoryKeyProvider(Container.get(Cipher)));

	// Resolving it here proves the real HTTP client can be built from the container.
	Container.get(OutboundHttp);
	initialized = true;
}

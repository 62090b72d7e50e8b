/**
 * The harness's credentials helper behaves like n8n's: encrypted at rest, defaults and expressions applied on
 * decryption, the credential type's generic `authenticate` applied to requests.
 */
import {
	Workflow,
	type IHttpRequestOptions,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import {
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	NODE_TYPES,
	credentialRef,
	initN8nCore,
	runNode,
} from '../../harness';
import { startNyneStub } from './nyne-stub';

const additionalData = {} as IWorkflowExecuteAdditionalData;

describe('HarnessCredentialsHelper', () => {
	beforeAll(() => initN8nCore());

	it('stores credentials encrypted with n8n-core and decrypts them with the type’s defaults', async () => {
		const helper = new HarnessCredentialsHelper();
		const ref = await helper.setCredential('nyneApi', {
			apiKey: 'key-123',
			apiSecret: 'secret-456',
		});

		const ciphertext = helper.storedCiphertext('nyneApi')!;
		expect(ciphertext).toMatch(/^harness-key:/);
		expect(ciphertext).not.toContain('key-123');
		expect(ciphertext).not.toContain('secret-456');

		const raw = await helper.getDecrypted(
			additionalData,
			ref,
			'nyneApi',
			'manual',
			undefined,
			true,
		);
		expect(raw).toEqual({ apiKey: 'key-123', apiSecret: 'secret-456' });
		const decrypted = await helper.getDecrypted(additionalData, ref, 'nyneApi', 'manual');
		expect(decrypted).toEqual({
			apiKey: 'key-123',
			apiSecret: 'secret-456',
			baseUrl: 'https://api.nyne.ai',
		});
	});

	it('refuses a credential reference it does not hold', async () => {
		const helper = new HarnessCredentialsHelper();
		await expect(
			helper.getDecrypted(additionalData, credentialRef('nyneApi'), 'nyneApi', 'manual'),
		).rejects.toThrow(/does not exist/);
	});

	it('applies the generic authenticate: resolved $credentials expressions merged into the headers', async () => {
		const helper = new HarnessCredentialsHelper();
		const nodeTypes = new HarnessNodeTypes();
		const node = {
			id: '1',
			name: 'Nyne',
			type: NODE_TYPES.nyne,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		const request: IHttpRequestOptions = {
			url: 'http://127.0.0.1/person/leads',
			headers: { accept: 'application/json' },
		};

		const authenticated = await helper.authenticate(
			{ apiKey: 'k', apiSecret: 's' },
			'nyneApi',
			request,
			workflow,
			node,
		);

		expect(authenticated.headers).toEqual({
			accept: 'application/json',
			'X-API-Key': 'k',
			'X-API-Secret': 's',
		});
	});

	it('resolves expressions in credential values before the node uses them', async () => {
		const nyne = await startNyneStub();
		try {
			const result = await runNode({
				parameters: {
					operation: 'searchLeads',
					searchDescription: 'Founders raising a seed round',
					mode: 'submit',
				},
				credentials: {
					apiKey: '={{ "key-" + (40 + 2) }}',
					apiSecret: 'secret',
					baseUrl: `={{ "${nyne.url}" }}`,
				},
			});
			expect(result.error).toBeUndefined();
			expect(nyne.submits()[0].headers['x-api-key']).toBe('key-42');
		} finally {
			await nyne.close();
		}
	});
});

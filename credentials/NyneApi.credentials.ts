import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { NYNE_BASE_URL } from '../nodes/shared/nyneApi';

export class NyneApi implements ICredentialType {
	name = 'nyneApi';

	displayName = 'Nyne API';

	icon: Icon = { light: 'file:../nodes/Nyne/nyne.svg', dark: 'file:../nodes/Nyne/nyne.dark.svg' };

	documentationUrl = 'https://api.nyne.ai/documentation';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Nyne API key, sent as the X-API-Key header',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Nyne API secret, sent as the X-API-Secret header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: NYNE_BASE_URL,
			description:
				"Nyne's API address (an http:// or https:// URL). Change it only to go through a proxy or to use the test simulator.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey}}',
				'X-API-Secret': '={{$credentials.apiSecret}}',
			},
		},
	};

	// Tested by the Nyne node's `nyneApiCredentialTest` (nodes/Nyne/transport/credentialTest.ts): n8n's
	// declarative test rules cannot say "OK only if this is Nyne", and a `test` here would take precedence.
}

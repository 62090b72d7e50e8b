import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Nyne error codes that mean "these credentials cannot be used", with what the user should fix. */
const CREDENTIAL_FAILURES: Array<{ code: string; message: string }> = [
	{
		code: 'missing_credentials',
		message: 'Nyne did not receive an API key and secret. Fill in both fields.',
	},
	{
		code: 'invalid_credentials',
		message: 'Nyne rejected the API key or secret. Copy both again from your Nyne dashboard.',
	},
	{
		code: 'api_key_expired',
		message: 'This Nyne API key has expired. Create a new key in your Nyne dashboard.',
	},
	{
		code: 'ip_not_allowed',
		message:
			"Nyne refused this n8n server's IP address. Add it to the key's Allowed IPs list in your Nyne dashboard.",
	},
	{
		code: 'no_active_subscription',
		message: 'This Nyne key has no active subscription. Check your plan in the Nyne dashboard.',
	},
	{
		code: 'subscription_required',
		message: "Your Nyne subscription does not include the Person APIs. Check your plan in the Nyne dashboard.",
	},
	{
		code: 'access_denied',
		message: 'Nyne denied access with this key. Check its permissions in the Nyne dashboard.',
	},
	{
		code: 'rate_limit_exceeded',
		message: 'Nyne is rate-limiting this key right now, so it could not be checked. Try again in a minute.',
	},
	{
		code: 'service_unavailable',
		message: 'Nyne is temporarily unavailable, so the key could not be checked. Try again shortly.',
	},
	{
		code: 'internal_error',
		message: 'Nyne had an internal error, so the key could not be checked. Try again shortly.',
	},
];

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
			default: 'https://api.nyne.ai',
			description:
				"Nyne's API address. Change it only to go through a proxy or to use the test simulator.",
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

	// Polling an id that cannot exist is free (no credits, no job): Nyne answers 404 request_not_found when
	// the key works and 401/403 when it does not. n8n fails every non-2xx by default, so status errors are
	// ignored and the verdict comes from Nyne's error code instead.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/person/leads',
			method: 'GET',
			qs: { request_id: 'n8n-credential-test' },
			ignoreHttpStatusErrors: true,
		},
		rules: CREDENTIAL_FAILURES.map(({ code, message }) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'error.code', value: code, message },
		})),
	};
}

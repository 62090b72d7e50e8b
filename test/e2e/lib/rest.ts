/**
 * A logged-in session on n8n's internal REST API (/rest/...), as the editor UI uses it:
 * the `n8n-auth` cookie plus a fixed `browser-id` header (n8n binds the session to it).
 */
import { randomUUID } from 'node:crypto';
import { request } from 'undici';

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	// n8n requires 8+ characters with a number and an uppercase letter.
	password: 'E2e-Password-1',
	firstName: 'E2E',
	lastName: 'Owner',
};

export class RestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(
			`${method} ${path} -> HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`,
		);
		this.name = 'RestError';
	}
}

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** Result of POST /rest/credentials/test. */
export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface CredentialToTest {
	id: string;
	name?: string;
	type: string;
	/** Plain credential data; omitted fields keep their stored values. */
	data?: Record<string, unknown>;
}

/** A node type's description, as the editor loads it (GET /types/nodes.json). */
export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	/** Webhooks the node registers (trigger and webhook nodes). */
	webhooks?: Array<{
		name: string;
		httpMethod: string;
		path: string;
		isFullPath?: boolean;
		restartWebhook?: boolean;
	}>;
	[key: string]: unknown;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string | null;
	stoppedAt?: string | null;
	[key: string]: unknown;
}

/**
 * undici's request(), once more for a GET whose kept-alive socket n8n closed just as it was reused
 * ("other side closed"): a race of HTTP keep-alive, not an answer from n8n. Only GET: it is safe to repeat.
 */
export async function requestRetryingSocketClose(
	url: URL,
	options: NonNullable<Parameters<typeof request>[1]>,
): Promise<{ statusCode: number; headers: RawResponse['headers']; text: string }> {
	for (let attempt = 1; ; attempt++) {
		try {
			const response = await request(url, options);
			return {
				statusCode: response.statusCode,
				headers: response.headers,
				text: await response.body.text(),
			};
		} catch (error) {
			const code = (error as { code?: string }).code;
			if (attempt > 1 || (options.method ?? 'GET') !== 'GET' || code !== 'UND_ERR_SOCKET')
				throw error;
		}
	}
}

async function send(
	baseUrl: string,
	method: string,
	path: string,
	body: unknown,
	headers: Record<string, string>,
): Promise<RawResponse> {
	const response = await requestRetryingSocketClose(new URL(path, baseUrl), {
		method: method as 'GET',
		headers: {
			accept: 'application/json',
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = response.text;
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON: keep the text
	}
	return { status: response.statusCode, headers: response.headers, body: parsed };
}

function authCookie(headers: RawResponse['headers']): string | undefined {
	const setCookie = headers['set-cookie'];
	const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	for (const cookie of cookies) {
		const pair = cookie.split(';')[0];
		if (pair.startsWith('n8n-auth=')) return pair;
	}
	return undefined;
}

export class N8nRestSession {
	private constructor(
		readonly baseUrl: string,
		private readonly cookie: string,
		private readonly browserId: string,
	) {}

	/** Create the instance owner (first run only) and return its session. */
	static async setupOwner(
		baseUrl: string,
		owner: OwnerAccount = DEFAULT_OWNER,
	): Promise<N8nRestSession> {
		const browserId = randomUUID();
		const res = await send(baseUrl, 'POST', '/rest/owner/setup', owner, {
			'browser-id': browserId,
		});
		if (res.status !== 200) throw new RestError('POST', '/rest/owner/setup', res.status, res.body);
		const cookie = authCookie(res.headers);
		if (!cookie) throw new Error('POST /rest/owner/setup returned no n8n-auth cookie');
		return new N8nRestSession(baseUrl, cookie, browserId);
	}

	/** Log in with email + password. */
	static async login(
		baseUrl: string,
		account: Pick<OwnerAccount, 'email' | 'password'> = DEFAULT_OWNER,
	): Promise<N8nRestSession> {
		const browserId = randomUUID();
		const res = await send(
			baseUrl,
			'POST',
			'/rest/login',
			{ emailOrLdapLoginId: account.email, password: account.password },
			{ 'browser-id': browserId },
		);
		if (res.status !== 200) throw new RestError('POST', '/rest/login', res.status, res.body);
		const cookie = authCookie(res.headers);
		if (!cookie) throw new Error('POST /rest/login returned no n8n-auth cookie');
		return new N8nRestSession(baseUrl, cookie, browserId);
	}

	/** Any request with the session's cookie; never throws on HTTP status. */
	raw(method: string, path: string, body?: unknown): Promise<RawResponse> {
		return send(this.baseUrl, method, path, body, {
			cookie: this.cookie,
			'browser-id': this.browserId,
		});
	}

	/** A /rest call: throws RestError unless 2xx, returns the `data` field n8n wraps results in. */
	async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await this.raw(method, path, body);
		if (res.status < 200 || res.status >= 300)
			throw new RestError(method, path, res.status, res.body);
		const wrapped = res.body as { data?: T } | undefined;
		return (
			wrapped && typeof wrapped === 'object' && 'data' in wrapped ? wrapped.data : res.body
		) as T;
	}

	/** The logged-in user (GET /rest/login; n8n 2.41 has no GET /rest/me). */
	me(): Promise<{ id: string; email: string; [key: string]: unknown }> {
		return this.call('GET', '/rest/login');
	}

	/**
	 * Run a credential type's `test` (what the editor's "Test" button does) on a STORED credential:
	 * n8n 2.41 looks the id up (CredentialNotFound -> 403 otherwise) and merges `data` over it.
	 * Body: `{ credentials: { id, name, type, data } }`.
	 */
	testCredential(credential: CredentialToTest): Promise<CredentialTestResult> {
		return this.call('POST', '/rest/credentials/test', {
			credentials: { name: '', ...credential },
		});
	}

	getWorkflow(
		workflowId: string,
	): Promise<{ id: string; versionId: string; active: boolean; [key: string]: unknown }> {
		return this.call('GET', `/rest/workflows/${workflowId}`);
	}

	/** Publish (activate) the workflow's current version on the running instance. */
	async activateWorkflow(workflowId: string): Promise<void> {
		const { versionId } = await this.getWorkflow(workflowId);
		await this.call('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
	}

	async deactivateWorkflow(workflowId: string): Promise<void> {
		await this.call('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/** Executions of a workflow, newest first. */
	async listExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.call<{ results: ExecutionSummary[] }>(
			'GET',
			`/rest/executions?filter=${filter}`,
		);
		return page.results;
	}

	/**
	 * Create a public API key for this user (what Settings → n8n API does) and return it. Asks for every
	 * scope the user's role may grant (GET /rest/api-keys/scopes; n8n 1.x and 2.x alike).
	 */
	async createApiKey(
		label = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
	): Promise<string> {
		// A fresh label each time: n8n 1.x refuses a second key with the same label (HTTP 500), e.g. after a restart.
		const scopes = await this.call<string[]>('GET', '/rest/api-keys/scopes');
		const created = await this.call<{ rawApiKey?: string }>('POST', '/rest/api-keys', {
			label,
			scopes,
			expiresAt: null,
		});
		if (!created.rawApiKey) throw new Error('POST /rest/api-keys returned no rawApiKey');
		return created.rawApiKey;
	}

	/** Node type descriptions the instance has loaded (what the editor's node panel shows). */
	async nodeTypes(): Promise<NodeTypeDescription[]> {
		const res = await this.raw('GET', '/types/nodes.json');
		if (res.status !== 200) throw new RestError('GET', '/types/nodes.json', res.status, res.body);
		return res.body as NodeTypeDescription[];
	}

	/** Credential type descriptions the instance has loaded. */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		const res = await this.raw('GET', '/types/credentials.json');
		if (res.status !== 200)
			throw new RestError('GET', '/types/credentials.json', res.status, res.body);
		return res.body as Array<{ name: string; displayName: string }>;
	}
}

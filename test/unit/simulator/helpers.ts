import { request } from 'undici';
import { DEFAULT_KEY, DEFAULT_SECRET, type NyneSimulator } from '../../simulator';

export interface ApiResponse {
	status: number;
	headers: Record<string, string>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

export interface CallOptions {
	body?: unknown;
	/** Sent verbatim instead of JSON.stringify(body). */
	rawBody?: string;
	key?: string | null;
	secret?: string | null;
	headers?: Record<string, string>;
}

export async function call(
	sim: NyneSimulator,
	method: 'GET' | 'POST' | 'PUT',
	path: string,
	opts: CallOptions = {},
): Promise<ApiResponse> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		...(opts.headers ?? {}),
	};
	const key = opts.key === undefined ? DEFAULT_KEY : opts.key;
	const secret = opts.secret === undefined ? DEFAULT_SECRET : opts.secret;
	if (key !== null) headers['x-api-key'] = key;
	if (secret !== null) headers['x-api-secret'] = secret;
	const res = await request(`${sim.url}${path}`, {
		method,
		headers,
		body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
	});
	const text = await res.body.text();
	const flat: Record<string, string> = {};
	for (const [k, v] of Object.entries(res.headers))
		if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	return { status: res.statusCode, headers: flat, json: text ? JSON.parse(text) : undefined };
}

export const submit = (
	sim: NyneSimulator,
	kind: 'interests' | 'interactions' | 'leads',
	body: unknown,
	opts: CallOptions = {},
) => call(sim, 'POST', `/person/${kind}`, { ...opts, body });

export const poll = (
	sim: NyneSimulator,
	kind: 'interests' | 'interactions' | 'leads',
	requestId: string,
	opts: CallOptions = {},
) => call(sim, 'GET', `/person/${kind}?request_id=${encodeURIComponent(requestId)}`, opts);

/** Manually advanced clock for deterministic window / phase assertions. */
export class FakeClock {
	constructor(public t = Date.UTC(2026, 0, 15, 10, 0, 0)) {}
	now = (): number => this.t;
	advance(ms: number): void {
		this.t += ms;
	}
}

export const VALID = {
	interests: { email: 'jane.doe@example.com', name: 'Jane Doe', company: 'Acme' },
	interactions: { type: 'followers', social_media_url: 'https://x.com/janedoe', max_results: 25 },
	leads: { search_description: 'CTOs at fintech companies discussing cloud migration' },
} as const;

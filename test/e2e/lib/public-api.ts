/**
 * n8n's public API (/api/v1, documented and versioned, the same in n8n 1.x and 2.x), with an API key the
 * instance owner creates through the REST API ({@link N8nRestSession.createApiKey}). The e2e helpers read
 * executions here rather than in n8n's database, whose tables change between versions.
 */
import { requestRetryingSocketClose, RestError } from './rest';
import type { RunJson } from './run-data';

/** An execution as GET /api/v1/executions lists it (run data only with includeData). */
export interface PublicExecution {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
	waitTill?: string | null;
	data?: RunJson['data'];
	[key: string]: unknown;
}

// The most the public API returns per page (n8n 1.x and 2.x).
const PAGE_LIMIT = 250;

export class N8nPublicApi {
	constructor(
		readonly baseUrl: string,
		private readonly apiKey: string,
	) {}

	/** GET /api/v1<path>; throws RestError unless 200. */
	async get<T>(
		path: string,
		query: Record<string, string | number | boolean | undefined> = {},
	): Promise<T> {
		const url = new URL(`/api/v1${path}`, this.baseUrl);
		for (const [key, value] of Object.entries(query))
			if (value !== undefined) url.searchParams.set(key, String(value));
		const response = await requestRetryingSocketClose(url, {
			method: 'GET',
			headers: { accept: 'application/json', 'x-n8n-api-key': this.apiKey },
		});
		const text = response.text;
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		if (response.statusCode !== 200)
			throw new RestError('GET', url.pathname + url.search, response.statusCode, body);
		return body as T;
	}

	/**
	 * Every execution of a workflow, oldest first. The list leaves running executions out unless asked for
	 * `status=running`, so both are fetched (running ones may finish in between: each id is kept once).
	 */
	async executions(
		workflowId: string,
		options: { includeData?: boolean } = {},
	): Promise<PublicExecution[]> {
		const byId = new Map<number, PublicExecution>();
		for (const status of ['running', undefined]) {
			let cursor: string | undefined;
			do {
				const page = await this.get<{ data: PublicExecution[]; nextCursor?: string | null }>(
					'/executions',
					{
						workflowId,
						status,
						includeData: options.includeData,
						limit: PAGE_LIMIT,
						cursor,
					},
				);
				for (const execution of page.data)
					byId.set(Number(execution.id), { ...execution, id: Number(execution.id) });
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
		}
		return [...byId.values()].sort((a, b) => a.id - b.id);
	}

	/** One execution with its run data. */
	async execution(executionId: number | string): Promise<PublicExecution> {
		const execution = await this.get<PublicExecution>(`/executions/${executionId}`, {
			includeData: true,
		});
		return { ...execution, id: Number(execution.id) };
	}

	/** A workflow as the public API returns it (nodes, connections, active, staticData, ...). */
	workflow(workflowId: string): Promise<{
		id: string;
		active: boolean;
		nodes: Array<Record<string, unknown>>;
		staticData?: unknown;
		[key: string]: unknown;
	}> {
		return this.get(`/workflows/${workflowId}`);
	}
}

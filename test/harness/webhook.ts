/**
 * `startWebhookHarness`: a real HTTP server on 127.0.0.1 standing in for n8n's webhook server, for one
 * webhook (trigger) node of an active workflow.
 *
 * For every request to the node's webhook URL it does what n8n's live-webhook handling does
 * (CLI: LiveWebhooks → WebhookHelpers.executeWebhook → WebhookService.runWebhook):
 * - loads the workflow with its persisted static data,
 * - parses the body (JSON, form-urlencoded, text) into an Express-like request (`body`, `query`, `headers`),
 * - calls the node's `webhook()` in n8n-core's real `WebhookContext`, with an Express-like response,
 * - persists the static data the node changed exactly when n8n 2.41 does (see `settleStaticData`),
 * - answers as n8n does: nothing more if the node answered itself (`noWebhookResponse`); the node's
 *   `webhookResponse` (or `{"message":"Webhook call received"}`) when it starts nothing; for a started
 *   workflow in `onReceived` mode the configured `responseData`, else the node's `webhookResponse`, else
 *   `{"message":"Workflow was started"}`, with the description's `responseCode` (default 200);
 * - records each `workflowData` the node returned: the executions n8n would start.
 * The workflows themselves are not run (use `runWorkflow` with the trigger's items for that).
 * Other response modes (`lastNode`, `responseNode`, streaming) need a run and are answered with a 500 that
 * says so.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	isNodeClassInstance,
	type IDataObject,
	type IHttpRequestMethods,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { credentialRef } from './credentials';
import { initN8nCore } from './bootstrap';
import { prepareCredentials, plainStaticData, type NyneCredentialData } from './execution';
import { HarnessNodeTypes } from './node-types';

export interface WebhookHarnessOptions {
	/** The trigger node's parameters. */
	parameters?: INodeParameters;
	/** Node type, short or full name; default `nyneTrigger`. */
	nodeType?: string;
	nodeName?: string;
	/** The `nyneApi` credential, if the node needs one. */
	credentials?: NyneCredentialData | null;
	/**
	 * The workflow's stored static data to start from (as n8n stores it: `{ 'node:<name>': {...} }`).
	 * Leave it out for a workflow that never saved any (n8n's column is null then), which changes what
	 * n8n persists: see `settleStaticData`.
	 */
	staticData?: IDataObject;
	/** `webhook` (default): the Production URL of an active workflow; `manual`: the Test URL. */
	mode?: Extract<WorkflowExecuteMode, 'webhook' | 'manual'>;
	nodeTypes?: HarnessNodeTypes;
}

export interface WebhookCall {
	method: string;
	/** Path and query string as received. */
	url: string;
	/** What the node's `webhook()` returned (undefined if it threw or the request never reached it). */
	result?: IWebhookResponseData;
	/** What `webhook()` threw, if anything. */
	error?: unknown;
	/** The answer sent (for `noWebhookResponse`: what the node itself wrote). */
	status: number;
	responseBody: string;
}

export interface WebhookHarness {
	/** The node's webhook URL (what the node's `getNodeWebhookUrl('default')` returns): give it as callback_url. */
	url: string;
	/** `http://127.0.0.1:<port>`: n8n's base URL in this harness. */
	baseUrl: string;
	/** Each `workflowData` the node returned, in arrival order: the executions n8n would start. */
	executions: INodeExecutionData[][][];
	/** Every request that reached the webhook, with what the node returned and what was answered. */
	calls: WebhookCall[];
	/** The workflow's persisted static data (a copy; `{}` while none was ever saved). */
	readonly staticData: IDataObject;
	/** The trigger node's part of it (`getWorkflowStaticData('node')`). */
	readonly nodeStaticData: IDataObject;
	/** Convenience: POSTs JSON (or a raw string) to the webhook URL with a real HTTP request. */
	post(
		body: unknown,
		options?: { query?: Record<string, string>; headers?: Record<string, string>; url?: string },
	): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: unknown; text: string }>;
	/** Resolves once at least `count` executions were recorded (rejects after `timeoutMs`, default 5 s). */
	waitForExecutions(count: number, timeoutMs?: number): Promise<INodeExecutionData[][][]>;
	/** Deactivates the webhook (the node's `delete` hook) and stops the server. */
	close(): Promise<void>;
}

const WORKFLOW_ID = 'harness-webhook-workflow';

type ExpressLikeResponse = http.ServerResponse & {
	status(code: number): ExpressLikeResponse;
	sendStatus(code: number): ExpressLikeResponse;
	set(field: string | Record<string, string>, value?: string): ExpressLikeResponse;
	header(field: string, value: string): ExpressLikeResponse;
	type(contentType: string): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
	redirect(url: string): void;
};

/** Adds the Express response methods nodes use to a plain `http.ServerResponse`. */
function expressResponse(res: http.ServerResponse): ExpressLikeResponse {
	const response = res as ExpressLikeResponse;
	response.status = (code) => {
		res.statusCode = code;
		return response;
	};
	response.set = (field, value) => {
		if (typeof field === 'string') res.setHeader(field, value ?? '');
		else for (const [name, headerValue] of Object.entries(field)) res.setHeader(name, headerValue);
		return response;
	};
	response.header = (field, value) => response.set(field, value);
	response.type = (contentType) =>
		response.set(
			'content-type',
			contentType.includes('/') ? contentType : `application/${contentType}`,
		);
	response.json = (body) => {
		if (!res.hasHeader('content-type'))
			res.setHeader('content-type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return response;
	};
	response.send = (body) => {
		if (body === undefined || body === null) res.end();
		else if (Buffer.isBuffer(body) || typeof body === 'string') {
			if (!res.hasHeader('content-type')) {
				res.setHeader(
					'content-type',
					Buffer.isBuffer(body) ? 'application/octet-stream' : 'text/html; charset=utf-8',
				);
			}
			res.end(body);
		} else response.json(body);
		return response;
	};
	response.sendStatus = (code) => {
		res.statusCode = code;
		res.end(http.STATUS_CODES[code] ?? String(code));
		return response;
	};
	response.redirect = (url) => {
		res.statusCode = 302;
		res.setHeader('location', url);
		res.end();
	};
	return response;
}

class RequestError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

/** n8n's parseBody for the content types it parses; others leave `body` empty (`rawBody` holds the bytes). */
function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const text = raw.toString('utf8');
	if (raw.length === 0) return {};
	if (type === 'application/json' || type.endsWith('+json')) {
		try {
			return JSON.parse(text) as unknown;
		} catch (error) {
			throw new RequestError(
				422,
				'Failed to parse request body',
				error instanceof Error ? error.message : undefined,
			);
		}
	}
	if (type === 'application/x-www-form-urlencoded')
		return Object.fromEntries(new URLSearchParams(text));
	if (type === 'text/plain') return text;
	return {};
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function queryObject(url: URL): IDataObject {
	const query: IDataObject = {};
	for (const key of new Set(url.searchParams.keys())) {
		const values = url.searchParams.getAll(key);
		query[key] = values.length > 1 ? values : values[0];
	}
	return query;
}

export async function startWebhookHarness(
	options: WebhookHarnessOptions = {},
): Promise<WebhookHarness> {
	initN8nCore();
	const nodeTypes = options.nodeTypes ?? new HarnessNodeTypes();
	const mode = options.mode ?? 'webhook';
	const typeName = options.nodeType ?? 'nyneTrigger';
	const fullType = nodeTypes.resolveName(typeName);
	if (!fullType) throw new Error(`Unknown node type "${typeName}"`);
	const nodeType = nodeTypes.getByNameAndVersion(fullType);
	const webhookDescription = nodeType.description.webhooks?.find(
		(webhook) => webhook.name === 'default',
	);
	if (!nodeType.webhook || !webhookDescription)
		throw new Error(`Node type "${fullType}" has no default webhook`);
	const { helper: credentialsHelper, types } = await prepareCredentials({
		credentials: options.credentials,
	});

	const version = nodeType.description.version;
	const node: INode = {
		id: randomUUID(),
		name:
			options.nodeName ?? nodeType.description.defaults.name ?? nodeType.description.displayName,
		type: fullType,
		typeVersion: Array.isArray(version) ? Math.max(...version) : version,
		position: [0, 0],
		parameters: options.parameters ?? {},
		webhookId: randomUUID(),
	};
	for (const credential of nodeType.description.credentials ?? []) {
		if (types.has(credential.name)) {
			node.credentials = { ...node.credentials, [credential.name]: credentialRef(credential.name) };
		}
	}

	/** What n8n's workflow row holds; undefined while nothing was ever saved (the column is null). */
	let persistedStaticData: IDataObject | undefined = options.staticData
		? plainStaticData(options.staticData)
		: undefined;
	const workflowData = (): IWorkflowBase => ({
		id: WORKFLOW_ID,
		name: 'Harness webhook workflow',
		active: mode === 'webhook',
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
		staticData:
			persistedStaticData && (JSON.parse(JSON.stringify(persistedStaticData)) as IDataObject),
	});
	/** A Workflow over the stored row, as n8n builds one for each webhook call and each execution. */
	const workflowOf = (data: IWorkflowBase) =>
		new Workflow({
			id: data.id,
			name: data.name,
			nodes: data.nodes,
			connections: data.connections,
			active: data.active,
			nodeTypes,
			staticData: data.staticData,
			settings: data.settings,
		});
	/** As n8n loads an active workflow for each webhook call: from the stored definition and static data. */
	const loadWorkflow = () => {
		const data = workflowData();
		return {
			data,
			workflow: workflowOf(data),
		};
	};
	/** n8n's WorkflowStaticDataService.saveStaticData: writes the row only if the data was changed. */
	const saveStaticData = (workflow: Workflow) => {
		if (mode === 'webhook' && workflow.staticData.__dataChanged === true) {
			persistedStaticData = plainStaticData(workflow.staticData);
		}
	};
	/**
	 * What n8n 2.41 persists of the static data `webhook()` wrote (CLI: LiveWebhooks.executeWebhook saves it
	 * in the response callback, WebhookHelpers.executeWebhook decides when that runs):
	 * - `webhook()` threw: nothing (the callback gets the error and saves nothing);
	 * - it started nothing, or answered itself (`noWebhookResponse`): saved, the callback runs first;
	 * - it started an execution (`onReceived`): WorkflowRunner.run builds the execution's `Workflow` from
	 *   the same stored workflow object before the callback runs; wrapping that object in n8n-workflow's
	 *   ObservableObject again resets its change flag, so the write is lost whenever the row held static
	 *   data (an object shared by both), and saved only while it was null (each `Workflow` got its own `{}`).
	 * Test webhooks (`manual`) never save. Mirrored here by doing the same thing with the same objects.
	 */
	const settleStaticData = (
		workflow: Workflow,
		data: IWorkflowBase,
		result: IWebhookResponseData | undefined,
	) => {
		if (!result) return;
		if (result.workflowData !== undefined && result.noWebhookResponse !== true) {
			workflowOf(data);
		}
		saveStaticData(workflow);
	};

	const executions: INodeExecutionData[][][] = [];
	const calls: WebhookCall[] = [];
	const waiters: Array<() => void> = [];
	const sockets = new Set<Socket>();

	const server = http.createServer((req, res) => {
		void handle(req, res).catch((error: unknown) => {
			if (!res.headersSent) {
				res.statusCode = 500;
				res.setHeader('content-type', 'application/json; charset=utf-8');
				res.end(
					JSON.stringify({
						code: 0,
						message: error instanceof Error ? error.message : String(error),
					}),
				);
			} else if (!res.writableEnded) res.end();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const additionalDataFor = (data: IWorkflowBase): IWorkflowExecuteAdditionalData =>
		buildAdditionalData({ credentialsHelper, workflowData: data, mode, instanceBaseUrl: baseUrl });

	// The webhook's registration, as n8n computes it when the workflow is activated (WebhookService.getNodeWebhooks).
	const { workflow: initialWorkflow } = loadWorkflow();
	const evaluate = <T>(workflow: Workflow, value: unknown, fallback?: T): T =>
		workflow.expression.getSimpleParameterValue(
			node,
			value as string | boolean | undefined,
			mode,
			{},
			undefined,
			fallback as string | undefined,
		) as T;
	let webhookPath = String(evaluate(initialWorkflow, webhookDescription.path, ''));
	webhookPath = webhookPath.replace(/^\/+|\/+$/g, '');
	const isFullPath = evaluate<boolean>(initialWorkflow, webhookDescription.isFullPath, false);
	const registeredPath = NodeHelpers.getNodeWebhookPath(WORKFLOW_ID, node, webhookPath, isFullPath);
	const methods = String(evaluate(initialWorkflow, webhookDescription.httpMethod, 'GET'))
		.split(',')
		.map((method) => method.trim().toUpperCase())
		.filter(Boolean);
	const prefix = mode === 'webhook' ? 'webhook' : 'webhook-test';
	const url = NodeHelpers.getNodeWebhookUrl(
		`${baseUrl}/${prefix}`,
		WORKFLOW_ID,
		node,
		webhookPath,
		isFullPath,
	);
	const webhookDataFor = (
		additionalData: IWorkflowExecuteAdditionalData,
		method: string,
	): IWebhookData => ({
		httpMethod: method as IHttpRequestMethods,
		node: node.name,
		path: registeredPath,
		webhookDescription: webhookDescription as IWebhookDescription,
		workflowId: WORKFLOW_ID,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: mode === 'manual',
	});

	// Activation: n8n runs the node's checkExists/create hooks (and delete on deactivation).
	const lifecycle = async (
		method: 'checkExists' | 'create' | 'delete',
	): Promise<boolean | undefined> => {
		const hook = nodeType.webhookMethods?.default?.[method];
		if (!hook) return undefined;
		const { workflow, data } = loadWorkflow();
		const additionalData = additionalDataFor(data);
		const context = new HookContext(
			workflow,
			node,
			additionalData,
			mode,
			mode === 'webhook' ? 'activate' : 'manual',
			webhookDataFor(additionalData, methods[0] ?? 'POST'),
		);
		const result = (await hook.call(context)) as boolean;
		saveStaticData(workflow);
		return result;
	};
	try {
		if (!(await lifecycle('checkExists'))) await lifecycle('create');
	} catch (error) {
		await new Promise((resolve) => server.close(resolve));
		throw error;
	}

	async function handle(req: http.IncomingMessage, rawRes: http.ServerResponse): Promise<void> {
		const res = expressResponse(rawRes);
		const requestUrl = new URL(req.url ?? '/', baseUrl);
		const path = requestUrl.pathname.replace(/^\/+/, '').replace(/\/+$/, '');
		const method = (req.method ?? 'GET').toUpperCase();
		const raw = await readBody(req);
		const call: WebhookCall = { method, url: req.url ?? '/', status: 0, responseBody: '' };
		const chunks: Buffer[] = [];
		const write = rawRes.write.bind(rawRes);
		const end = rawRes.end.bind(rawRes);
		rawRes.write = ((chunk: unknown, ...rest: unknown[]) => {
			if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
				chunks.push(Buffer.from(chunk as string));
			return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
		}) as typeof rawRes.write;
		rawRes.end = ((chunk?: unknown, ...rest: unknown[]) => {
			if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
				chunks.push(Buffer.from(chunk as string));
			call.status = rawRes.statusCode;
			call.responseBody = Buffer.concat(chunks).toString('utf8');
			return (end as (...args: unknown[]) => http.ServerResponse)(chunk, ...rest);
		}) as typeof rawRes.end;

		const respondWithError = (status: number, message: string, hint?: string) => {
			res
				.status(status)
				.json({ code: status === 500 ? 0 : status, message, ...(hint ? { hint } : {}) });
		};

		if (path !== `${prefix}/${registeredPath}`) {
			respondWithError(404, `The requested webhook "${method} ${path}" is not registered.`);
			return;
		}
		if (!methods.includes(method)) {
			respondWithError(
				404,
				`This webhook is not registered for ${method} requests. Did you mean to make a ${methods.join(' or ')} request?`,
			);
			return;
		}
		calls.push(call);

		let body: unknown;
		try {
			body = parseBody(raw, req.headers['content-type']);
		} catch (error) {
			const requestError = error as RequestError;
			respondWithError(requestError.status, requestError.message, requestError.hint);
			return;
		}
		const request = {
			method,
			url: req.url,
			originalUrl: req.url,
			path: requestUrl.pathname,
			headers: req.headers,
			query: queryObject(requestUrl),
			params: {},
			body,
			rawBody: raw,
			contentType: req.headers['content-type']?.split(';')[0].trim(),
			get: (name: string) => req.headers[name.toLowerCase()],
			header: (name: string) => req.headers[name.toLowerCase()],
		};

		const { workflow, data } = loadWorkflow();
		const additionalData = additionalDataFor(data);
		additionalData.httpRequest =
			request as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];

		const responseMode = evaluate<string>(workflow, webhookDescription!.responseMode, 'onReceived');
		const responseCode = Number(evaluate<number>(workflow, webhookDescription!.responseCode, 200));
		const responseData = evaluate<string | undefined>(
			workflow,
			webhookDescription!.responseData,
			undefined,
		);

		let result: IWebhookResponseData;
		try {
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				mode,
				webhookDataFor(additionalData, method),
				[],
				null,
			);
			result = isNodeClassInstance(nodeType)
				? await (
						nodeType.webhook as unknown as (
							context: WebhookContext,
						) => Promise<IWebhookResponseData>
					)(context)
				: ((await nodeType.webhook!.call(context)) as IWebhookResponseData);
			call.result = result;
		} catch (error) {
			call.error = error;
			if (!rawRes.headersSent)
				respondWithError(500, 'Workflow Webhook Error: Workflow could not be started!');
			return;
		}
		settleStaticData(workflow, data, result);

		if (result.noWebhookResponse === true) {
			// The node answered (or will answer) the request itself.
			if (result.workflowData !== undefined) record(result.workflowData);
			return;
		}
		if (result.workflowData === undefined) {
			if (!rawRes.headersSent) {
				res
					.status(responseCode)
					.send(
						result.webhookResponse !== undefined
							? result.webhookResponse
							: { message: 'Webhook call received' },
					);
			}
			return;
		}
		record(result.workflowData);
		if (rawRes.headersSent) return;
		if (responseMode !== 'onReceived') {
			respondWithError(
				500,
				`The webhook harness does not run workflows, so it cannot answer in response mode "${responseMode}"`,
			);
			return;
		}
		if (responseData === 'noData') res.status(responseCode).send();
		else if (responseData) res.status(responseCode).send(responseData);
		else if (result.webhookResponse !== undefined)
			res.status(responseCode).send(result.webhookResponse);
		else res.status(responseCode).json({ message: 'Workflow was started' });
	}

	function record(workflowData: INodeExecutionData[][]): void {
		executions.push(workflowData);
		for (const wake of waiters.splice(0)) wake();
	}

	const harness: WebhookHarness = {
		url: url,
		baseUrl,
		executions,
		calls,
		get staticData() {
			return JSON.parse(JSON.stringify(persistedStaticData ?? {})) as IDataObject;
		},
		get nodeStaticData() {
			return (this.staticData[`node:${node.name}`] as IDataObject | undefined) ?? {};
		},
		async post(body, postOptions = {}) {
			const target = new URL(postOptions.url ?? url);
			for (const [key, value] of Object.entries(postOptions.query ?? {}))
				target.searchParams.set(key, value);
			const isRaw = typeof body === 'string';
			const response = await fetch(target, {
				method: 'POST',
				headers: {
					'content-type': isRaw ? 'text/plain' : 'application/json',
					...postOptions.headers,
				},
				body: isRaw ? body : JSON.stringify(body),
			});
			const text = await response.text();
			let parsed: unknown = text;
			try {
				parsed = text ? (JSON.parse(text) as unknown) : undefined;
			} catch {
				// not JSON: keep the text
			}
			return {
				status: response.status,
				headers: Object.fromEntries(response.headers) as http.IncomingHttpHeaders,
				body: parsed,
				text,
			};
		},
		async waitForExecutions(count, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			while (executions.length < count) {
				const remaining = deadline - Date.now();
				if (remaining <= 0) {
					throw new Error(
						`Expected ${count} execution(s) within ${timeoutMs} ms, got ${executions.length}`,
					);
				}
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, remaining);
					waiters.push(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
			return executions;
		},
		async close() {
			try {
				await lifecycle('delete');
			} finally {
				const closed = new Promise((resolve) => server.close(resolve));
				server.closeAllConnections();
				for (const socket of sockets) socket.destroy();
				await closed;
			}
		},
	};
	return harness;
}

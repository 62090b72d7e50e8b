/**
 * A tiny real HTTP server on 127.0.0.1 (random port) for tests: records every request (method, path, query,
 * headers, parsed JSON body) and answers with whatever the test's handler returns.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	/** The body parsed as JSON when it is JSON, else the text ('' when empty). */
	body: unknown;
	receivedAt: number;
}

export interface HandlerResponse {
	status?: number;
	headers?: Record<string, string>;
	/** Sent as JSON unless it is a string. */
	body?: unknown;
	/** Wait this long before answering (the request stays open). */
	delayMs?: number;
}

export type Handler = (request: RecordedRequest) => HandlerResponse | Promise<HandlerResponse>;

export interface RecordingServer {
	/** `http://127.0.0.1:<port>` */
	url: string;
	requests: RecordedRequest[];
	/** Stops the server, dropping open connections (keep-alive ones included). */
	close(): Promise<void>;
}

export async function startRecordingServer(handler: Handler): Promise<RecordingServer> {
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = text ? (JSON.parse(text) as unknown) : '';
			} catch {
				// not JSON: keep the text
			}
			const request: RecordedRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body,
				receivedAt: Date.now(),
			};
			requests.push(request);
			void Promise.resolve()
				.then(() => handler(request))
				.then(async (answer) => {
					if (answer.delayMs) {
						await new Promise<void>((resolve) => {
							const timer = setTimeout(() => {
								timers.delete(timer);
								resolve();
							}, answer.delayMs);
							timers.add(timer);
						});
					}
					if (res.destroyed) return;
					res.statusCode = answer.status ?? 200;
					for (const [name, value] of Object.entries(answer.headers ?? {}))
						res.setHeader(name, value);
					if (typeof answer.body === 'string') res.end(answer.body);
					else if (answer.body === undefined) res.end();
					else {
						if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
						res.end(JSON.stringify(answer.body));
					}
				})
				.catch((error: unknown) => {
					if (res.destroyed) return;
					res.statusCode = 500;
					res.end(String(error));
				});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		async close() {
			for (const timer of timers) clearTimeout(timer);
			const closed = new Promise((resolve) => server.close(resolve));
			server.closeAllConnections();
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}

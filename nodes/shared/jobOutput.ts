import type { IDataObject } from 'n8n-workflow';

import {
	INTEREST_SECTIONS,
	REQUEST_ID_FORMATS,
	RESULT_FIELDS,
	type JobData,
	type JobKind,
} from './nyneApi';

/**
 * The one place that turns a finished Nyne job into output items. The Nyne node (wait mode) and the
 * Nyne Trigger (callbacks) both use it, so a workflow sees the same fields whichever way results arrive.
 */

function record(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

function list(value: unknown): IDataObject[] {
	return Array.isArray(value)
		? value.filter((entry): entry is IDataObject => record(entry) !== undefined)
		: [];
}

/** The two lists of a Followers and Following job; each entry of such a job names one of them. */
const FOLLOW_LISTS = ['followers', 'following'] as const;
type FollowList = (typeof FOLLOW_LISTS)[number];

/**
 * Which list an entry came from, from Nyne's per-entry field. Nyne's docs do not show one; the simulator
 * (our reading) puts `interaction_type` on each entry, and singular spellings are read too.
 */
function entryList(entry: IDataObject): FollowList | undefined {
	for (const field of ['interaction_type', 'type', 'list'] as const) {
		const value =
			typeof entry[field] === 'string' ? (entry[field] as string).trim().toLowerCase() : '';
		if (value === 'followers' || value === 'follower') return 'followers';
		if (value === 'following' || value === 'followed' || value === 'follows') return 'following';
	}
	return undefined;
}

/** Interaction entries of a result: its `interactions` list, or separate `followers` / `following` lists. */
function interactionEntries(result: IDataObject): Array<{ entry: IDataObject; list?: FollowList }> {
	if (Array.isArray(result.interactions))
		return list(result.interactions).map((entry) => ({ entry, list: entryList(entry) }));
	return FOLLOW_LISTS.flatMap((name) =>
		list(result[name]).map((entry) => ({ entry, list: entryList(entry) ?? name })),
	);
}

/**
 * Items for one finished job.
 * - failed: one item with `request_id`, `status` and Nyne's `error`;
 * - interests: the result's sections at top level plus `request_id` and `status` (absent sections stay absent);
 * - leads / interactions with `split`: one item per lead / interaction entry plus the job's identifiers;
 *   zero results give zero items. A Followers and Following entry's `interaction_type` says which list it
 *   came from (`followers` or `following`) when Nyne's entry says so, else the job's `followers,following`;
 * - leads / interactions without `split`: one item with Nyne's whole `data`.
 */
export function jobResultItems(kind: JobKind, jobData: JobData, split: boolean): IDataObject[] {
	const data = jobData as IDataObject;
	const requestId = data.request_id;
	if (data.status === 'failed') {
		return [{ request_id: requestId, status: data.status, error: data.error ?? null }];
	}
	if (kind === 'interests') {
		return [{ ...(record(data.result) ?? {}), request_id: requestId, status: data.status }];
	}
	if (!split) return [{ ...data }];
	if (kind === 'leads') {
		return list(data.results).map((lead) => ({ ...lead, request_id: requestId }));
	}
	const result = record(data.result) ?? {};
	const interactionType = result.interaction_type ?? data.interaction_type;
	const platform = result.platform ?? result.source_platform ?? data.platform;
	return interactionEntries(result).map(({ entry, list: fromList }) => ({
		...entry,
		request_id: requestId,
		interaction_type: fromList ?? entry.interaction_type ?? interactionType,
		platform: entry.platform ?? platform,
		target: result.target,
	}));
}

const hasSection = (value: IDataObject) =>
	INTEREST_SECTIONS.some((section) => value[section] !== undefined);

function isInteractionsResult(value: IDataObject | undefined): value is IDataObject {
	return !!value && (Array.isArray(value.interactions) || value.interaction_type !== undefined);
}

/** Guesses a callback's job kind from its fields (interactions, then leads, then interests), then from its request id. */
function callbackKind(payload: IDataObject): JobKind | undefined {
	const containers = RESULT_FIELDS.map((field) => payload[field]);
	if (payload.interaction_type !== undefined || Array.isArray(payload.interactions))
		return 'interactions';
	if (containers.some((value) => isInteractionsResult(record(value)))) return 'interactions';
	if (containers.some((value) => Array.isArray(value) || Array.isArray(record(value)?.results)))
		return 'leads';
	if (
		hasSection(payload) ||
		containers.some((value) => record(value) && hasSection(record(value)!))
	)
		return 'interests';
	const requestId = String(payload.request_id);
	return (Object.keys(REQUEST_ID_FORMATS) as JobKind[]).find((kind) =>
		REQUEST_ID_FORMATS[kind].test(requestId),
	);
}

/** `results_count`, `result_count` or `total_count` when the body gives one, as a number. */
function declaredCount(payload: IDataObject): number | undefined {
	for (const field of ['results_count', 'result_count', 'total_count'] as const) {
		const value = payload[field];
		const count = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof count === 'number' && Number.isFinite(count)) return count;
	}
	return undefined;
}

/** The body with its result under the field the poll answer uses (`result`, or `results` for leads). */
function withResult(payload: IDataObject, field: 'result' | 'results', value: unknown): JobData {
	if (payload[field] === value) return { ...payload };
	const rest: IDataObject = { ...payload };
	for (const resultField of RESULT_FIELDS) delete rest[resultField];
	return { ...rest, [field]: value } as JobData;
}

/** Maps a callback onto the poll answer's `data` shape, or undefined when its result cannot be found. */
function callbackJobData(kind: JobKind, payload: IDataObject): JobData | undefined {
	const count = declaredCount(payload);
	if (kind === 'leads') {
		for (const field of RESULT_FIELDS) {
			const value = payload[field];
			const leads = Array.isArray(value) ? value : record(value)?.results;
			if (Array.isArray(leads))
				return { ...withResult(payload, 'results', leads), results_count: count ?? leads.length };
		}
		return count === 0 ? { ...withResult(payload, 'results', []), results_count: 0 } : undefined;
	}
	if (kind === 'interactions') {
		for (const field of RESULT_FIELDS) {
			const result = record(payload[field]);
			if (isInteractionsResult(result)) return withResult(payload, 'result', result);
		}
		// The entries themselves at top level, or as a list under one of the result fields.
		const entries = [payload.interactions, ...RESULT_FIELDS.map((field) => payload[field])].find(
			Array.isArray,
		);
		if (entries) {
			const result = {
				interactions: entries,
				interaction_type: payload.interaction_type,
				platform: payload.platform,
			};
			const rest: IDataObject = { ...payload };
			for (const field of ['interactions', ...RESULT_FIELDS]) delete rest[field];
			return { ...rest, result } as JobData;
		}
		const empty = RESULT_FIELDS.some((field) => {
			const value = record(payload[field]);
			return value && Object.keys(value).length === 0;
		});
		return count === 0 || empty ? withResult(payload, 'result', { interactions: [] }) : undefined;
	}
	// Interests: `result` is documented (any content); `data` / `results` count when they hold sections or are empty.
	const documented = record(payload.result);
	if (documented) return withResult(payload, 'result', documented);
	for (const field of ['data', 'results'] as const) {
		const result = record(payload[field]);
		if (result && (hasSection(result) || Object.keys(result).length === 0))
			return withResult(payload, 'result', result);
	}
	if (hasSection(payload)) {
		const sections = Object.fromEntries(
			Object.entries(payload).filter(([key]) => INTEREST_SECTIONS.includes(key)),
		);
		const rest = Object.fromEntries(
			Object.entries(payload).filter(([key]) => !INTEREST_SECTIONS.includes(key)),
		);
		return { ...rest, result: sections };
	}
	return count === 0 ? withResult(payload, 'result', {}) : undefined;
}

export type ReadCallback =
	| { shaped: true; kind: JobKind; requestId: string; status: unknown; jobData: JobData }
	/** A body with a request id whose job or result could not be read: delivered as received, never dropped. */
	| { shaped: false; requestId: string; status: unknown };

/**
 * Reads a callback body liberally: the `{success, data, timestamp}` envelope, the result under `result`,
 * `data` or `results`, `results_count` / `result_count`, the kind from its fields, then from the request-id
 * format. Undefined when the body names no `request_id` (then it is not a Nyne callback).
 */
export function readCallback(body: IDataObject): ReadCallback | undefined {
	const inner = record(body.data);
	const payload = body.request_id === undefined && inner?.request_id !== undefined ? inner : body;
	const requestId = payload.request_id;
	if (
		(typeof requestId !== 'string' && typeof requestId !== 'number') ||
		String(requestId).trim() === ''
	)
		return undefined;
	const id = String(requestId).trim();
	const rawStatus = payload.status;
	const status = typeof rawStatus === 'string' ? rawStatus.trim().toLowerCase() : rawStatus;
	const kind = callbackKind(payload);
	if (!kind) return { shaped: false, requestId: id, status: rawStatus };
	if (status === 'failed' || status === 'error') {
		const error = payload.error ?? payload.message ?? null;
		return {
			shaped: true,
			kind,
			requestId: id,
			status: 'failed',
			jobData: { request_id: id, status: 'failed', error },
		};
	}
	const jobData = callbackJobData(kind, payload);
	if (!jobData) return { shaped: false, requestId: id, status: rawStatus };
	return {
		shaped: true,
		kind,
		requestId: id,
		status: rawStatus,
		jobData: { ...jobData, request_id: id },
	};
}

import type { IDataObject } from 'n8n-workflow';

import type { JobData, JobKind } from '../jobs/types';

/**
 * The one place that turns a finished Nyne job into output items. The Nyne node (wait mode) and the
 * Nyne Trigger (callbacks) both use it, so a workflow sees the same fields whichever way results arrive.
 */

function record(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function list(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.filter((entry): entry is IDataObject => record(entry) !== undefined) : [];
}

/**
 * Items for one finished job.
 * - failed: one item with `request_id`, `status` and Nyne's `error`;
 * - interests: the result's sections at top level plus `request_id` and `status` (absent sections stay absent);
 * - leads / interactions with `split`: one item per lead / interaction entry plus the job's identifiers;
 *   zero results give zero items;
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
	return list(result.interactions).map((entry) => ({
		...entry,
		request_id: requestId,
		// A `followers,following` job tags each entry with its own relation; keep that over the job's.
		interaction_type: entry.interaction_type ?? interactionType,
		platform: entry.platform ?? platform,
		target: result.target,
	}));
}

/** Guesses the job kind of a payload from its fields, then from Nyne's request-id formats. */
export function detectJobKind(payload: IDataObject): JobKind | undefined {
	const data = record(payload.data);
	if (Array.isArray(payload.results) || payload.results_count !== undefined) return 'leads';
	if (data && (Array.isArray(data.results) || data.results_count !== undefined)) return 'leads';
	if (payload.interaction_type !== undefined || record(payload.result)?.interactions !== undefined) {
		return 'interactions';
	}
	if (data && (data.interaction_type !== undefined || data.interactions !== undefined)) return 'interactions';
	const requestId = typeof payload.request_id === 'string' ? payload.request_id : '';
	if (/^interaction_/.test(requestId)) return 'interactions';
	if (/^[0-9a-f]{64}$/i.test(requestId)) return 'leads';
	if (/^[0-9a-f]{32}_\d+_\d+$/i.test(requestId)) return 'interests';
	if (record(payload.result)) return 'interests';
	return undefined;
}

/**
 * Nyne's callbacks differ from its poll answers: interactions nest the result under `data`, leads put
 * `results` at the top, interests carry `result`. This maps a callback body onto the poll answer's
 * `data` shape, so {@link jobResultItems} can treat both alike.
 */
export function callbackToJobData(kind: JobKind, payload: IDataObject): JobData {
	if (kind === 'interactions') {
		const { data, ...rest } = payload;
		const result = record(data) ?? record(payload.result);
		const jobData: IDataObject = { ...rest };
		if (result) jobData.result = result;
		return jobData;
	}
	return { ...payload };
}

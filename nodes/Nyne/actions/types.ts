import type { JobSpec } from '../engine/types';

/** Reads one node parameter of the current item. */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

/** One input item's parameters, as an operation's `plan` reads them. */
export interface ItemParameters {
	read: ParameterReader;
	/** Run by an AI agent: it needs the answer, so the node always waits. */
	asTool: boolean;
}

/**
 * How a job becomes items: `raw` outputs Nyne's `data` as it is (Submit Only, Get Job); `result` and
 * `split` shape a finished job, `split` with one item per lead or interaction.
 */
export type OutputShape = 'raw' | 'result' | 'split';

/** What one item asks for, checked and complete: nothing is sent while planning. */
export interface JobPlan {
	spec: JobSpec;
	output: OutputShape;
}

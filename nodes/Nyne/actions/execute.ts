import {
	deepCopy,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { jobResultItems } from '../../shared/jobOutput';
import { JobEngine } from '../engine/engine';
import { DEFAULT_POLLING } from '../engine/limits';
import type { JobOutcome } from '../engine/types';
import { CREDENTIAL_TYPE, createSender, normaliseBaseUrl, ratePacerFor } from '../transport';
import { apiError, errorItem, inputError } from './errors';
import { operations } from './person';
import type { JobPlan } from './types';
import { FieldError } from './validation';

/**
 * The Nyne node's run: check every item, run all jobs at once in the key's shared rate budget, then output
 * one result or one error per input, in input order.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = new NodeRun(this);
	const plans = run.planItems();
	const ran = await run.runJobs(plans);
	return [run.outputItems(ran)];
}

interface PlannedItem extends JobPlan {
	itemIndex: number;
}

/** A planned item that was run, with what came of it. */
interface RanItem {
	plan: PlannedItem;
	outcome: JobOutcome;
}

class NodeRun {
	private readonly itemCount: number;

	private readonly continueOnFail: boolean;

	/** Error items by input index, for items that failed before or while running. */
	private readonly failures = new Map<number, INodeExecutionData>();

	constructor(private readonly context: IExecuteFunctions) {
		this.itemCount = context.getInputData().length;
		this.continueOnFail = context.continueOnFail();
	}

	/** 1. Check every item before sending anything: a bad item costs no credits and no rate budget. */
	planItems(): PlannedItem[] {
		const { context } = this;
		const asTool = typeof context.isToolExecution === 'function' && context.isToolExecution();
		const plans: PlannedItem[] = [];
		for (let itemIndex = 0; itemIndex < this.itemCount; itemIndex++) {
			try {
				const read = (name: string, fallback?: unknown) =>
					context.getNodeParameter(name, itemIndex, fallback);
				const name = String(read('operation'));
				const operation = operations[name];
				if (!operation) throw new FieldError('Operation', `"${name}" is not supported`);
				plans.push({ itemIndex, ...operation.plan({ read, asTool }) });
			} catch (error) {
				this.fail(inputError(context, error, itemIndex), itemIndex);
			}
		}
		return plans;
	}

	/**
	 * 2. Run all jobs at once within the key's shared rate budget. None runs when the credential's Base URL
	 * cannot be used: then every planned item fails instead.
	 */
	async runJobs(plans: PlannedItem[]): Promise<RanItem[]> {
		if (plans.length === 0) return [];
		const { context } = this;
		const credentials = await context.getCredentials(CREDENTIAL_TYPE);
		let baseUrl: string;
		try {
			baseUrl = normaliseBaseUrl(credentials.baseUrl);
		} catch (error) {
			// normaliseBaseUrl throws only InvalidBaseUrlError, whose message names the credential and the rule.
			const nodeError = new NodeOperationError(context.getNode(), (error as Error).message, {
				description: 'Nothing was sent to Nyne. Edit the Base URL in the Nyne API credential.',
				itemIndex: plans[0].itemIndex,
			});
			for (const plan of plans) this.fail(nodeError, plan.itemIndex);
			return [];
		}
		const signal = context.getExecutionCancelSignal?.();
		const engine = new JobEngine({
			send: createSender(context, baseUrl),
			pacer: ratePacerFor(baseUrl, String(credentials.apiKey ?? '')),
			sleep,
			polling: DEFAULT_POLLING,
			signal,
		});
		const outcomes = await engine.runAll(plans.map((plan) => plan.spec));
		if (signal?.aborted) {
			// n8n marks the execution "canceled" (not failed) from this wording.
			throw new NodeOperationError(
				context.getNode(),
				'The execution was canceled while waiting for Nyne.',
				{
					description:
						'Jobs Nyne already accepted keep running there; fetch them later with the Get Job operation.',
				},
			);
		}
		return plans.map((plan, position) => ({ plan, outcome: outcomes[position] }));
	}

	/** 3. One result or one error per input, in input order, each paired with its input. */
	outputItems(ran: RanItem[]): INodeExecutionData[] {
		const results = new Map<number, INodeExecutionData[]>();
		const finished = ran.filter(({ outcome }) => outcome.ok).length;
		for (const { plan, outcome } of ran) {
			if (outcome.ok) {
				// Identical inputs share one outcome: each gets its own copy, so a later node editing one item
				// cannot change another.
				const data = deepCopy(outcome.data) as IDataObject;
				const json =
					plan.output === 'raw'
						? [data]
						: jobResultItems(plan.spec.kind, data, plan.output === 'split');
				results.set(
					plan.itemIndex,
					json.map((entry) => ({ json: entry, pairedItem: { item: plan.itemIndex } })),
				);
				continue;
			}
			const nodeError = apiError(this.context, outcome.error, plan.itemIndex);
			if (!this.continueOnFail && finished > 0) {
				// Their jobs were charged: say how to keep them.
				nodeError.description =
					`${nodeError.description ?? ''} ${finished} other item(s) finished in this run; turn on Continue On Fail (Settings) to keep their results when one item fails.`.trim();
			}
			this.fail(nodeError, plan.itemIndex, outcome.error);
		}
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.itemCount; itemIndex++) {
			const failure = this.failures.get(itemIndex);
			output.push(...(failure ? [failure] : (results.get(itemIndex) ?? [])));
		}
		return output;
	}

	/** Without Continue On Fail the first failure fails the node; with it, the item becomes an error item. */
	private fail(
		error: Parameters<typeof errorItem>[0],
		itemIndex: number,
		jobError?: Parameters<typeof errorItem>[2],
	): void {
		if (!this.continueOnFail) throw error;
		this.failures.set(itemIndex, errorItem(error, itemIndex, jobError));
	}
}

import type { INodeProperties } from 'n8n-workflow';

import { jobOptionsDescription } from '../jobOptions';
import type { ItemParameters, JobPlan } from '../types';
import * as getInteractions from './getInteractions.operation';
import * as getInterests from './getInterests.operation';
import * as getJob from './getJob.operation';
import * as searchLeads from './searchLeads.operation';

/** An operation: its fields, and how an item's values become a job plan (throws FieldError when invalid). */
export interface PersonOperation {
	description: INodeProperties[];
	/** Whether it submits a job (so Mode and Options apply), rather than checking one. */
	submitsJob: boolean;
	plan(item: ItemParameters): JobPlan;
}

export const operations: Record<string, PersonOperation> = {
	getInteractions,
	getInterests,
	getJob,
	searchLeads,
};

const submitOperations = Object.keys(operations).filter((name) => operations[name].submitsJob);

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['person'] } },
		options: [
			{
				name: 'Get Interactions',
				value: 'getInteractions',
				action: 'Get interactions of a person',
				description:
					'Find who replies to, follows or is followed by a person on X/Twitter or Instagram',
			},
			{
				name: 'Get Interests',
				value: 'getInterests',
				action: 'Get interests of a person',
				description: "Infer a person's interests, affinities and psychographics",
			},
			{
				name: 'Get Job',
				value: 'getJob',
				action: 'Get a job',
				description: 'Fetch the status and result of a job submitted earlier',
			},
			{
				name: 'Search Leads',
				value: 'searchLeads',
				action: 'Search leads',
				description: 'Find people posting about a topic from a plain-language description',
			},
		],
		default: 'searchLeads',
	},
	...searchLeads.description,
	...getInterests.description,
	...getInteractions.description,
	...getJob.description,
	...jobOptionsDescription(submitOperations),
];

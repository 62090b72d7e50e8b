import type { INodeProperties } from 'n8n-workflow';

import { submitProperties, type SubmitOperation } from '../common';
import { getInteractions } from './getInteractions.operation';
import { getInterests } from './getInterests.operation';
import { properties as getJobProperties } from './getJob.operation';
import { searchLeads } from './searchLeads.operation';

export const SUBMIT_OPERATIONS: Record<string, SubmitOperation> = {
	getInterests,
	getInteractions,
	searchLeads,
};

export const operationProperty: INodeProperties = {
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
};

export const personProperties: INodeProperties[] = [
	operationProperty,
	...searchLeads.properties,
	...getInterests.properties,
	...getInteractions.properties,
	...getJobProperties,
	...submitProperties(Object.keys(SUBMIT_OPERATIONS)),
];

import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { FIELD_BOUNDS } from '../../../shared/nyneApi';
import { submitJob } from '../jobOptions';
import type { ItemParameters, JobPlan } from '../types';
import { lengthBetween, text } from '../validation';

const { min, max } = FIELD_BOUNDS.searchDescription;

const properties: INodeProperties[] = [
	{
		displayName: 'Search Description',
		name: 'searchDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'Marketing directors at SaaS companies who are interested in AI tools',
		description: `Describe in plain language who you are looking for (${min}–${max} characters)`,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['searchLeads'] } },
	properties,
);

export const submitsJob = true;

export function plan(item: ItemParameters): JobPlan {
	const searchDescription = text('Search Description', item.read('searchDescription', ''));
	return submitJob(item, 'leads', {
		search_description: lengthBetween('Search Description', searchDescription, min, max),
	});
}

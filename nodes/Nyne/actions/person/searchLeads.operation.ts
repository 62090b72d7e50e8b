import type { INodeProperties } from 'n8n-workflow';

import { showFor, type SubmitOperation } from '../common';
import { lengthBetween, text } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Search Description',
		name: 'searchDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'Marketing directors at SaaS companies who are interested in AI tools',
		description: 'Describe in plain language who you are looking for (10–2000 characters)',
		displayOptions: showFor(['searchLeads']),
	},
];

export const searchLeads: SubmitOperation = {
	value: 'searchLeads',
	kind: 'leads',
	properties,
	buildBody(read) {
		const description = text('Search Description', read('searchDescription', ''));
		return { search_description: lengthBetween('Search Description', description, 10, 2000) };
	},
};

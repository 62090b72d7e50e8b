import type { INodePropertyOptions } from 'n8n-workflow';

/** The job types as both nodes offer them: Get Job's Job Type and the trigger's Job Types filter. */
export const JOB_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Interactions', value: 'interactions' },
	{ name: 'Interests', value: 'interests' },
	{ name: 'Leads', value: 'leads' },
];

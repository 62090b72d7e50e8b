import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { JOB_TYPE_OPTIONS } from '../../../shared/descriptions';
import { FIELD_BOUNDS, JOB_KINDS, REQUEST_ID, REQUEST_ID_FORMATS } from '../../../shared/nyneApi';
import type { ItemParameters, JobPlan } from '../types';
import { FieldError, oneOf, text } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		options: JOB_TYPE_OPTIONS,
		default: 'leads',
		description: 'The operation that submitted the job',
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.request_id }}',
		description: 'The request_id Nyne returned when the job was submitted',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['getJob'] } },
	properties,
);

export const submitsJob = false;

/** One status check of a job submitted earlier; its answer is output as Nyne sent it. */
export function plan(item: ItemParameters): JobPlan {
	const kind = oneOf('Job Type', item.read('jobType', 'leads'), JOB_KINDS);
	const requestId = text('Request ID', item.read('requestId', ''));
	if (!requestId) throw new FieldError('Request ID', 'is required');
	if (!REQUEST_ID.test(requestId)) {
		throw new FieldError(
			'Request ID',
			`must be ${FIELD_BOUNDS.requestId.min}–${FIELD_BOUNDS.requestId.max} letters, digits, underscores or dashes, as Nyne returns it`,
		);
	}
	// Nyne's documented formats catch an id pasted under the wrong Job Type.
	const looksLike = JOB_KINDS.find((other) => REQUEST_ID_FORMATS[other].test(requestId));
	if (looksLike && looksLike !== kind) {
		throw new FieldError(
			'Job Type',
			`the request ID has the format of ${looksLike} jobs, not of ${kind} jobs`,
		);
	}
	return { spec: { action: 'get', kind, requestId }, output: 'raw' };
}

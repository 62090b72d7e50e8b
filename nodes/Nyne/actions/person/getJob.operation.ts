import type { INodeProperties } from 'n8n-workflow';

import { JOB_KINDS, type JobKind } from '../../jobs/types';
// Nyne's request-id formats, used here only to catch an id pasted under the wrong Job Type.
import { REQUEST_ID_FORMATS } from '../../shared/jobOutput';
import { showFor, type ParameterReader } from '../common';
import { FieldError, oneOf, text } from '../validation';

const show = showFor(['getJob']);

export const properties: INodeProperties[] = [
	{
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		options: [
			{ name: 'Interests', value: 'interests' },
			{ name: 'Interactions', value: 'interactions' },
			{ name: 'Leads', value: 'leads' },
		],
		default: 'leads',
		description: 'The operation that submitted the job',
		displayOptions: show,
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.request_id }}',
		description: 'The request_id Nyne returned when the job was submitted',
		displayOptions: show,
	},
];

const REQUEST_ID = /^[A-Za-z0-9_-]{8,200}$/;

export function readGetJob(read: ParameterReader): { kind: JobKind; requestId: string } {
	const kind = oneOf('Job Type', read('jobType', 'leads'), JOB_KINDS);
	const requestId = text('Request ID', read('requestId', ''));
	if (!requestId) throw new FieldError('Request ID', 'is required');
	if (!REQUEST_ID.test(requestId)) {
		throw new FieldError(
			'Request ID',
			'must be 8–200 letters, digits, underscores or dashes, as Nyne returns it',
		);
	}
	const looksLike = JOB_KINDS.find((other) => REQUEST_ID_FORMATS[other].test(requestId));
	if (looksLike && looksLike !== kind) {
		throw new FieldError(
			'Job Type',
			`the request ID has the format of ${looksLike} jobs, not of ${kind} jobs`,
		);
	}
	return { kind, requestId };
}

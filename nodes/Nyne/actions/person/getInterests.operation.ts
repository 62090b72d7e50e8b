import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { FIELD_BOUNDS } from '../../../shared/nyneApi';
import { submitJob } from '../jobOptions';
import type { ItemParameters, JobPlan } from '../types';
import { email, FieldError, lengthBetween, phoneNumber, profileUrl, text } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Email address of the person',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '+1 415 555 0100',
		description:
			'Phone number of the person, e.g. +1 415 555 0100 (tel: and an extension are removed)',
	},
	{
		displayName: 'Social Media URL',
		name: 'socialMediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://www.linkedin.com/in/janedoe',
		description:
			'A profile URL of the person (LinkedIn, X, …). Improves matching. https:// is added when missing.',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Jane Doe',
		description:
			'Full name. Name-only lookups can match the wrong person: add Company or a profile URL.',
	},
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '',
		description: 'Current company or workplace, to tell apart people with the same name',
	},
	{
		displayName: 'Provide at least one of Email, Phone, Social Media URL or Name.',
		name: 'identifierNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['getInterests'] } },
	properties,
);

export const submitsJob = true;

export function plan(item: ItemParameters): JobPlan {
	const { read } = item;
	const fields: Record<string, unknown> = {};
	const mail = email('Email', text('Email', read('email', '')));
	const phone = phoneNumber('Phone', text('Phone', read('phone', '')));
	const url =
		profileUrl('Social Media URL', text('Social Media URL', read('socialMediaUrl', '')))?.text ??
		'';
	const name = text('Name', read('name', ''));
	const company = text('Company', read('company', ''));
	if (!mail && !phone && !url && !name) {
		throw new FieldError(
			'Email, Phone, Social Media URL or Name',
			'at least one of them is required to identify the person (Company alone is not enough)',
		);
	}
	// One character is a name too (王, Ø); only the bounds of what Nyne can store are checked.
	const { min, max } = FIELD_BOUNDS.personText;
	if (name) lengthBetween('Name', name, min, max);
	if (company) lengthBetween('Company', company, min, max);
	if (mail) fields.email = mail;
	if (phone) fields.phone = phone;
	if (url) fields.social_media_url = url;
	if (name) fields.name = name;
	if (company) fields.company = company;
	return submitJob(item, 'interests', fields);
}

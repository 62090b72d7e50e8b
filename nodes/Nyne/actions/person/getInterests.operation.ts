import type { INodeProperties } from 'n8n-workflow';

import { showFor, type SubmitOperation } from '../common';
import { email, FieldError, lengthBetween, phoneNumber, profileUrl, text } from '../validation';

const show = showFor(['getInterests']);

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Email address of the person',
		displayOptions: show,
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '+1 415 555 0100',
		description:
			'Phone number of the person, e.g. +1 415 555 0100 (tel: and an extension are removed)',
		displayOptions: show,
	},
	{
		displayName: 'Social Media URL',
		name: 'socialMediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://www.linkedin.com/in/janedoe',
		description:
			'A profile URL of the person (LinkedIn, X, …). Improves matching. https:// is added when missing.',
		displayOptions: show,
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Jane Doe',
		description:
			'Full name. Name-only lookups can match the wrong person: add Company or a profile URL.',
		displayOptions: show,
	},
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '',
		description: 'Current company or workplace, to tell apart people with the same name',
		displayOptions: show,
	},
	{
		displayName: 'Provide at least one of Email, Phone, Social Media URL or Name.',
		name: 'identifierNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
];

export const getInterests: SubmitOperation = {
	value: 'getInterests',
	kind: 'interests',
	properties,
	buildBody(read) {
		const body: Record<string, unknown> = {};
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
		if (name) lengthBetween('Name', name, 1, 200);
		if (company) lengthBetween('Company', company, 1, 200);
		if (mail) body.email = mail;
		if (phone) body.phone = phone;
		if (url) body.social_media_url = url;
		if (name) body.name = name;
		if (company) body.company = company;
		return body;
	},
};

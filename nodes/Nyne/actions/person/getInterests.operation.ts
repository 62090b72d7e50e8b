import type { INodeProperties } from 'n8n-workflow';

import { showFor, type SubmitOperation } from '../common';
import { email, FieldError, httpUrl, lengthBetween, text } from '../validation';

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
		description: 'Phone number of the person',
		displayOptions: show,
	},
	{
		displayName: 'Social Media URL',
		name: 'socialMediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://www.linkedin.com/in/janedoe',
		description: 'A profile URL of the person (LinkedIn, X, …). Improves matching.',
		displayOptions: show,
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Jane Doe',
		description: 'Full name. Name-only lookups can match the wrong person: add Company or a profile URL.',
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

const PHONE = /^\+?[0-9 ().\-/]+$/;

export const getInterests: SubmitOperation = {
	value: 'getInterests',
	kind: 'interests',
	properties,
	buildBody(read) {
		const body: Record<string, unknown> = {};
		const mail = email('Email', text('Email', read('email', '')));
		const phone = text('Phone', read('phone', ''));
		const url = text('Social Media URL', read('socialMediaUrl', ''));
		const name = text('Name', read('name', ''));
		const company = text('Company', read('company', ''));
		if (!mail && !phone && !url && !name) {
			throw new FieldError(
				'Email, Phone, Social Media URL or Name',
				'at least one of them is required to identify the person (Company alone is not enough)',
			);
		}
		if (phone) {
			const digits = phone.replace(/\D/g, '').length;
			if (!PHONE.test(phone) || digits < 7 || digits > 15) {
				throw new FieldError('Phone', 'must be a phone number of 7–15 digits (+, spaces, dashes, dots and brackets allowed)');
			}
		}
		httpUrl('Social Media URL', url);
		if (name) lengthBetween('Name', name, 2, 200);
		if (company) lengthBetween('Company', company, 1, 200);
		if (mail) body.email = mail;
		if (phone) body.phone = phone;
		if (url) body.social_media_url = url;
		if (name) body.name = name;
		if (company) body.company = company;
		return body;
	},
};

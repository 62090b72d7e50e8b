import {
	email,
	FieldError,
	httpUrl,
	integerBetween,
	lengthBetween,
	oneOf,
	phoneNumber,
	profileUrl,
	secondsBetween,
	text,
} from '../../../nodes/Nyne/actions/validation';
import { fieldError } from '../../support/fieldError';

const PHONE_RULE =
	'must be a phone number of 7–15 digits (+, spaces, dashes, dots, slashes and brackets allowed; an extension is dropped)';

describe('FieldError', () => {
	it('names the field first in its message and keeps it in .field', () => {
		const error = new FieldError('Max Results', 'must be from 10 to 1000, but is 5');
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('FieldError');
		expect(error.field).toBe('Max Results');
		expect(error.message).toBe('Max Results: must be from 10 to 1000, but is 5');
	});
});

describe('text', () => {
	it('trims text and reads undefined and null as empty', () => {
		expect(text('Name', '  Jane Doe \n')).toBe('Jane Doe');
		expect(text('Name', undefined)).toBe('');
		expect(text('Name', null)).toBe('');
	});

	it('accepts a finite number as its digits', () => {
		expect(text('Phone', 14155550100)).toBe('14155550100');
		expect(text('Tweet ID', 1234567890)).toBe('1234567890');
	});

	it.each([
		['a list', ['a', 'b']],
		['object', { a: 1 }],
		['boolean', true],
		['number', Number.NaN],
		['number', Number.POSITIVE_INFINITY],
	])('refuses a value that is not text, saying it got %s', (what, value) => {
		const error = fieldError(() => text('Company', value));
		expect(error.field).toBe('Company');
		expect(error.message).toBe(`Company: must be text, but got ${what}`);
	});
});

describe('email', () => {
	it('lower-cases a valid address, so one person is one job', () => {
		expect(email('Email', 'Ada.Lovelace@Example.COM')).toBe('ada.lovelace@example.com');
		expect(email('Email', 'first+tag@mail.example.co.uk')).toBe('first+tag@mail.example.co.uk');
	});

	it('leaves an empty value empty (the field is optional)', () => {
		expect(email('Email', '')).toBe('');
	});

	it.each([
		'ada',
		'ada@example',
		'@example.com',
		'ada@@example.com',
		'ada@example..com',
		'ada@.example.com',
		'ada@example.com.',
		'ada lovelace@example.com',
		'ada@exa mple.com',
	])('refuses %p, quoting it', (value) => {
		const error = fieldError(() => email('Email', value));
		expect(error.field).toBe('Email');
		expect(error.message).toBe(`Email: "${value}" is not a valid email address`);
	});

	it('clips a long invalid value to 60 characters in the message', () => {
		const value = `${'a'.repeat(80)}@nowhere`;
		const error = fieldError(() => email('Email', value));
		expect(error.message).toBe(`Email: "${'a'.repeat(57)}..." is not a valid email address`);
	});
});

describe('httpUrl', () => {
	it('parses http and https URLs; empty is no URL', () => {
		expect(httpUrl('Callback URL', 'https://hooks.example.com/webhook/nyne?token=a')?.href).toBe(
			'https://hooks.example.com/webhook/nyne?token=a',
		);
		expect(httpUrl('Callback URL', 'http://localhost:5678/webhook/x')?.host).toBe('localhost:5678');
		expect(httpUrl('Callback URL', '')).toBeUndefined();
	});

	it('refuses text that is not a URL, saying it must start with http(s)://', () => {
		for (const value of ['hooks.example.com/webhook', 'http://', 'not a url']) {
			const error = fieldError(() => httpUrl('Callback URL', value));
			expect(error.field).toBe('Callback URL');
			expect(error.message).toBe(
				`Callback URL: "${value}" is not a valid URL (it must start with http:// or https://)`,
			);
		}
	});

	it.each([
		['ftp://files.example.com/x', 'ftp:'],
		['file:///etc/passwd', 'file:'],
		['mailto:ada@example.com', 'mailto:'],
	])('refuses %p, naming its scheme', (value, scheme) => {
		const error = fieldError(() => httpUrl('Callback URL', value));
		expect(error.field).toBe('Callback URL');
		expect(error.message).toBe(`Callback URL: must be an http:// or https:// URL, not ${scheme}`);
	});
});

describe('profileUrl', () => {
	it('adds https:// to a URL pasted without a scheme', () => {
		const parsed = profileUrl('Social Media URL', 'linkedin.com/in/janedoe');
		expect(parsed?.text).toBe('https://linkedin.com/in/janedoe');
		expect(parsed?.url.hostname).toBe('linkedin.com');
		expect(parsed?.url.pathname).toBe('/in/janedoe');
	});

	it('adds only https: to a protocol-relative URL', () => {
		expect(profileUrl('Social Media URL', '//www.linkedin.com/in/janedoe')?.text).toBe(
			'https://www.linkedin.com/in/janedoe',
		);
	});

	it('keeps a URL with a scheme as typed', () => {
		const parsed = profileUrl('Social Media URL', 'HTTP://www.LinkedIn.com/in/JaneDoe');
		expect(parsed?.text).toBe('HTTP://www.LinkedIn.com/in/JaneDoe');
		expect(parsed?.url.hostname).toBe('www.linkedin.com');
	});

	it('reads host:port as a host with a port, not as a scheme', () => {
		const parsed = profileUrl('Social Media URL', 'www.example.com:8080/in/jane');
		expect(parsed?.text).toBe('https://www.example.com:8080/in/jane');
		expect(parsed?.url.hostname).toBe('www.example.com');
		expect(parsed?.url.port).toBe('8080');
	});

	it('refuses a host:port without a dotted host name', () => {
		const error = fieldError(() => profileUrl('Social Media URL', 'localhost:8080/x'));
		expect(error.field).toBe('Social Media URL');
		expect(error.message).toBe(
			'Social Media URL: "localhost:8080/x" is not a valid URL, e.g. https://www.linkedin.com/in/janedoe',
		);
	});

	it.each(['janedoe', 'not a url', 'jane doe.com/x'])(
		'refuses %p, showing an example of a profile URL',
		(value) => {
			const error = fieldError(() => profileUrl('Social Media URL', value));
			expect(error.field).toBe('Social Media URL');
			expect(error.message).toBe(
				`Social Media URL: "${value}" is not a valid URL, e.g. https://www.linkedin.com/in/janedoe`,
			);
		},
	);

	it('refuses ftp: and other schemes than http(s)', () => {
		const error = fieldError(() => profileUrl('Social Media URL', 'ftp://linkedin.com/in/jane'));
		expect(error.field).toBe('Social Media URL');
		expect(error.message).toBe('Social Media URL: must be an http:// or https:// URL, not ftp:');
	});

	it('is undefined for an empty value', () => {
		expect(profileUrl('Social Media URL', '')).toBeUndefined();
	});
});

describe('phoneNumber', () => {
	it('keeps a plain number as typed', () => {
		expect(phoneNumber('Phone', '+1 (415) 555.0100')).toBe('+1 (415) 555.0100');
		expect(phoneNumber('Phone', '030/1234567')).toBe('030/1234567');
	});

	it('removes tel: and tel://', () => {
		expect(phoneNumber('Phone', 'tel:+1-415-555-0100')).toBe('+1-415-555-0100');
		expect(phoneNumber('Phone', 'TEL://+14155550100')).toBe('+14155550100');
	});

	it.each([
		'+1 415 555 0100 ext. 12',
		'+1 415 555 0100 ext 12',
		'+1 415 555 0100 extension 12',
		'+1 415 555 0100 x12',
		'+1 415 555 0100 #12',
	])('drops the extension of %p', (value) => {
		expect(phoneNumber('Phone', value)).toBe('+1 415 555 0100');
	});

	it("drops a tel: URI's ;ext= extension", () => {
		expect(phoneNumber('Phone', 'tel:+1-415-555-0100;ext=12')).toBe('+1-415-555-0100');
	});

	it('reads Unicode spaces as a space and Unicode dashes as -', () => {
		// No-break space, non-breaking hyphen, figure dash; en dash, ideographic space; narrow no-break
		// space, thin space; minus sign, zero-width space.
		expect(phoneNumber('Phone', '+1\u00a0415\u2011555\u20120100')).toBe('+1 415-555-0100');
		expect(phoneNumber('Phone', '030\u2013123\u30004567')).toBe('030-123 4567');
		expect(phoneNumber('Phone', '+44\u202f20\u20097946\u00a00958')).toBe('+44 20 7946 0958');
		expect(phoneNumber('Phone', '555\u2212\u200b0100')).toBe('555- 0100');
	});

	it('accepts 7 and 15 digits, refuses 6 and 16', () => {
		expect(phoneNumber('Phone', '555-0100')).toBe('555-0100');
		expect(phoneNumber('Phone', '+123 456 789 012 345')).toBe('+123 456 789 012 345');
		for (const value of ['555-010', '+123 456 789 012 3456']) {
			const error = fieldError(() => phoneNumber('Phone', value));
			expect(error.field).toBe('Phone');
			expect(error.message).toBe(`Phone: ${PHONE_RULE}`);
		}
	});

	it('does not count extension digits towards the 15', () => {
		// 15 digits plus a 3-digit extension: valid once the extension is dropped.
		expect(phoneNumber('Phone', '+123 456 789 012 345 x999')).toBe('+123 456 789 012 345');
	});

	it.each(['1-800-FLOWERS', '+1 415 555 0100 ext. 1234567', 'phone: 4155550100', '415*555*0100'])(
		'refuses %p',
		(value) => {
			const error = fieldError(() => phoneNumber('Phone', value));
			expect(error.field).toBe('Phone');
			expect(error.message).toBe(`Phone: ${PHONE_RULE}`);
		},
	);

	it('leaves an empty value empty (the field is optional)', () => {
		expect(phoneNumber('Phone', '')).toBe('');
	});
});

describe('lengthBetween', () => {
	it('accepts the bounds and returns the value unchanged', () => {
		expect(lengthBetween('Search Description', 'a'.repeat(10), 10, 20)).toBe('a'.repeat(10));
		expect(lengthBetween('Search Description', 'a'.repeat(20), 10, 20)).toBe('a'.repeat(20));
	});

	it('refuses one below and one above, giving the length', () => {
		const short = fieldError(() => lengthBetween('Search Description', 'a'.repeat(9), 10, 20));
		expect(short.field).toBe('Search Description');
		expect(short.message).toBe('Search Description: must be 10–20 characters long, but is 9');
		const long = fieldError(() => lengthBetween('Search Description', 'a'.repeat(21), 10, 20));
		expect(long.message).toBe('Search Description: must be 10–20 characters long, but is 21');
	});

	it('counts an emoji as one character, not two UTF-16 units', () => {
		const rockets = '🚀'.repeat(10);
		expect(rockets.length).toBe(20);
		expect(lengthBetween('Search Description', rockets, 10, 10)).toBe(rockets);
		const error = fieldError(() => lengthBetween('Name', '🚀🚀', 1, 1));
		expect(error.field).toBe('Name');
		expect(error.message).toBe('Name: must be 1–1 characters long, but is 2');
	});
});

describe('integerBetween', () => {
	it('accepts whole numbers within the bounds, and their digits as text', () => {
		expect(integerBetween('Max Results', 10, 10, 1000)).toBe(10);
		expect(integerBetween('Max Results', 1000, 10, 1000)).toBe(1000);
		expect(integerBetween('Max Results', ' 250 ', 10, 1000)).toBe(250);
	});

	it('rejects a value out of range instead of clamping it', () => {
		const low = fieldError(() => integerBetween('Max Results', 9, 10, 1000));
		expect(low.field).toBe('Max Results');
		expect(low.message).toBe('Max Results: must be from 10 to 1000, but is 9');
		const high = fieldError(() => integerBetween('Max Results', '1001', 10, 1000));
		expect(high.message).toBe('Max Results: must be from 10 to 1000, but is 1001');
	});

	it.each([
		[12.5],
		['12.5'],
		[''],
		['ten'],
		['0x10'],
		['1e2'],
		[null],
		[undefined],
		[Number.NaN],
		[true],
	])('refuses %p as not a whole number', (value) => {
		const error = fieldError(() => integerBetween('Max Results', value, 10, 1000));
		expect(error.field).toBe('Max Results');
		expect(error.message).toBe('Max Results: must be a whole number from 10 to 1000');
	});
});

describe('secondsBetween', () => {
	it('accepts fractions, the bounds, and numbers as text', () => {
		expect(secondsBetween('Poll Interval', 2.5, 0.1, 300)).toBe(2.5);
		expect(secondsBetween('Poll Interval', 0.1, 0.1, 300)).toBe(0.1);
		expect(secondsBetween('Poll Interval', 300, 0.1, 300)).toBe(300);
		expect(secondsBetween('Poll Interval', '7.5', 0.1, 300)).toBe(7.5);
	});

	it.each([[0.05], [300.5], [-1], ['soon'], [''], [null], [Number.POSITIVE_INFINITY], [false]])(
		'refuses %p, naming the range',
		(value) => {
			const error = fieldError(() => secondsBetween('Poll Interval', value, 0.1, 300));
			expect(error.field).toBe('Poll Interval');
			expect(error.message).toBe('Poll Interval: must be a number of seconds from 0.1 to 300');
		},
	);
});

describe('oneOf', () => {
	const MODES = ['wait', 'submit'] as const;

	it('returns an allowed value', () => {
		expect(oneOf('Mode', 'submit', MODES)).toBe('submit');
	});

	it.each([['Submit'], ['later'], [''], [1], [undefined]])(
		'refuses %p, listing the allowed values',
		(value) => {
			const error = fieldError(() => oneOf('Mode', value, MODES));
			expect(error.field).toBe('Mode');
			expect(error.message).toBe('Mode: must be one of wait, submit');
		},
	);
});

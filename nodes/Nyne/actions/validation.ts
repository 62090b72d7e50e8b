/**
 * Input rules checked before anything is sent, so a bad item costs no credits and no rate budget.
 * Each failure names the field (by its label in the node) and the rule it broke.
 */

import { FIELD_BOUNDS } from '../../shared/nyneApi';

export class FieldError extends Error {
	readonly field: string;

	constructor(field: string, rule: string) {
		super(`${field}: ${rule}`);
		this.name = 'FieldError';
		this.field = field;
	}
}

/** A parameter as text: trimmed, with `undefined`/`null` as empty. Numbers are accepted as their digits. */
export function text(field: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw new FieldError(
			field,
			`must be text, but got ${Array.isArray(value) ? 'a list' : typeof value}`,
		);
	}
	return value.trim();
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * A valid email address, lower-cased: mail systems treat addresses case-insensitively in practice, so
 * `Ada@Example.com` and `ada@example.com` are one person, one job and one charge.
 */
export function email(field: string, value: string): string {
	if (value && !EMAIL.test(value))
		throw new FieldError(field, `"${clip(value)}" is not a valid email address`);
	return value.toLowerCase();
}

export function httpUrl(field: string, value: string): URL | undefined {
	if (!value) return undefined;
	if (!URL.canParse(value)) {
		throw new FieldError(
			field,
			`"${clip(value)}" is not a valid URL (it must start with http:// or https://)`,
		);
	}
	const url = new URL(value);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new FieldError(field, `must be an http:// or https:// URL, not ${url.protocol}`);
	}
	if (!url.hostname) throw new FieldError(field, 'must name a host');
	return url;
}

/** A scheme such as `https:` or `ftp:`, but not a `host:port` (`localhost:8080/x`). */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

/**
 * A profile URL as people paste it: `https://` is added when no scheme is given (`linkedin.com/in/jane`),
 * then the rules of {@link httpUrl} apply. `text` is what to send: as typed, or with the scheme added.
 */
export function profileUrl(field: string, value: string): { url: URL; text: string } | undefined {
	if (!value) return undefined;
	if (HAS_SCHEME.test(value)) {
		const url = httpUrl(field, value) as URL;
		return { url, text: value };
	}
	const withScheme = `https://${value.replace(/^\/\//, '')}`;
	if (!URL.canParse(withScheme) || !new URL(withScheme).hostname.includes('.')) {
		throw new FieldError(
			field,
			`"${clip(value)}" is not a valid URL, e.g. https://www.linkedin.com/in/janedoe`,
		);
	}
	return { url: new URL(withScheme), text: withScheme };
}

/** Any Unicode space (no-break, thin, ideographic, …) and any dash or minus sign. */
const UNICODE_SPACES = /[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g;
const UNICODE_DASHES = /[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]/g;
const PHONE_EXTENSION = /\s*(?:(?:ext|extn|extension|x)\.?|#|;ext=)\s*\d{1,6}$/i;
const PHONE = /^\+?[0-9 ().\-/]+$/;

/**
 * A phone number as people paste it: `tel:` removed, an extension (`ext. 12`, `x12`, `#12`) dropped, any
 * space and any dash read as a plain space and `-`. Then 7–15 digits, with `+`, spaces, dashes, dots,
 * slashes and brackets allowed.
 */
export function phoneNumber(field: string, value: string): string {
	if (!value) return value;
	const normalised = value
		.replace(/^tel:(\/\/)?/i, '')
		.replace(UNICODE_SPACES, ' ')
		.replace(UNICODE_DASHES, '-')
		.replace(PHONE_EXTENSION, '')
		.trim();
	const digits = normalised.replace(/\D/g, '').length;
	const { min, max } = FIELD_BOUNDS.phoneDigits;
	if (!PHONE.test(normalised) || digits < min || digits > max) {
		throw new FieldError(
			field,
			`must be a phone number of ${min}–${max} digits (+, spaces, dashes, dots, slashes and brackets allowed; an extension is dropped)`,
		);
	}
	return normalised;
}

/** Lengths count Unicode code points (🚀 is one), as Nyne's "characters" are read (see the README). */
export function lengthBetween(field: string, value: string, min: number, max: number): string {
	const length = [...value].length;
	if (length < min || length > max) {
		throw new FieldError(field, `must be ${min}–${max} characters long, but is ${length}`);
	}
	return value;
}

/** A whole number within bounds. Out-of-range values are rejected, not clamped, so nothing changes silently. */
export function integerBetween(field: string, value: unknown, min: number, max: number): number {
	// Digits only: Number() would also read '0x10' or '1e2'.
	const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number)) {
		throw new FieldError(field, `must be a whole number from ${min} to ${max}`);
	}
	if (number < min || number > max) {
		throw new FieldError(field, `must be from ${min} to ${max}, but is ${number}`);
	}
	return number;
}

/** A positive number of seconds (fractions allowed) up to a maximum. */
export function secondsBetween(field: string, value: unknown, min: number, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < min || number > max) {
		throw new FieldError(field, `must be a number of seconds from ${min} to ${max}`);
	}
	return number;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw new FieldError(field, `must be one of ${allowed.join(', ')}`);
}

function clip(value: string): string {
	return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/**
 * Input rules checked before anything is sent, so a bad item costs no credits and no rate budget.
 * Each failure names the field (by its label in the node) and the rule it broke.
 */

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
		throw new FieldError(field, `must be text, but got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	return value.trim();
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function email(field: string, value: string): string {
	if (value && !EMAIL.test(value)) throw new FieldError(field, `"${clip(value)}" is not a valid email address`);
	return value;
}

export function httpUrl(field: string, value: string): URL | undefined {
	if (!value) return undefined;
	if (!URL.canParse(value)) {
		throw new FieldError(field, `"${clip(value)}" is not a valid URL (it must start with http:// or https://)`);
	}
	const url = new URL(value);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new FieldError(field, `must be an http:// or https:// URL, not ${url.protocol}`);
	}
	if (!url.hostname) throw new FieldError(field, 'must name a host');
	return url;
}

export function lengthBetween(field: string, value: string, min: number, max: number): string {
	const length = [...value].length;
	if (length < min || length > max) {
		throw new FieldError(field, `must be ${min}–${max} characters long, but is ${length}`);
	}
	return value;
}

/** A whole number within bounds. Out-of-range values are rejected, not clamped, so nothing changes silently. */
export function integerBetween(field: string, value: unknown, min: number, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
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
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new FieldError(field, `must be one of ${allowed.join(', ')}`);
}

function clip(value: string): string {
	return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

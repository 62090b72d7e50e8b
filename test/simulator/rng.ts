/**
 * Deterministic hashing / pseudo-random helpers. Everything the simulator "invents" (results, latencies,
 * request ids, fault dice) flows from these, so two runs with the same seed and inputs behave the same.
 */
import { createHash } from 'node:crypto';

export function sha256Hex(input: string): string {
	return createHash('sha256').update(input).digest('hex');
}

/** 32-bit seed from an arbitrary string. */
export function seed32(input: string): number {
	return parseInt(sha256Hex(input).slice(0, 8), 16) >>> 0;
}

/** Small, fast, seedable PRNG (mulberry32). */
export class Rng {
	private state: number;

	constructor(seed: number | string) {
		this.state = (typeof seed === 'number' ? seed : seed32(seed)) >>> 0;
	}

	/** Float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max] (inclusive). */
	int(min: number, max: number): number {
		if (max <= min) return min;
		return min + Math.floor(this.next() * (max - min + 1));
	}

	bool(probability = 0.5): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** `count` distinct items (or all of them if fewer), order randomised. */
	sample<T>(items: readonly T[], count: number): T[] {
		const copy = items.slice();
		for (let i = copy.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy.slice(0, Math.max(0, Math.min(count, copy.length)));
	}

	hex(length: number): string {
		let out = '';
		while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
		return out;
	}
}

/** JSON with object keys sorted recursively: a stable fingerprint of a request body. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

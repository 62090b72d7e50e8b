/**
 * README.md's tables of the Nyne node's Options and of the Nyne Trigger's parameters against the nodes'
 * descriptions: every default (and every min/max the tables state) is the one the node has, and every
 * option or parameter has a row (and every row names one).
 *
 * How the tables are read (leniently, as people write tables):
 * - The Options table is the first table under the `### Options` heading of the `## The Nyne node`
 *   section; the Trigger's is the first table of the `## Nyne Trigger` section before any sub-heading.
 * - Rows are matched to properties by display name, ignoring case, emphasis and backticks.
 * - Defaults: for a boolean `on`/`yes`/`true`/`enabled` or `off`/`no`/`false`/`disabled`; for a number the
 *   first number in the cell, optionally followed by a unit (`s`, `sec`, `seconds`, `min`, `minutes`, `h`,
 *   `hours`), converted to seconds for a "(Seconds)" option (`900`, `900 s` and `15 min` are all 900); for
 *   text `—`, `-`, `none` or an empty cell mean '', otherwise the cell's text without backticks; for a
 *   multi-select `—`/`none` is nothing selected, `all` is nothing selected too when the description says
 *   that empty means all, otherwise a comma-separated list of option names.
 * - Bounds: a `min` and a `max` column, or a `range`/`bounds`/`allowed` column, or a range in brackets in
 *   the default cell (`3 (0.1–300)`); a range is `a–b`, `a-b`, `a—b` or `a to b`, each number read as a
 *   default is. The meaning column is never read for bounds: "up to 30 s" there is the poll backoff, not
 *   the option's maximum. A table that states no bounds checks defaults only.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Nyne } from '../../../nodes/Nyne/Nyne.node';
import { NyneTrigger } from '../../../nodes/NyneTrigger/NyneTrigger.node';

const README = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

interface Table {
	header: string[];
	rows: string[][];
}

/** Emphasis, backticks and surrounding blanks removed. */
const plain = (cell: string) =>
	cell.replace(/\\\|/g, '|').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();

const key = (name: string) => plain(name).toLowerCase();

function cellsOf(line: string): string[] {
	return line
		.trim()
		.replace(/^\|/, '')
		.replace(/(?<!\\)\|$/, '')
		.split(/(?<!\\)\|/)
		.map((cell) => cell.trim());
}

/** Lines of the section under the first heading matching `heading`, up to the next heading of its level or higher. */
function section(markdown: string, heading: RegExp): string[] {
	const lines = markdown.split(/\r?\n/);
	const start = lines.findIndex((line) => /^#{1,6}\s/.test(line) && heading.test(line));
	if (start < 0) throw new Error(`README has no heading matching ${heading}`);
	const level = /^#+/.exec(lines[start])![0].length;
	const end = lines.findIndex(
		(line, index) => index > start && new RegExp(`^#{1,${level}}\\s`).test(line),
	);
	return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The first table in `lines` before any sub-heading. */
function firstTable(lines: string[], where: string): Table {
	const headingAt = lines.findIndex((line) => /^#{1,6}\s/.test(line));
	const scope = headingAt < 0 ? lines : lines.slice(0, headingAt);
	const start = scope.findIndex((line) => line.trim().startsWith('|'));
	if (start < 0 || !/^\s*\|?\s*:?-{3,}/.test(scope[start + 1] ?? ''))
		throw new Error(`no table found ${where}`);
	const rows: string[][] = [];
	for (const line of scope.slice(start + 2)) {
		if (!line.trim().startsWith('|')) break;
		rows.push(cellsOf(line));
	}
	return { header: cellsOf(scope[start]).map(key), rows };
}

const UNIT_SECONDS: Record<string, number> = {
	s: 1,
	sec: 1,
	secs: 1,
	second: 1,
	seconds: 1,
	min: 60,
	mins: 60,
	minute: 60,
	minutes: 60,
	h: 3600,
	hour: 3600,
	hours: 3600,
};

const NUMBER = String.raw`(-?\d+(?:[.,]\d+)?)\s*([a-z]+)?`;

/** A number as the table writes it, in the option's own unit (seconds for a "(Seconds)" option). */
function numberIn(text: string, property: INodeProperties): number | undefined {
	const match = new RegExp(`^${NUMBER}`, 'i').exec(text.trim());
	if (!match) return undefined;
	const value = Number(match[1].replace(',', '.'));
	const unit = match[2]?.toLowerCase();
	if (!unit || !(unit in UNIT_SECONDS)) return value;
	if (!/\(seconds\)/i.test(property.displayName))
		throw new Error(`${property.displayName}: a unit (${unit}) for an option not in seconds`);
	return value * UNIT_SECONDS[unit];
}

const EMPTY = new Set(['', '—', '–', '-', 'none', 'empty']);

function parseDefault(cell: string, property: INodeProperties): unknown {
	const text = plain(cell);
	const lower = text.toLowerCase();
	switch (property.type) {
		case 'boolean':
			if (['on', 'yes', 'true', 'enabled'].includes(lower)) return true;
			if (['off', 'no', 'false', 'disabled'].includes(lower)) return false;
			throw new Error(`${property.displayName}: default "${text}" is not a boolean`);
		case 'number': {
			const value = numberIn(text, property);
			if (value === undefined)
				throw new Error(`${property.displayName}: default "${text}" is not a number`);
			return value;
		}
		case 'multiOptions': {
			if (EMPTY.has(lower)) return [];
			if (lower === 'all' && /empty\b.*\ball\b/i.test(property.description ?? '')) return [];
			const options = (property.options ?? []) as INodePropertyOptions[];
			return text.split(/\s*(?:,|\band\b)\s*/).map((name) => {
				const option = options.find((candidate) => key(candidate.name) === key(name));
				if (!option) throw new Error(`${property.displayName}: no option "${name}"`);
				return option.value;
			});
		}
		default:
			return EMPTY.has(lower) ? '' : text;
	}
}

/** Min and max as the row states them (see the header comment), when it does. */
function boundsOf(
	table: Table,
	row: string[],
	property: INodeProperties,
): { min?: number; max?: number } {
	const column = (names: RegExp) => {
		const index = table.header.findIndex((name) => names.test(name));
		return index < 0 ? undefined : plain(row[index] ?? '');
	};
	const bounds: { min?: number; max?: number } = {};
	const min = column(/^min(imum)?$/);
	const max = column(/^max(imum)?$/);
	if (min !== undefined && !EMPTY.has(min)) bounds.min = numberIn(min, property);
	if (max !== undefined && !EMPTY.has(max)) bounds.max = numberIn(max, property);
	const range =
		column(/^(range|bounds|allowed|min.?max)$/) ??
		/\(([^)]*)\)/.exec(plain(row[table.header.indexOf('default')] ?? ''))?.[1];
	const match =
		range && new RegExp(`^${NUMBER}\\s*(?:[–—-]|\\bto\\b)\\s*${NUMBER}$`, 'i').exec(range.trim());
	if (match) {
		const [, from, fromUnit, to, toUnit] = match;
		bounds.min = numberIn(`${from}${fromUnit ?? toUnit ?? ''}`, property);
		bounds.max = numberIn(`${to}${toUnit ?? ''}`, property);
	}
	return bounds;
}

interface Checked {
	table: Table;
	properties: INodeProperties[];
}

function readTable(
	table: Table,
	properties: INodeProperties[],
	nameColumn: RegExp,
): Array<{ property: INodeProperties; row: string[] }> {
	const nameAt = table.header.findIndex((name) => nameColumn.test(name));
	expect(nameAt).toBeGreaterThanOrEqual(0);
	expect(table.header).toContain('default');
	return table.rows.map((row) => {
		const property = properties.find(
			(candidate) => key(candidate.displayName) === key(row[nameAt]),
		);
		if (!property) throw new Error(`README row "${row[nameAt]}" names no property of the node`);
		return { property, row };
	});
}

function describeTable(title: string, load: () => Checked, nameColumn: RegExp) {
	describe(title, () => {
		const { table, properties } = load();
		const rows = () => readTable(table, properties, nameColumn);

		it('has one row per property, and every row names one', () => {
			const named = rows().map(({ property }) => property.name);
			expect([...named].sort()).toEqual(properties.map((property) => property.name).sort());
		});

		it.each(properties.map((property) => [property.displayName, property] as const))(
			'%s: the default (and any min/max) in README are the node’s',
			(_name, property) => {
				const found = rows().find((entry) => entry.property === property);
				expect(found).toBeDefined();
				const { row } = found!;
				const defaultAt = table.header.indexOf('default');
				expect(parseDefault(row[defaultAt], property)).toEqual(property.default);
				const bounds = boundsOf(table, row, property);
				if (bounds.min !== undefined) expect(bounds.min).toBe(property.typeOptions?.minValue);
				if (bounds.max !== undefined) expect(bounds.max).toBe(property.typeOptions?.maxValue);
			},
		);
	});
}

describeTable(
	"README's Options table (Nyne node)",
	() => {
		const collections = new Nyne().description.properties.filter(
			(property) => property.name === 'options' && property.type === 'collection',
		);
		if (collections.length !== 1)
			throw new Error(`expected one Options collection, found ${collections.length}`);
		return {
			table: firstTable(
				section(section(README, /^##\s+The Nyne node\b/i).join('\n'), /^###\s+Options\b/i),
				'under "### Options"',
			),
			properties: collections[0].options as INodeProperties[],
		};
	},
	/^option$/,
);

describeTable(
	"README's Nyne Trigger parameter table",
	() => ({
		table: firstTable(section(README, /^##\s+Nyne Trigger\b/i), 'in "## Nyne Trigger"'),
		// Notices are text in the panel, not parameters.
		properties: new NyneTrigger().description.properties.filter(
			(property) => property.type !== 'notice',
		),
	}),
	/^parameter$/,
);

describe('the lenient table reader', () => {
	const seconds = {
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		default: 900,
	} as INodeProperties;

	it('reads a table, its escaped pipes, defaults with units and stated bounds', () => {
		const markdown = [
			'## Node',
			'### Options',
			'',
			'| **Option** | Default | Range | meaning |',
			'|---|:--:|---|---|',
			'| `Timeout (Seconds)` | 15 min | 1 – 86400 s | a \\| b |',
			'| Poll | 3 (0.1–300) | | |',
			'',
			'| other | table |',
			'### Next',
		].join('\n');
		const table = firstTable(section(section(markdown, /^## Node/).join('\n'), /^### Options/), '');
		expect(table.header).toEqual(['option', 'default', 'range', 'meaning']);
		expect(table.rows).toHaveLength(2);
		expect(plain(table.rows[0][3])).toBe('a | b');
		expect(parseDefault(table.rows[0][1], seconds)).toBe(900);
		expect(boundsOf(table, table.rows[0], seconds)).toEqual({ min: 1, max: 86400 });
		const noRange = { ...table, header: ['option', 'default', 'x', 'meaning'] };
		expect(boundsOf(noRange, table.rows[1], seconds)).toEqual({ min: 0.1, max: 300 });
		expect(parseDefault('900 s', seconds)).toBe(900);
		expect(parseDefault('off', { ...seconds, type: 'boolean' })).toBe(false);
		expect(parseDefault('—', { ...seconds, type: 'string' })).toBe('');
		expect(() => parseDefault('maybe', { ...seconds, type: 'boolean' })).toThrow('not a boolean');
		expect(() => firstTable(['no table here'], 'in the test')).toThrow('no table found');
	});
});

'use strict';
/** bench/results.md and bench/results.svg from a run's data. */

const TARGETS = {
	A: { ratio: 1.15, requestsPerJob: 2.3, status429: 0, failed: 0 },
	C: { requestsPerJob: 1.05 },
};

const s = (ms) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '—');
const x = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** "ok" / "MISS" for the variant's targets, or '' when it has none. */
function targetCheck(r) {
	const t = TARGETS[r.variant];
	if (!t) return '';
	const misses = [];
	if (t.ratio !== undefined && !(r.ratio <= t.ratio)) misses.push(`wall/bound > ${t.ratio}`);
	if (t.requestsPerJob !== undefined && !(r.requestsPerJob <= t.requestsPerJob))
		misses.push(`req/job > ${t.requestsPerJob}`);
	if (t.status429 !== undefined && r.status429 > t.status429) misses.push('429s');
	if (t.failed !== undefined && r.failed > t.failed) misses.push('failures');
	return misses.length ? `MISS: ${misses.join(', ')}` : 'ok';
}

function table(data) {
	const lines = [
		'| scenario | variant | N | wall (s) | bound (s) | wall / bound | ideal (s) | wall / ideal | requests / job (submits+polls) | 429s | failed items | credits | duplicate submits | targets |',
		'|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
	];
	for (const r of data.results.filter((result) => !result.overBudget)) {
		lines.push(
			`| ${r.scenarioTitle} | ${r.label ?? r.variant}: ${r.variantName} | ${r.n} | ${s(r.wallMs)} | ${s(r.boundMs)} | ${x(r.ratio)} | ${s(r.idealMs)} | ${x(r.idealRatio)} | ${x(r.requestsPerJob)} (${r.submits}+${r.polls}) | ${r.status429} | ${r.failed} | ${r.credits} | ${r.duplicates} | ${targetCheck(r)}${r.error ? ` — run error: ${r.error.replace(/\|/g, '/').slice(0, 160)}` : ''} |`,
		);
	}
	return lines.join('\n');
}

/** The over-budget workload: what was collected of what any client could, and what was lost. */
function overBudgetTable(data) {
	const rows = data.results.filter((result) => result.overBudget);
	if (rows.length === 0) return '';
	const lines = [
		'| scenario | run | N | Timeout (s) | wall (s) | results | most any client could collect | results / most | accepted, not collected | not sent (error items) | requests / result | 429s | duplicate submits |',
		'|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
	];
	for (const r of rows) {
		lines.push(
			`| ${r.scenarioTitle} | ${r.label ?? r.variant} | ${r.n} | ${s(r.timeoutMs)} | ${s(r.wallMs)} | ${r.results} | ${r.maxCollectable} | ${x(r.collectedRatio)} | ${r.acceptedUncollected} | ${r.notSent} | ${x(r.requests / Math.max(1, r.results))} | ${r.status429} | ${r.duplicates} |${r.error ? ` run error: ${r.error.replace(/\|/g, '/').slice(0, 160)}` : ''}`,
		);
	}
	return lines.join('\n');
}

function windowTable(variantRaw) {
	const lines = [
		'| window | opens (s) | submits | polls, job still running | polls, job finished | 429s |',
		'|--:|--:|--:|--:|--:|--:|',
	];
	for (const w of variantRaw.windows) {
		lines.push(
			`| ${w.index + 1} | ${s(w.start)} | ${w.submits} | ${w.pollsRunning} | ${w.pollsFinished} | ${w.status429} |`,
		);
	}
	return lines.join('\n');
}

function pollingSummary(variantRaw, scenario) {
	const p = variantRaw.polling;
	if (!p) return '';
	// Submits need ⌈N / limit⌉ windows; any submit later than that started its job a window late.
	const submitWindows = Math.ceil(scenario.n / scenario.perWindow);
	const lateSubmits = variantRaw.windows
		.slice(submitWindows)
		.reduce((sum, w) => sum + w.submits, 0);
	const hist = Object.entries(p.pollsPerJob)
		.map(([polls, jobs]) => `${jobs} job(s) × ${polls} poll(s)`)
		.join(', ');
	const lag = p.pickupLagMs;
	return [
		`- submits accepted after the first ${submitWindows} window(s), which would hold them all: ${lateSubmits}`,
		`- polls per job: ${hist}`,
		`- polls sent before the job had finished: ${p.pollsBeforeDue} (in ${p.jobsWithEarlyPolls} jobs)`,
		`- pick-up lag (finishing poll − job finished): median ${s(lag.median)} s, p90 ${s(lag.p90)} s, max ${s(lag.max)} s`,
		`- last submit accepted at ${s(p.lastSubmitAt)} s, last job finished at ${s(p.lastDueAt)} s, last result picked up at ${s(p.lastPickupAt)} s (from execution start)`,
	].join('\n');
}

function callbackSummary(variantRaw) {
	const timeline = variantRaw.outcome.callbackTimeline ?? [];
	const diffs = (from, to) =>
		timeline
			.filter((t) => t[from] !== undefined && t[to] !== undefined)
			.map((t) => t[to] - t[from]);
	const fmt = (values) => {
		if (values.length === 0) return '—';
		const sorted = [...values].sort((a, b) => a - b);
		return `median ${s(sorted[Math.floor(sorted.length / 2)])} s, max ${s(sorted[sorted.length - 1])} s`;
	};
	const t = variantRaw.times;
	return [
		`- submits: first at ${s(t.firstRequest)} s, last at ${s(t.lastRequest)} s; the submitting execution ended at ${s(t.submitNodeEnd)} s`,
		`- job finished → Nyne's callback answered by n8n: ${fmt(diffs('finished', 'callbackAnswered'))}`,
		`- job finished → its trigger execution stopped: ${fmt(diffs('finished', 'executionStopped'))}`,
		`- last job finished at ${s(Math.max(...timeline.map((x) => x.finished ?? 0)))} s, last callback answered at ${s(t.lastCallbackOk)} s, last trigger execution stopped at ${s(t.end)} s`,
		`- ${variantRaw.outcome.executions} trigger executions (${variantRaw.outcome.expectedExecutions} expected: jobs with zero leads start none), ${variantRaw.outcome.callbackAttempts} callback attempts, ${variantRaw.outcome.callbacksFailed} failed`,
	].join('\n');
}

function markdown(data, { svgName, rawFile }) {
	const m = data.machine;
	const out = [];
	out.push(
		'# Benchmark: Nyne node vs. a hand-built HTTP Request loop vs. Submit Only + Nyne Trigger',
	);
	out.push('');
	out.push(
		`Generated by \`npm run bench\`${data.options.quick ? ' --quick' : ''} on ${m.date.slice(0, 10)} — ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, ${m.os}; ` +
			`bench on Node ${m.benchNode}; n8n ${m.n8nVersion} on Node ${m.n8nNode}; commit ${m.commit}${m.nodesDirty ? ' (with uncommitted changes under nodes/ or credentials/)' : ''}.`,
	);
	out.push('');
	out.push(
		'Real n8n (`n8n execute` for A and B, `n8n start` for the trigger of C) against the Nyne simulator: job latency 2–8 s (picked per input, the same for every variant), ' +
			'60 requests per window, every run on its own API key so rate windows never mix. Runs go one after the other; A runs several times (A#1, A#2, …) because the order in which its submits and polls take the slots of a new window varies from run to run.',
	);
	out.push('');
	out.push(table(data));
	out.push('');
	out.push(
		"- **wall**: from the execution start (n8n's `startedAt`) until all results were in — A: the Nyne node finished; B: the last run of the `Done` node; C: the last Nyne Trigger execution stopped.",
	);
	out.push(
		'- **bound**: (⌈unavoidable requests / 60⌉ − 1) × window + the longest job latency; unavoidable requests are N submits + N polls (A, B) or N submits (C).',
	);
	out.push(
		'- **ideal**: the fastest any client could be with the same job latencies and windows, counted from the first request: submits as early as the windows allow (longest job first), then one poll per job exactly when it has finished, in the earliest window with room (C: the job finishing is the end). It is tighter than the bound, which adds the longest latency to the windows instead of overlapping them.',
	);
	out.push(
		"- **requests / job**: every API request the simulator received for the variant's key (submits + polls, 429s included) / N.",
	);
	out.push(
		'- **failed items**: inputs whose result never reached the workflow (a Search Leads job with zero leads outputs nothing by design and is not counted in A and C).',
	);
	out.push(
		'- **credits**: what the simulator charged the key (leads 1, interests 5 per non-empty result).',
	);
	out.push(
		`- Targets: A wall/bound ≤ ${TARGETS.A.ratio}, ≤ ${TARGETS.A.requestsPerJob} requests/job, no 429, no failure; C ≤ ${TARGETS.C.requestsPerJob} requests/job.`,
	);
	out.push('');
	const overBudget = overBudgetTable(data);
	if (overBudget) {
		out.push('## Over budget: more items than the rate limit can collect before the Timeout');
		out.push('');
		out.push(overBudget);
		out.push('');
		out.push(
			'- **most any client could collect**: one result needs at least a submit and a poll, so at most ⌊(windows opening before the Timeout × 60) / 2⌋ results (and not more than N). No client reaches it: jobs take 2–8 s, and the last windows can only collect, not start, jobs.',
		);
		out.push(
			'- **accepted, not collected**: jobs Nyne accepted (and may charge for) whose result did not reach the output. Goal 0.',
		);
		out.push(
			'- **not sent**: items the node did not submit because the budget could not also collect them in time; each is an error item saying nothing was sent or charged.',
		);
		for (const r of data.results.filter((result) => result.overBudget && result.errorMessages)) {
			const messages = Object.entries(r.errorMessages)
				.map(([message, count]) => `${count} × “${message}…”`)
				.join('; ');
			out.push(`- ${r.label ?? r.variant} error items: ${messages}`);
		}
		out.push('');
	}
	out.push(`![wall / bound and requests per job](${svgName})`);
	out.push('');
	out.push('## How each variant is built');
	out.push('');
	out.push(
		'- **A** Manual Trigger → inputs → **Nyne** (Mode *Wait for Result*, every option at its default: poll interval 3 s, ×1.5 back-off, timeout 900 s), one execution with N items.',
	);
	out.push(
		'- **B** Manual Trigger → inputs → **HTTP Request** POST (Custom Auth credential sending `X-API-Key` and `X-API-Secret`; Batching 1 item per window/60 ms, i.e. 1 request/s at the real limit; Retry On Fail 5 tries, 5 s apart) → **Wait** 5 s → **HTTP Request** GET `?request_id=` (same auth, batching and retries) → **IF** `data.status` = completed → *true*: Done, *false*: back to Wait.',
	);
	out.push(
		"- **C** Manual Trigger → inputs → **Nyne** (Mode *Submit Only*, Callback URL = the published Nyne Trigger's production URL + `?token=`); the trigger workflow runs on `n8n start`.",
	);
	out.push('');
	out.push('## Request timelines');
	out.push('');
	for (const scenario of data.scenarios) {
		for (const [label, raw] of Object.entries(scenario.variants)) {
			out.push(`### ${scenario.title}, N=${scenario.n} — ${label}`);
			out.push('');
			if (raw.summary.variant === 'C') {
				out.push(callbackSummary(raw));
				out.push('');
				continue;
			}
			out.push(pollingSummary(raw, scenario));
			out.push('');
			out.push(windowTable(raw));
			out.push('');
		}
	}
	out.push(`Raw data (every request, every job): \`${rawFile}\` (git-ignored).`);
	out.push('');
	return out.join('\n');
}

const COLORS = { A: '#2f6fde', B: '#d9822b', C: '#2e9e5b' };

function esc(text) {
	return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Two grouped bar charts: wall / bound and requests per job, per scenario and variant, with the targets. */
function svg(data) {
	const overBudgetIds = new Set(data.results.filter((r) => r.overBudget).map((r) => r.scenario));
	const scenarios = data.scenarios
		.filter((sc) => !overBudgetIds.has(sc.id))
		.map((sc) => ({ id: sc.id, title: `${sc.title}, N=${sc.n}` }));
	const variants = ['A', 'B', 'C'];
	// Repeated runs (A#1, A#2, …): the bar is the median, the whisker spans min–max.
	const byKey = new Map();
	for (const r of data.results) {
		const k = `${r.scenario}:${r.variant}`;
		if (!byKey.has(k)) byKey.set(k, []);
		byKey.get(k).push(r);
	}
	const panels = [
		{
			title: 'wall time / bound (lower is better)',
			value: (r) => r.ratio,
			targets: [
				{ v: 1.15, label: 'A target 1.15' },
				{ v: 1, label: 'bound' },
			],
		},
		{
			title: 'API requests per job',
			value: (r) => r.requestsPerJob,
			targets: [
				{ v: 2.3, label: 'A target 2.3' },
				{ v: 1.05, label: 'C target 1.05' },
			],
		},
	];
	const width = 900;
	const panelHeight = 260;
	const left = 60;
	const top = 50;
	const height = top + panels.length * (panelHeight + 70) + 30;
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="#fff"/>`,
		`<text x="${left}" y="22" font-size="15" font-weight="bold">Nyne node benchmark — ${esc(data.machine.date.slice(0, 10))}, n8n ${esc(data.machine.n8nVersion)}, ${data.machine.cores} cores</text>`,
	];
	variants.forEach((v, i) => {
		const names = {
			A: 'A Nyne node (wait)',
			B: 'B HTTP Request loop',
			C: 'C Submit Only + Trigger',
		};
		parts.push(
			`<rect x="${left + i * 200}" y="30" width="12" height="12" fill="${COLORS[v]}"/><text x="${left + i * 200 + 17}" y="40">${esc(names[v])}</text>`,
		);
	});
	panels.forEach((panel, p) => {
		const y0 = top + p * (panelHeight + 70) + 20;
		const values = data.results
			.filter((r) => !r.overBudget)
			.map(panel.value)
			.filter(Number.isFinite);
		const max = Math.max(...values, ...panel.targets.map((t) => t.v)) * 1.15 || 1;
		const plotW = width - left - 20;
		const scaleY = (v) => y0 + panelHeight - (v / max) * panelHeight;
		parts.push(`<text x="${left}" y="${y0 - 6}" font-weight="bold">${esc(panel.title)}</text>`);
		parts.push(
			`<line x1="${left}" y1="${y0 + panelHeight}" x2="${left + plotW}" y2="${y0 + panelHeight}" stroke="#333"/>`,
		);
		const groupW = plotW / scenarios.length;
		const barW = Math.min(60, (groupW - 40) / variants.length);
		scenarios.forEach((sc, g) => {
			const gx = left + g * groupW + (groupW - barW * variants.length) / 2;
			variants.forEach((v, i) => {
				const vals = (byKey.get(`${sc.id}:${v}`) ?? [])
					.map(panel.value)
					.filter(Number.isFinite)
					.sort((a, b) => a - b);
				if (vals.length === 0) return;
				const val = vals[Math.floor((vals.length - 1) / 2)];
				const y = scaleY(val);
				const cx = gx + i * barW + barW / 2;
				parts.push(
					`<rect x="${gx + i * barW + 2}" y="${y}" width="${barW - 4}" height="${y0 + panelHeight - y}" fill="${COLORS[v]}"/>`,
				);
				if (vals.length > 1) {
					const [lo, hi] = [scaleY(vals[0]), scaleY(vals[vals.length - 1])];
					parts.push(
						`<line x1="${cx}" y1="${lo}" x2="${cx}" y2="${hi}" stroke="#222"/><line x1="${cx - 6}" y1="${hi}" x2="${cx + 6}" y2="${hi}" stroke="#222"/><line x1="${cx - 6}" y1="${lo}" x2="${cx + 6}" y2="${lo}" stroke="#222"/>`,
					);
				}
				const top = vals.length > 1 ? scaleY(vals[vals.length - 1]) : y;
				parts.push(
					`<text x="${cx + (vals.length > 1 ? 9 : 0)}" y="${top - 4}" text-anchor="${vals.length > 1 ? 'start' : 'middle'}">${val.toFixed(2)}${vals.length > 1 ? ` (${vals.length} runs)` : ''}</text>`,
				);
			});
			parts.push(
				`<text x="${left + g * groupW + groupW / 2}" y="${y0 + panelHeight + 16}" text-anchor="middle">${esc(sc.title)}</text>`,
			);
		});
		for (const t of panel.targets) {
			const y = scaleY(t.v);
			parts.push(
				`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#c00" stroke-dasharray="5,4"/>`,
			);
			parts.push(
				`<text x="${left - 4}" y="${y + 4}" text-anchor="end" fill="#c00" font-size="10">${esc(t.v)}</text>`,
			);
			parts.push(
				`<text x="${left + plotW}" y="${y - 3}" text-anchor="end" fill="#c00" font-size="10">${esc(t.label)}</text>`,
			);
		}
	});
	parts.push('</svg>');
	return parts.join('\n');
}

module.exports = { table, overBudgetTable, markdown, svg, targetCheck };

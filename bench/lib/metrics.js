'use strict';
/**
 * Everything measured from the simulator's side: its request log (what reached "Nyne", when, with what
 * answer), its jobs (when each was created and finished) and its charges. Only entries of the variant's
 * own API key are looked at, so variants never mix.
 */

const API_OPS = new Set(['submit', 'poll']);

/** The key's API requests (submits and polls, whatever the answer), oldest first. */
function keyLog(sim, key) {
	return sim
		.getLog()
		.filter((entry) => entry.key === key && API_OPS.has(entry.op))
		.sort((a, b) => a.time - b.time || a.seq - b.seq);
}

/**
 * Replays the simulator's fixed windows: a window opens at the first counted request that finds no
 * open window and lasts `windowMs`. 429s are not counted by the simulator but are listed in the window
 * they fell into.
 */
function windowsOf(entries, windowMs) {
	const windows = [];
	let current;
	for (const entry of entries) {
		if (!current || entry.time >= current.start + windowMs) {
			current = {
				index: windows.length,
				start: entry.time,
				end: entry.time + windowMs,
				entries: [],
			};
			windows.push(current);
		}
		current.entries.push(entry);
	}
	return windows.map((w) => {
		const counted = w.entries.filter((e) => e.status !== 429);
		return {
			index: w.index,
			start: w.start,
			end: w.end,
			requests: counted.length,
			submits: counted.filter((e) => e.op === 'submit').length,
			pollsRunning: counted.filter(
				(e) =>
					e.op === 'poll' && e.jobStatus && e.jobStatus !== 'completed' && e.jobStatus !== 'failed',
			).length,
			pollsFinished: counted.filter(
				(e) => e.op === 'poll' && (e.jobStatus === 'completed' || e.jobStatus === 'failed'),
			).length,
			status429: w.entries.length - counted.length,
			lastRequestAt: w.entries[w.entries.length - 1].time,
		};
	});
}

function stats(values) {
	if (values.length === 0) return { n: 0 };
	const sorted = [...values].sort((a, b) => a - b);
	const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return {
		n: sorted.length,
		min: sorted[0],
		median: pick(0.5),
		p90: pick(0.9),
		max: sorted[sorted.length - 1],
		mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
	};
}

function histogram(values) {
	const counts = {};
	for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
	return counts;
}

/** Per job: submit, due and finish times, every poll, and how long after finishing the result was picked up. */
function jobTimelines(sim, key, entries) {
	const jobs = sim.listJobs().filter((job) => job.key === key);
	const pollsById = new Map();
	for (const entry of entries) {
		if (entry.op !== 'poll' || !entry.requestId) continue;
		if (!pollsById.has(entry.requestId)) pollsById.set(entry.requestId, []);
		pollsById.get(entry.requestId).push(entry);
	}
	return jobs.map((job) => {
		const polls = pollsById.get(job.requestId) ?? [];
		const answered = polls.filter((p) => p.status === 200);
		const finishedPoll = answered.find(
			(p) => p.jobStatus === 'completed' || p.jobStatus === 'failed',
		);
		const dueAt = Number.isFinite(job.dueAt) ? job.dueAt : undefined;
		return {
			requestId: job.requestId,
			body: job.body,
			submittedAt: job.createdAt,
			latencyMs: dueAt === undefined ? undefined : dueAt - job.createdAt,
			dueAt,
			finishedAt: job.finishedAt,
			status: job.status,
			resultCount: job.resultCount,
			credits: job.creditsCharged,
			polls: polls.map((p) => ({ t: p.time, status: p.status, jobStatus: p.jobStatus })),
			pollCount: polls.length,
			pollsBeforeDue:
				dueAt === undefined ? polls.length : polls.filter((p) => p.time < dueAt).length,
			pickedUpAt: finishedPoll?.time,
			pickupLagMs: finishedPoll && dueAt !== undefined ? finishedPoll.time - dueAt : undefined,
		};
	});
}

/**
 * The reference time: the rate-limit windows the unavoidable requests need, plus the longest job.
 * `requests` unavoidable requests at `perWindow` per window need ceil(requests / perWindow) windows; the
 * last of them opens (windows − 1) × window after the first request, and the slowest job still needs its
 * latency. (A stricter schedule could overlap the latency with the windows; this is the brief's formula.)
 */
function lowerBound({ unavoidableRequests, perWindow, windowMs, maxLatencyMs }) {
	const windows = Math.ceil(unavoidableRequests / perWindow);
	return {
		windows,
		windowTimeMs: (windows - 1) * windowMs,
		maxLatencyMs,
		boundMs: (windows - 1) * windowMs + maxLatencyMs,
	};
}

/**
 * The fastest any client could be with these job latencies and windows (t = 0 at the first request):
 * submits go out as early as the windows allow, longest job first; with `polls`, each job is then polled
 * exactly once, at the earliest moment it is finished and its window has room (earliest-finished first).
 * Without polls (callbacks) a job is done when it finishes.
 */
function idealSchedule({ latencies, perWindow, windowMs, polls }) {
	const sorted = [...latencies].sort((a, b) => b - a);
	const used = [];
	const take = (fromWindow) => {
		let k = fromWindow;
		while ((used[k] ?? 0) >= perWindow) k++;
		used[k] = (used[k] ?? 0) + 1;
		return k;
	};
	const ready = sorted.map((latency) => take(0) * windowMs + latency).sort((a, b) => a - b);
	if (!polls) return Math.max(0, ...ready);
	let end = 0;
	for (const at of ready) {
		const k = take(Math.floor(at / windowMs));
		end = Math.max(end, Math.max(at, k * windowMs));
	}
	return end;
}

/** Counters, credits and timelines of one variant's key. */
function simulatorMetrics(sim, key, windowMs) {
	const entries = keyLog(sim, key);
	const charges = sim.getCharges(key);
	const timelines = jobTimelines(sim, key, entries);
	const byStatus = {};
	for (const e of entries) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	return {
		entries,
		requests: entries.length,
		submits: entries.filter((e) => e.op === 'submit').length,
		accepted: entries.filter((e) => e.op === 'submit' && e.status === 202).length,
		polls: entries.filter((e) => e.op === 'poll').length,
		status429: entries.filter((e) => e.status === 429).length,
		duplicates: entries.filter((e) => e.duplicate).length,
		byStatus,
		credits: charges.reduce((sum, c) => sum + c.credits, 0),
		charges: charges.length,
		firstRequestAt: entries[0]?.time,
		lastRequestAt: entries[entries.length - 1]?.time,
		windows: windowsOf(entries, windowMs),
		timelines,
		maxLatencyMs: Math.max(0, ...timelines.map((t) => t.latencyMs ?? 0)),
	};
}

/** How the polls of a waiting variant went, summarised. */
function pollAnalysis(timelines, t0) {
	const rel = (t) => (t === undefined ? undefined : Math.round(t - t0));
	return {
		pollsPerJob: histogram(timelines.map((t) => t.pollCount)),
		pollsBeforeDue: timelines.reduce((s, t) => s + t.pollsBeforeDue, 0),
		jobsWithEarlyPolls: timelines.filter((t) => t.pollsBeforeDue > 0).length,
		pickupLagMs: stats(
			timelines.filter((t) => t.pickupLagMs !== undefined).map((t) => t.pickupLagMs),
		),
		latencyMs: stats(timelines.filter((t) => t.latencyMs !== undefined).map((t) => t.latencyMs)),
		lastSubmitAt: rel(Math.max(...timelines.map((t) => t.submittedAt))),
		lastDueAt: rel(Math.max(...timelines.map((t) => t.dueAt ?? 0))),
		lastPickupAt: rel(Math.max(...timelines.map((t) => t.pickedUpAt ?? 0))),
	};
}

module.exports = {
	keyLog,
	windowsOf,
	jobTimelines,
	lowerBound,
	idealSchedule,
	simulatorMetrics,
	pollAnalysis,
	stats,
	histogram,
};

/**
 * Per-key fixed-window rate limiting (per minute + per hour) and an optional monthly quota.
 * Windows are fixed and aligned to the first request that finds no open window; their length is the nominal
 * length × timeScale. Only admitted requests count; rejected (429) requests do not consume the budget.
 */

export interface WindowState {
	start: number;
	count: number;
}

export interface KeyRateState {
	minute?: WindowState;
	hour?: WindowState;
	cycle?: WindowState;
}

export interface RateLimits {
	perMinute: number;
	perHour: number;
	minuteMs: number;
	hourMs: number;
	monthlyQuota?: number;
	/** Whether the monthly 429 carries Retry-After (default true). */
	monthlyQuotaRetryAfter?: boolean;
	cycleMs: number;
}

export interface RateDecision {
	allowed: boolean;
	/** Set when rejected. */
	code?: 'rate_limit_exceeded' | 'monthly_limit_exceeded';
	/** Headers to attach to the response (always present, including on 200/202/4xx). */
	headers: Record<string, string>;
	/** Which window the X-RateLimit-* headers describe. */
	active: 'minute' | 'hour';
}

interface WindowView {
	name: 'minute' | 'hour';
	limit: number;
	count: number;
	resetAt: number;
}

function openWindow(existing: WindowState | undefined, now: number, length: number): WindowState {
	if (!existing || now >= existing.start + length) return { start: now, count: 0 };
	return existing;
}

const secondsUntil = (resetAt: number, now: number): number =>
	Math.max(0, Math.ceil((resetAt - now) / 1000));

export function checkRateLimit(state: KeyRateState, limits: RateLimits, now: number): RateDecision {
	state.minute = openWindow(state.minute, now, limits.minuteMs);
	state.hour = openWindow(state.hour, now, limits.hourMs);
	const quota = limits.monthlyQuota;
	if (quota !== undefined) state.cycle = openWindow(state.cycle, now, limits.cycleMs);

	const windows: WindowView[] = [
		{
			name: 'minute',
			limit: limits.perMinute,
			count: state.minute.count,
			resetAt: state.minute.start + limits.minuteMs,
		},
		{
			name: 'hour',
			limit: limits.perHour,
			count: state.hour.count,
			resetAt: state.hour.start + limits.hourMs,
		},
	];
	const exhausted = windows.filter((w) => w.count >= w.limit);
	const quotaExhausted = quota !== undefined && state.cycle!.count >= quota;
	const allowed = exhausted.length === 0 && !quotaExhausted;
	if (allowed) {
		state.minute.count++;
		state.hour.count++;
		if (state.cycle) state.cycle.count++;
		windows[0].count++;
		windows[1].count++;
	}

	// The active window: when rejected, the exhausted window that resets last (that is when a retry will work);
	// otherwise the one with fewer requests remaining (tie → the per-minute window).
	let active: WindowView;
	if (exhausted.length > 0) {
		active = exhausted.reduce((a, b) => (b.resetAt > a.resetAt ? b : a));
	} else {
		const [m, h] = windows;
		active = h.limit - h.count < m.limit - m.count ? h : m;
	}
	const remaining = Math.max(0, active.limit - active.count);
	const headers: Record<string, string> = {
		'X-RateLimit-Limit': String(active.limit),
		'X-RateLimit-Remaining': String(remaining),
		'X-RateLimit-Reset': String(Math.ceil(active.resetAt / 1000)),
		'RateLimit-Limit': String(active.limit),
		'RateLimit-Remaining': String(remaining),
		'RateLimit-Reset': String(secondsUntil(active.resetAt, now)),
	};
	if (quota !== undefined) {
		const cycle = state.cycle!;
		const resetAt = cycle.start + limits.cycleMs;
		headers['X-Quota-Limit'] = String(quota);
		headers['X-Quota-Used'] = String(cycle.count);
		headers['X-Quota-Remaining'] = String(Math.max(0, quota - cycle.count));
		headers['X-Quota-Reset'] = String(Math.ceil(resetAt / 1000));
		if (exhausted.length === 0 && quotaExhausted) {
			if (limits.monthlyQuotaRetryAfter !== false)
				headers['Retry-After'] = String(Math.max(1, secondsUntil(resetAt, now)));
			return { allowed: false, code: 'monthly_limit_exceeded', headers, active: active.name };
		}
	}
	if (!allowed) {
		headers['Retry-After'] = String(Math.max(1, secondsUntil(active.resetAt, now)));
		return { allowed: false, code: 'rate_limit_exceeded', headers, active: active.name };
	}
	return { allowed: true, headers, active: active.name };
}

import { firstDelivery, type TriggerStaticData } from '../../../nodes/NyneTrigger/deliveries';

// The record in memory is module-level, per node key: each test uses its own keys.
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const LIMIT = 1000;

describe('firstDelivery', () => {
	it('passes on the first delivery of a job in a status, not a retry of it', () => {
		const staticData: TriggerStaticData = {};
		expect(firstDelivery('node-retry', staticData, 'req-1', 'completed', T0)).toBe(true);
		expect(firstDelivery('node-retry', staticData, 'req-1', 'completed', T0 + 1000)).toBe(false);
		expect(firstDelivery('node-retry', staticData, 'req-1', 'completed', T0 + HOUR_MS)).toBe(false);
	});

	it('passes on the same job in another status, and another job in the same status', () => {
		const staticData: TriggerStaticData = {};
		expect(firstDelivery('node-status', staticData, 'req-1', 'processing', T0)).toBe(true);
		expect(firstDelivery('node-status', staticData, 'req-1', 'completed', T0 + 1)).toBe(true);
		expect(firstDelivery('node-status', staticData, 'req-2', 'completed', T0 + 2)).toBe(true);
		expect(firstDelivery('node-status', staticData, 'req-1', 'processing', T0 + 3)).toBe(false);
		expect(firstDelivery('node-status', staticData, 'req-1', 'completed', T0 + 4)).toBe(false);
	});

	it("records each delivery in the node's static data, with when it came", () => {
		const staticData: TriggerStaticData = {};
		firstDelivery('node-static', staticData, 'req-1', 'completed', T0);
		firstDelivery('node-static', staticData, 'req-1', 'failed', T0 + 5);
		expect(staticData.seenCallbacks).toEqual({
			'req-1|completed': T0,
			'req-1|failed': T0 + 5,
		});
	});

	it('a retry does not refresh the first delivery time', () => {
		const staticData: TriggerStaticData = {};
		firstDelivery('node-no-refresh', staticData, 'req-1', 'completed', T0);
		firstDelivery('node-no-refresh', staticData, 'req-1', 'completed', T0 + HOUR_MS);
		expect(staticData.seenCallbacks).toEqual({ 'req-1|completed': T0 });
	});

	it('after a restart (memory empty), static data still recognises a retry', () => {
		const staticData: TriggerStaticData = {};
		expect(firstDelivery('node-before-restart', staticData, 'req-1', 'completed', T0)).toBe(true);
		// A node key never used before stands for this process's memory after a restart.
		expect(firstDelivery('node-after-restart', staticData, 'req-1', 'completed', T0 + 1000)).toBe(
			false,
		);
	});

	it('without static data (not persisted), memory still recognises a retry of the same node', () => {
		expect(firstDelivery('node-memory', {}, 'req-1', 'completed', T0)).toBe(true);
		const fresh: TriggerStaticData = {};
		expect(firstDelivery('node-memory', fresh, 'req-1', 'completed', T0 + 1000)).toBe(false);
	});

	it("another node's memory is its own", () => {
		expect(firstDelivery('node-a', {}, 'req-1', 'completed', T0)).toBe(true);
		expect(firstDelivery('node-b', {}, 'req-1', 'completed', T0 + 1000)).toBe(true);
	});

	it('forgets a delivery 24 h after it came, in memory and in static data', () => {
		const staticData: TriggerStaticData = {};
		expect(firstDelivery('node-age', staticData, 'req-1', 'completed', T0)).toBe(true);
		expect(firstDelivery('node-age', staticData, 'req-1', 'completed', T0 + DAY_MS - 1)).toBe(
			false,
		);
		expect(firstDelivery('node-age', {}, 'req-1', 'completed', T0 + DAY_MS - 1)).toBe(false);
		expect(firstDelivery('node-age', staticData, 'req-1', 'completed', T0 + DAY_MS)).toBe(true);
		// Now remembered again, from its new delivery.
		expect(staticData.seenCallbacks).toEqual({ 'req-1|completed': T0 + DAY_MS });
		expect(firstDelivery('node-age', {}, 'req-1', 'completed', T0 + DAY_MS + 1)).toBe(false);
	});

	it('drops deliveries older than 24 h from static data when it records a new one', () => {
		const staticData: TriggerStaticData = {};
		firstDelivery('node-prune', staticData, 'old-1', 'completed', T0);
		firstDelivery('node-prune', staticData, 'old-2', 'completed', T0 + HOUR_MS);
		firstDelivery('node-prune', staticData, 'recent', 'completed', T0 + 2 * HOUR_MS);
		firstDelivery('node-prune', staticData, 'new', 'completed', T0 + DAY_MS + HOUR_MS);
		expect(staticData.seenCallbacks).toEqual({
			'recent|completed': T0 + 2 * HOUR_MS,
			'new|completed': T0 + DAY_MS + HOUR_MS,
		});
	});

	it(`keeps at most ${LIMIT} deliveries, dropping the oldest first`, () => {
		const staticData: TriggerStaticData = {};
		for (let index = 0; index <= LIMIT; index++) {
			expect(firstDelivery('node-limit', staticData, `req-${index}`, 'completed', T0 + index)).toBe(
				true,
			);
		}
		const kept = Object.keys(staticData.seenCallbacks ?? {});
		expect(kept).toHaveLength(LIMIT);
		expect(kept[0]).toBe('req-1|completed');
		expect(kept[LIMIT - 1]).toBe(`req-${LIMIT}|completed`);
		expect(kept).not.toContain('req-0|completed');

		// Memory kept the same: with static data empty, req-1 is still a retry but req-0 is new again.
		// (req-1 is asked first: recording req-0 again drops the then-oldest, req-1.)
		const now = T0 + LIMIT + 1;
		expect(firstDelivery('node-limit', {}, 'req-1', 'completed', now)).toBe(false);
		expect(firstDelivery('node-limit', {}, 'req-0', 'completed', now)).toBe(true);
	});

	it('reads a missing status as part of the key too', () => {
		const staticData: TriggerStaticData = {};
		expect(firstDelivery('node-no-status', staticData, 'req-1', undefined, T0)).toBe(true);
		expect(firstDelivery('node-no-status', staticData, 'req-1', undefined, T0 + 1)).toBe(false);
		expect(firstDelivery('node-no-status', staticData, 'req-1', 'completed', T0 + 2)).toBe(true);
	});
});

/**
 * The Nyne Trigger's record of deliveries, to pass each finished job on once although Nyne retries a
 * callback up to 5 times. Plain TypeScript; the trigger hands in its static data and a key for its node.
 */

/** How many delivered callbacks are remembered to ignore Nyne's retries, and for how long. */
const SEEN_LIMIT = 1000;
const SEEN_MAX_AGE_MS = 24 * 3600 * 1000;

/** `request_id|status` → when it was first delivered (ms). Insertion order is age order. */
type DeliveryRecord = Record<string, number>;

/** What the trigger keeps in n8n's static data of its node. */
export interface TriggerStaticData {
	seenCallbacks?: DeliveryRecord;
}

/**
 * Deliveries seen by this n8n process, per trigger node. n8n 2.41 persists static data written in
 * webhook() only while the workflow had none before (the execution it starts resets the change flag), so
 * memory is the record that always works and static data the one that survives a restart.
 */
const deliveriesInMemory = new Map<string, DeliveryRecord>();

function seenRecently(seen: DeliveryRecord, key: string, now: number): boolean {
	const firstSeenAt = seen[key];
	return firstSeenAt !== undefined && now - firstSeenAt < SEEN_MAX_AGE_MS;
}

/** Adds a delivery, then drops those past the age limit and any beyond the count limit (keys iterate oldest first). */
function remember(seen: DeliveryRecord, key: string, now: number): void {
	delete seen[key];
	seen[key] = now;
	const keys = Object.keys(seen);
	let excess = keys.length - SEEN_LIMIT;
	for (const old of keys) {
		if (excess <= 0 && now - seen[old] < SEEN_MAX_AGE_MS) break;
		delete seen[old];
		excess--;
	}
}

/**
 * Records the delivery of a job in a status, in this process's memory (under `nodeKey`) and in the
 * node's static data; false when it was delivered before (a Nyne retry).
 */
export function firstDelivery(
	nodeKey: string,
	staticData: TriggerStaticData,
	requestId: string,
	status: unknown,
	now: number,
): boolean {
	let inMemory = deliveriesInMemory.get(nodeKey);
	if (!inMemory) deliveriesInMemory.set(nodeKey, (inMemory = {}));
	const records = [inMemory, (staticData.seenCallbacks ??= {})];
	const key = `${requestId}|${String(status)}`;
	if (records.some((seen) => seenRecently(seen, key, now))) return false;
	for (const seen of records) remember(seen, key, now);
	return true;
}

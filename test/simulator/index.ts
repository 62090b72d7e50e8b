/**
 * Nyne Person API simulator — public entry point for tests, the benchmark and the demo.
 *
 *   import { startSimulator } from '../simulator';
 *   const sim = await startSimulator({ timeScale: 0.01 });
 *   // ... sim.url, sim.getLog(), sim.getCredits('sim-key') ...
 *   await sim.stop();
 */
export {
	NyneSimulator,
	startSimulator,
	DEFAULT_KEY,
	DEFAULT_SECRET,
	DEFAULT_CREDITS,
	DEFAULT_LATENCY_MS,
	CREDIT_COST,
	REQUEST_ID_PATTERNS,
	STATUS_PHASES,
	SUBMIT_STATUS,
} from './server';
export { DEFAULT_CALLBACK_DELAYS_MS, DEFAULT_CALLBACK_TIMEOUT_MS } from './callbacks';
export { INTEREST_SECTIONS } from './generate';
export { MARKER_PATTERN, stripMarkers } from './validation';
export type {
	BehaviourInput,
	BehaviourOverride,
	CallbackAttempt,
	CallbackDelivery,
	CallbackState,
	ChargeEntry,
	Counters,
	FaultTarget,
	Faults,
	JobKind,
	JobOutcome,
	JobSnapshot,
	JobStatus,
	KeyConfig,
	RequestLogEntry,
	RequestOp,
	SimulatorOptions,
} from './types';

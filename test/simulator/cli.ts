/**
 * Standalone simulator for demos and benchmarks.
 *
 *   node test/build/simulator/cli.js [--port 0] [--key sim-key] [--secret sim-secret] [--scale 1]
 *                          [--callback-scale 1] [--credits 10000] [--seed nyne-sim]
 *                          [--per-minute 60] [--per-hour 1000] [--quiet]
 *   node test/simulator/run.js ...same flags...     (compiles test/build first if a source changed)
 *
 * Prints exactly one JSON line on stdout once listening: {"url":"http://127.0.0.1:PORT","port":PORT}.
 * Event logs (callback attempts, restarts) go to stderr. Stops on SIGINT / SIGTERM.
 * Runtime control from other processes: the /__sim/* admin endpoints (see README.md).
 */
import { startSimulator } from './server';
import type { SimulatorOptions } from './types';

export interface CliArgs {
	port: number;
	key: string;
	secret: string;
	scale: number;
	callbackScale: number;
	credits?: number;
	seed?: string;
	perMinute?: number;
	perHour?: number;
	quiet: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
	const args: CliArgs = {
		port: 0,
		key: 'sim-key',
		secret: 'sim-secret',
		scale: 1,
		callbackScale: 1,
		quiet: false,
	};
	const num = (flag: string, value: string | undefined): number => {
		const n = Number(value);
		if (value === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
		const value = (): string | undefined => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				args.port = num(flag, value());
				break;
			case '--key':
				args.key = value() ?? args.key;
				break;
			case '--secret':
				args.secret = value() ?? args.secret;
				break;
			case '--scale':
				args.scale = num(flag, value());
				break;
			case '--callback-scale':
				args.callbackScale = num(flag, value());
				break;
			case '--credits':
				args.credits = num(flag, value());
				break;
			case '--seed':
				args.seed = value();
				break;
			case '--per-minute':
				args.perMinute = num(flag, value());
				break;
			case '--per-hour':
				args.perHour = num(flag, value());
				break;
			case '--quiet':
				args.quiet = true;
				break;
			default:
				throw new Error(`unknown flag ${flag}`);
		}
	}
	return args;
}

export function optionsFromArgs(args: CliArgs): SimulatorOptions {
	return {
		port: args.port,
		keys: [{ key: args.key, secret: args.secret, credits: args.credits }],
		timeScale: args.scale,
		callbackScale: args.callbackScale,
		seed: args.seed,
		rateLimit: { perMinute: args.perMinute, perHour: args.perHour },
		logger: args.quiet ? undefined : (line) => process.stderr.write(`[nyne-sim] ${line}\n`),
	};
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
	const args = parseArgs(argv);
	const sim = await startSimulator(optionsFromArgs(args));
	process.stdout.write(`${JSON.stringify({ url: sim.url, port: sim.port })}\n`);
	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		if (!args.quiet) process.stderr.write(`[nyne-sim] ${signal}: stopping\n`);
		sim.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
	main().catch((err: unknown) => {
		process.stderr.write(`[nyne-sim] ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	});
}

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { request } from 'undici';
import { optionsFromArgs, parseArgs } from '../../simulator/cli';

describe('simulator CLI', () => {
	test('parseArgs: defaults and flags (space and = forms)', () => {
		expect(parseArgs([])).toEqual({
			port: 0,
			key: 'sim-key',
			secret: 'sim-secret',
			scale: 1,
			callbackScale: 1,
			quiet: false,
		});
		const args = parseArgs([
			'--port',
			'8787',
			'--key=k',
			'--secret',
			's',
			'--scale',
			'0.1',
			'--callback-scale=0.01',
			'--credits',
			'50',
			'--per-minute',
			'5',
			'--quiet',
		]);
		expect(args).toMatchObject({
			port: 8787,
			key: 'k',
			secret: 's',
			scale: 0.1,
			callbackScale: 0.01,
			credits: 50,
			perMinute: 5,
			quiet: true,
		});
		expect(optionsFromArgs(args)).toMatchObject({
			port: 8787,
			timeScale: 0.1,
			callbackScale: 0.01,
			keys: [{ key: 'k', secret: 's', credits: 50 }],
			rateLimit: { perMinute: 5 },
		});
		expect(() => parseArgs(['--scale', 'fast'])).toThrow(/number/);
		expect(() => parseArgs(['--bogus'])).toThrow(/unknown flag/);
	});

	test('runs standalone: prints {"url","port"} on stdout, serves the API, stops on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[
				path.join(__dirname, '../../simulator/run.js'),
				'--scale',
				'0.001',
				'--key',
				'cli-key',
				'--secret',
				'cli-secret',
			],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		try {
			const line = await new Promise<string>((resolve, reject) => {
				let buf = '';
				child.stdout.on('data', (chunk: Buffer) => {
					buf += chunk.toString();
					const nl = buf.indexOf('\n');
					if (nl >= 0) resolve(buf.slice(0, nl));
				});
				child.on('exit', () => reject(new Error(`exited early: ${buf}`)));
			});
			const info = JSON.parse(line) as { url: string; port: number };
			expect(info.url).toBe(`http://127.0.0.1:${info.port}`);
			const res = await request(`${info.url}/person/leads`, {
				method: 'POST',
				headers: {
					'x-api-key': 'cli-key',
					'x-api-secret': 'cli-secret',
					'content-type': 'application/json',
				},
				body: JSON.stringify({ search_description: 'Founders talking about fundraising' }),
			});
			expect(res.statusCode).toBe(202);
			await res.body.dump();
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	});
});

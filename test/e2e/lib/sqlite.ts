/**
 * Read-only SQL on an n8n instance's sqlite database, through the `sqlite3` module of the n8n
 * install itself (built for its Node 24), so the project needs no sqlite dependency.
 */
import { runCommand } from './processes';
import type { N8nPaths } from './install';

// Runs under the n8n install's Node; argv: dbFile, sql, JSON params.
const QUERY_SCRIPT = `
const sqlite3 = require('sqlite3');
const [dbFile, sql, params] = process.argv.slice(1);
const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) { console.error(openError.message); process.exit(2); }
	db.configure('busyTimeout', 10000);
	db.all(sql, JSON.parse(params), (error, rows) => {
		if (error) { console.error(error.message); process.exit(3); }
		process.stdout.write(JSON.stringify(rows));
		db.close();
	});
});
`;

export async function sqliteQuery<Row = Record<string, unknown>>(
	paths: N8nPaths,
	dbFile: string,
	sql: string,
	params: ReadonlyArray<string | number | null> = [],
): Promise<Row[]> {
	const { stdout } = await runCommand(paths.nodeBin, ['-e', QUERY_SCRIPT, dbFile, sql, JSON.stringify(params)], {
		cwd: paths.installDir, // so require('sqlite3') resolves to the install's node_modules
		timeoutMs: 30_000,
	});
	return JSON.parse(stdout) as Row[];
}

/**
 * Headless Chromium for the browser suite: Debian's package driven by playwright-core (no browser download),
 * a page that can only reach 127.0.0.1, a log of what the page asked for, and screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
	chromium,
	selectors,
	type Browser,
	type BrowserContext,
	type Page,
	type Request,
	type Response,
} from 'playwright-core';
import { REPO_DIR } from '../../e2e/lib';

export const INSTALL_COMMAND = 'bash scripts/install-chromium.sh';
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium to drive: CHROMIUM_PATH, or Debian's. Undefined when there is none. */
export function findChromium(): string | undefined {
	const wanted = process.env.CHROMIUM_PATH;
	if (wanted) return fs.existsSync(wanted) ? wanted : undefined;
	return CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/** Where the suite writes its screenshots (every step's, and the one of a failing step). */
export const ARTIFACTS_DIR =
	process.env.BROWSER_ARTIFACTS_DIR || path.join(REPO_DIR, 'test/browser/artifacts');
/** Set by `npm run screenshots`: the README's pictures are written there too. */
export const README_SCREENSHOTS_DIR = process.env.NYNE_SCREENSHOTS_DIR;

/** One request or response the page saw, as logged. */
export interface NetworkEntry {
	url: string;
	resourceType: string;
	/** HTTP status, or 0 when the request failed without an answer. */
	status: number;
	failure?: string;
}

export interface BrowserSession {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** Every finished request (status) and failed one (failure). */
	network: NetworkEntry[];
	/** console.error / console.warning messages. */
	console: string[];
	/** Requests for anything not on 127.0.0.1, refused before they left (the suite never reaches the internet). */
	blocked: string[];
	close(): Promise<void>;
}

const VIEWPORT = { width: 1440, height: 900 };

function isLoopback(url: string): boolean {
	const { protocol, hostname } = new URL(url);
	if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

export async function openBrowser(baseURL: string): Promise<BrowserSession> {
	const executablePath = findChromium();
	if (!executablePath)
		throw new Error(
			`Chromium not found: install it with \`${INSTALL_COMMAND}\` (or set CHROMIUM_PATH)`,
		);
	// n8n marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const browser = await chromium.launch({
		executablePath,
		headless: true,
		// root in CI containers: Chromium's sandbox needs user namespaces that containers often lack.
		args: ['--no-sandbox', '--disable-dev-shm-usage'],
	});
	const context = await browser.newContext({
		baseURL,
		viewport: VIEWPORT,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const session: BrowserSession = {
		browser,
		context,
		page: undefined as unknown as Page,
		network: [],
		console: [],
		blocked: [],
		close: async () => {
			await context.close().catch(() => undefined);
			await browser.close();
		},
	};
	await context.route(
		(url) => !isLoopback(url.href),
		async (route) => {
			session.blocked.push(route.request().url());
			await route.abort('blockedbyclient');
		},
	);
	const page = await context.newPage();
	// Generous for a busy 2-core machine; a step as a whole is bounded by the suite.
	page.setDefaultTimeout(60_000);
	page.setDefaultNavigationTimeout(120_000);
	// Leaving a page with unsaved changes asks "leave?": a person says yes (Playwright would say no).
	page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
	page.on('response', (response: Response) =>
		session.network.push({
			url: response.url(),
			resourceType: response.request().resourceType(),
			status: response.status(),
		}),
	);
	page.on('requestfailed', (request: Request) => {
		if (!isLoopback(request.url())) return; // refused by the route above, recorded in `blocked`
		session.network.push({
			url: request.url(),
			resourceType: request.resourceType(),
			status: 0,
			failure: request.failure()?.errorText,
		});
	});
	page.on('console', (message) => {
		if (message.type() === 'error' || message.type() === 'warning')
			session.console.push(`${message.type()}: ${message.text()}`);
	});
	session.page = page;
	return session;
}

/**
 * Save a screenshot of the page as `<name>.png` in the artifacts folder (and in the README's folder when
 * `npm run screenshots` asked for it); returns the artifact's path.
 */
export async function screenshot(
	page: Page,
	name: string,
	options: { readme?: boolean } = {},
): Promise<string> {
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const file = path.join(ARTIFACTS_DIR, `${name}.png`);
	await page.mouse.move(1, 1); // no hover effects in the picture
	await page.screenshot({ path: file, animations: 'disabled' });
	if (options.readme && README_SCREENSHOTS_DIR) {
		fs.mkdirSync(README_SCREENSHOTS_DIR, { recursive: true });
		fs.copyFileSync(file, path.join(README_SCREENSHOTS_DIR, `${name}.png`));
	}
	return file;
}

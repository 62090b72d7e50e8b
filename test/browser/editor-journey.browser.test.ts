/**
 * The user's journey in n8n's editor, in headless Chromium: a real n8n 2.41 with the packed package, the Nyne
 * simulator behind its credential, and a person clicking through the editor. What is expected on screen is
 * read from the built node descriptions (dist/), so the suite follows the nodes instead of copying them.
 *
 * Each step saves a screenshot to test/browser/artifacts/ (a failing step: `FAILED-<step>.png`, showing why);
 * `npm run screenshots` runs this suite and copies the README's pictures to examples/screenshots/.
 *
 * Part of `npm test`; alone: `npx jest --selectProjects browser`. Needs Chromium (`bash scripts/install-chromium.sh`):
 * without it the suite is skipped, except with CI=true, where a missing Chromium fails it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { NyneSimulator } from '../simulator';
import {
	createN8nInstance,
	DEFAULT_OWNER,
	ensureN8n,
	packPackage,
	REPO_DIR,
	type N8nInstance,
	type WorkflowJson,
} from '../e2e/lib';
import {
	acceptedSubmits,
	DEFAULT_KEY,
	DEFAULT_SECRET,
	fastSimulator,
	importWorkflows,
	NYNE_NODE_TYPE,
	NYNE_TRIGGER_TYPE,
	pollSimulator,
	simCredentialData,
} from '../e2e/lib/nyne';
import {
	findChromium,
	INSTALL_COMMAND,
	openBrowser,
	screenshot,
	type BrowserSession,
	type NetworkEntry,
} from './lib/browser';
import {
	credentialDescription,
	nyneDescription,
	nyneTriggerDescription,
	optionsOf,
	shownFieldLabels,
	shownProperties,
} from './lib/description';
import { Editor } from './lib/editor';

const SUITE = 'the n8n editor in Chromium: a person using the Nyne nodes';
const EXAMPLE_FILE = path.join(REPO_DIR, 'examples/lead-search-to-crm.json');
/** n8n adds this choice to the Operation list of every node with a credential; it is not one of ours. */
const N8N_CUSTOM_API_CALL = 'Custom API Call';
/** One step of the journey: a failure is bounded and leaves a screenshot of what the page showed. */
const STEP_TIMEOUT_MS = 5 * 60_000;

function describeBrowser(name: string, suite: () => void): void {
	if (process.env.N8N_E2E !== '1') return describe.skip(name, suite);
	if (!findChromium() && process.env.CI !== 'true') {
		process.stderr.write(
			`[browser] Chromium not found: the browser suite is skipped. Install it with: ${INSTALL_COMMAND}\n`,
		);
		return describe.skip(
			`${name} (skipped: no Chromium; install it with \`${INSTALL_COMMAND}\`)`,
			suite,
		);
	}
	describe(name, suite); // with CI=true and no Chromium, beforeAll fails and says how to install it
}

type Json = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Read what the page shows until `ok` (the editor updates after a click), or until the time is up; returns the last reading. */
async function settled<T>(
	read: () => Promise<T>,
	ok: (value: T) => boolean,
	timeoutMs = 10_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read().catch((error: Error) => error as unknown as T);
		if (!(value instanceof Error) && ok(value)) return value;
		if (Date.now() > deadline) {
			if (value instanceof Error) throw value;
			return value;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describeBrowser(SUITE, () => {
	const nyne = nyneDescription();
	const trigger = nyneTriggerDescription();
	const operations = optionsOf(nyne, 'operation');
	const operation = (value: string): INodePropertyOptions => {
		const found = operations.find((option) => option.value === value);
		if (!found) throw new Error(`the Nyne node has no operation ${value}`);
		return found;
	};

	let sim: NyneSimulator;
	let n8n: N8nInstance;
	let tarball: string | undefined;
	let browser: BrowserSession;
	let editor: Editor;
	let example: WorkflowJson;
	let exampleId: string;

	beforeAll(async () => {
		if (!findChromium())
			throw new Error(
				`Chromium not found: install it with \`${INSTALL_COMMAND}\` (or set CHROMIUM_PATH)`,
			);
		await ensureN8n();
		sim = await fastSimulator();
		tarball = await packPackage(REPO_DIR);
		n8n = await createN8nInstance({ tarball });
		example = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as WorkflowJson;
		// The credential the example references, pointing at the simulator (as `npm run demo` sets it up).
		await n8n.importCredentials([
			{
				id: 'nyneDemoCredential',
				name: 'Nyne (demo simulator)',
				type: 'nyneApi',
				data: simCredentialData(sim),
			},
		]);
		[exampleId] = await importWorkflows(n8n, [structuredClone(example)]);
		await n8n.start({ timeoutMs: 5 * 60_000 }); // minutes on a busy 2-core machine
		await n8n.setupOwnerAndLogin(); // the owner a person signs in as
		browser = await openBrowser(n8n.baseUrl);
		editor = new Editor(browser.page);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.dispose();
		await sim?.stop();
		if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	});

	function step(name: string, run: () => Promise<void>): void {
		test(
			name,
			async () => {
				try {
					await run();
				} catch (error) {
					const slug = name
						.replace(/[^a-z0-9]+/gi, '-')
						.replace(/^-|-$/g, '')
						.toLowerCase()
						.slice(0, 60);
					const shot = browser
						? await screenshot(browser.page, `FAILED-${slug}`).catch(
								(e: Error) => `(none: ${e.message})`,
							)
						: '(no browser)';
					if (error instanceof Error) error.message += `\nscreenshot of the page: ${shot}`;
					throw error;
				}
			},
			STEP_TIMEOUT_MS,
		);
	}

	step(
		'1. sign in, create a workflow, search the node panel for "Nyne": Nyne and its trigger appear with their icons',
		async () => {
			await editor.signIn(DEFAULT_OWNER.email, DEFAULT_OWNER.password);
			await editor.newWorkflow();
			const networkMark = browser.network.length;
			const consoleMark = browser.console.length;

			await editor.searchNodes('Nyne');
			const entry = editor.nodeItem(nyne.displayName);
			await entry.waitFor();
			const entryIcon = entry.locator('img').first();
			await expect(entryIcon.getAttribute('src')).resolves.toContain('/icons/n8n-nodes-nyne/');

			await entry.click();
			// The package's panel: the Nyne node's operations as actions, the Nyne Trigger under Triggers.
			expect(await editor.categoryItemNames('Actions')).toEqual(
				operations.map((option) => option.action),
			);
			const triggers = await editor.categoryItemNames('Triggers');
			expect(triggers).toHaveLength(1);
			const icons = editor.nodeCreator.locator('img[src*="/icons/n8n-nodes-nyne/"]');
			await icons.first().waitFor();
			// Rendered, not broken: the browser decoded every Nyne icon shown (the package's entry, its trigger, its actions).
			const iconSizes = await icons.evaluateAll((images) =>
				images.flatMap((image) => {
					const { offsetParent, naturalWidth } = image as unknown as {
						offsetParent: unknown;
						naturalWidth: number;
					};
					return offsetParent === null ? [] : [naturalWidth];
				}),
			);
			expect(iconSizes.length).toBeGreaterThanOrEqual(2);
			expect(iconSizes.filter((width) => width === 0)).toEqual([]);
			await screenshot(browser.page, 'node-panel', { readme: true });

			const seen = browser.network.slice(networkMark);
			const iconRequests = seen.filter((entry) => entry.url.includes('/icons/n8n-nodes-nyne/'));
			expect(iconRequests.length).toBeGreaterThan(0);
			expect(iconRequests.filter((entry) => entry.status !== 200)).toEqual([]);
			const isAsset = (entry: NetworkEntry) =>
				['image', 'stylesheet', 'script', 'font'].includes(entry.resourceType) ||
				/\/(icons|types|assets)\//.test(entry.url);
			expect(
				seen.filter((entry) => isAsset(entry) && (entry.status === 0 || entry.status >= 400)),
			).toEqual([]);
			// A failed load shows in the console as "Failed to load resource"; the only ones allowed are the
			// requests this suite refuses to send off the machine (n8n asks the npm registry about the package).
			const consoleSeen = browser.console.slice(consoleMark);
			expect(
				consoleSeen.filter(
					(message) =>
						/Failed to load resource/.test(message) && !/ERR_BLOCKED_BY_CLIENT/.test(message),
				),
			).toEqual([]);
			expect(consoleSeen.filter((message) => /icon|\.svg|n8n-nodes-nyne/i.test(message))).toEqual(
				[],
			);
			await browser.page.keyboard.press('Escape');
		},
	);

	step(
		'2. the Nyne node: Operation offers the four operations, each shows exactly its fields; Mode and Options only where a job is submitted',
		async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Nyne');
			await editor.nodeItem(nyne.displayName).click();
			await editor.addFromPanel('Actions', operation('getInteractions').action as string);

			const choices = await editor.dropdownChoices('operation');
			expect(choices.filter((choice) => choice !== N8N_CUSTOM_API_CALL)).toEqual(
				operations.map((option) => option.name),
			);
			expect(operations.map((option) => option.name)).toEqual([
				'Get Interactions',
				'Get Interests',
				'Get Job',
				'Search Leads',
			]);

			for (const option of operations) {
				await editor.choose('operation', option.name);
				const expected = shownFieldLabels(nyne, { operation: option.value });
				expect(
					await settled(
						() => editor.shownFieldLabels(),
						(labels) => same(labels, expected),
					),
				).toEqual(expected);
				const notices = shownProperties(nyne, { operation: option.value }).filter(
					(property) => property.type === 'notice',
				);
				const texts = (await editor.shownParameters()).flatMap((entry) =>
					entry.kind === 'text' ? [entry.text] : [],
				);
				expect(texts).toEqual(notices.map((notice) => notice.displayName));
				const submits = option.value !== 'getJob'; // Get Job only reads a job submitted before
				expect(expected.includes('Mode')).toBe(submits);
				expect(expected.includes('Options')).toBe(submits);
			}

			// Fields that depend on another field: Tweet ID is asked for once Interaction Type is Replies.
			await editor.choose('operation', operation('getInteractions').name);
			const interactionType = nyne.properties.find(
				(property: INodeProperties) => property.name === 'interactionType',
			);
			const replies = (interactionType?.options as INodePropertyOptions[]).find(
				(option) => option.value === 'replies',
			);
			await editor.choose('interactionType', replies!.name);
			const withReplies = shownFieldLabels(nyne, {
				operation: 'getInteractions',
				interactionType: 'replies',
			});
			expect(withReplies).toEqual(
				expect.arrayContaining([
					'Social Media URL',
					'Interaction Type',
					'Username',
					'Tweet ID',
					'Max Results',
				]),
			);
			expect(
				await settled(
					() => editor.shownFieldLabels(),
					(labels) => same(labels, withReplies),
				),
			).toEqual(withReplies);
			await screenshot(browser.page, 'nyne-node', { readme: true });
			await editor.closeNode();
		},
	);

	step(
		'3. a Nyne API credential made in the dialog: Test succeeds against the simulator; a wrong secret gets the message naming key/secret, never the secret',
		async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Nyne');
			await editor.nodeItem(nyne.displayName).click();
			await editor.addFromPanel('Actions', operation('getJob').action as string);

			await editor.createCredentialFromNode();
			await editor.credentialField('apiKey').fill(DEFAULT_KEY);
			await editor.credentialField('apiSecret').fill(DEFAULT_SECRET);
			await editor.credentialField('baseUrl').fill(sim.url);
			await expect(editor.credentialField('apiSecret').getAttribute('type')).resolves.toBe(
				'password',
			);
			await editor.saveCredential();
			// n8n 2.41 tests a new credential as it saves it, then closes the dialog: reopen it to read the result.
			await editor.credentialModal.waitFor({ state: 'hidden' });
			await editor.editNodeCredential();
			const success = editor.credentialModal.getByTestId(
				'credentials-config-container-test-success',
			);
			await success.waitFor();
			expect(await success.innerText()).toMatch(/tested successfully/i);

			const wrongSecret = `wrong-secret-${Date.now()}`;
			await editor.credentialField('apiSecret').fill(wrongSecret);
			await editor.saveCredential();
			const config = editor.credentialModal.getByTestId('node-credentials-config-container');
			await settled(
				() => config.innerText(),
				(text) => /couldn.t connect/i.test(text),
				20_000,
			);
			// n8n folds the credential test's message behind "More details" when the dialog is narrow.
			const moreDetails = config.getByText('More details', { exact: true });
			if (await moreDetails.isVisible()) await moreDetails.click();
			// The banner: from n8n's headline to the dialog's first field (the credential's first label).
			const firstLabel = credentialDescription().properties[0].displayName;
			const banner = await settled(
				async () => {
					const text = await config.innerText();
					const start = text.search(/couldn.t connect/i);
					return text.slice(start, text.indexOf(`\n${firstLabel}`, start));
				},
				(text) => /\b(key|secret)\b/i.test(text),
			);
			expect(banner).toMatch(/couldn.t connect/i);
			expect(banner).toMatch(/\b(key|secret)\b/i);
			await screenshot(browser.page, 'credential-test-failed');
			// The secret stays masked: not in the dialog's text, the page's, or anything the page logged.
			await expect(editor.credentialField('apiSecret').getAttribute('type')).resolves.toBe(
				'password',
			);
			const pageText = await browser.page.locator('body').innerText();
			for (const secret of [wrongSecret, DEFAULT_SECRET]) {
				expect(pageText).not.toContain(secret);
				expect(browser.console.join('\n')).not.toContain(secret);
			}
			await editor.closeCredential();
			await editor.closeNode();
		},
	);

	step(
		'4. the imported "Lead search to CRM" example, Execute workflow: the Nyne node\'s output panel lists every lead the simulator found, with author names',
		async () => {
			const searchNode = (example.nodes as Json[]).find((node) => node.type === NYNE_NODE_TYPE) as {
				name: string;
			};
			const before = acceptedSubmits(sim, 'leads').length;
			await editor.openWorkflow(exampleId);
			await browser.page.getByTestId('execute-workflow-button').click();
			await n8n.waitForExecutions(exampleId, 1, { timeoutMs: 90_000 });

			const submitted = acceptedSubmits(sim, 'leads').slice(before);
			expect(submitted).toHaveLength(1);
			const leads = (await pollSimulator(sim, 'leads', submitted[0])).results as Array<{
				author?: { name?: string };
			}>;
			expect(leads.length).toBeGreaterThan(0);

			await editor.openNode(searchNode.name);
			expect(
				await settled(
					() => editor.outputItemCount(),
					(count) => count === leads.length,
					30_000,
				),
			).toBe(leads.length);
			const names = leads.map((lead) => lead.author?.name);
			const table = editor.outputPanel.getByTestId('ndv-data-container');
			const shown = await settled(
				() => table.innerText(),
				(text) => names.every((name) => !!name && text.includes(name)),
				30_000,
			);
			for (const name of names) expect(shown).toContain(name);
			// The picture: the table scrolled to the author column.
			await editor.outputPanel
				.locator('th')
				.filter({ hasText: /^author$/ })
				.first()
				.scrollIntoViewIfNeeded();
			await screenshot(browser.page, 'lead-search-output', { readme: true });
			await editor.closeNode();
		},
	);

	step(
		'5. the Nyne Trigger: its panel shows the Production URL and the notice on how to use it',
		async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Nyne');
			await editor.nodeItem(nyne.displayName).click();
			const [triggerItem] = await editor.categoryItemNames('Triggers');
			await editor.addFromPanel('Triggers', triggerItem);
			await expect(
				browser.page
					.locator(`[data-test-id="canvas-node"][data-node-type="${NYNE_TRIGGER_TYPE}"]`)
					.count(),
			).resolves.toBe(1);

			const webhooks = editor.ndv.locator('.webhooks');
			if (!(await editor.ndv.getByTestId('radio-button-production').isVisible()))
				await webhooks.getByText('Webhook URLs').click();
			await editor.ndv.getByTestId('radio-button-production').click();
			const webhookPath = trigger.webhooks?.[0]?.path as string;
			const url = (await webhooks.locator('.webhook-url').innerText()).trim();
			expect(url).toMatch(
				new RegExp(`^${n8n.baseUrl.replace(/[.]/g, '\\.')}/webhook/[0-9a-f-]{36}/${webhookPath}$`),
			);

			const notices = shownProperties(trigger).filter((property) => property.type === 'notice');
			expect(notices.length).toBeGreaterThan(0);
			const texts = (await editor.shownParameters()).flatMap((entry) =>
				entry.kind === 'text' ? [entry.text] : [],
			);
			expect(texts).toEqual(notices.map((notice) => notice.displayName));
			expect(await editor.shownFieldLabels()).toEqual(shownFieldLabels(trigger));
			await screenshot(browser.page, 'nyne-trigger', { readme: true });
			await editor.closeNode();
		},
	);

	step(
		'6. Search Leads with a 5-character description: the output panel shows the error naming Search Description',
		async () => {
			await editor.newWorkflow();
			await editor.searchNodes('Nyne');
			await editor.nodeItem(nyne.displayName).click();
			await editor.addFromPanel('Actions', operation('searchLeads').action as string);
			const submitsBefore = acceptedSubmits(sim).length;
			await editor.fill('searchDescription', 'short');
			await editor.executeStep();
			const shown = await settled(
				() => editor.outputPanel.innerText(),
				(text) => /Search Description/.test(text),
				60_000,
			);
			expect(shown).toMatch(/Search Description\b.*characters/);
			await screenshot(browser.page, 'search-description-error');
			expect(acceptedSubmits(sim).length).toBe(submitsBefore); // refused before anything was sent
			await editor.closeNode();
		},
	);
});

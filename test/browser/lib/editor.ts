/**
 * What a person does in n8n 2.41's editor, by n8n's own data-test-id attributes where it has them.
 */
import type { Locator, Page } from 'playwright-core';

/** The little of a DOM element read inside the page (the project compiles without the DOM library). */
interface PageElement {
	innerText: string;
	offsetParent: unknown;
	parentElement: PageElement | null;
	getAttribute(name: string): string | null;
	querySelector(selector: string): PageElement | null;
	querySelectorAll(selector: string): ArrayLike<PageElement>;
	closest(selector: string): PageElement | null;
}

/** Loading the editor itself (a large single-page app) can take long on a busy machine. */
const PAGE_LOAD_TIMEOUT_MS = 150_000;

/** One top-level entry of a node's Parameters tab, as shown. */
export type ShownParameter =
	{ kind: 'credential' } | { kind: 'field'; label: string } | { kind: 'text'; text: string };

export class Editor {
	constructor(readonly page: Page) {}

	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto('/signin', { waitUntil: 'domcontentloaded' });
		await this.page
			.getByTestId('emailOrLdapLoginId')
			.locator('input')
			.waitFor({ timeout: PAGE_LOAD_TIMEOUT_MS });
		await this.page.getByTestId('emailOrLdapLoginId').locator('input').fill(email);
		await this.page.getByTestId('password').locator('input').fill(password);
		await this.page.getByTestId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'), {
			timeout: PAGE_LOAD_TIMEOUT_MS,
		});
	}

	/** An empty workflow's canvas, ready for its first node. */
	async newWorkflow(): Promise<void> {
		await this.page.goto('/workflow/new', { waitUntil: 'domcontentloaded' });
		await this.page.getByTestId('canvas-add-button').waitFor({ timeout: PAGE_LOAD_TIMEOUT_MS });
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`/workflow/${id}`, { waitUntil: 'domcontentloaded' });
		await this.page.getByTestId('canvas-node').first().waitFor({ timeout: PAGE_LOAD_TIMEOUT_MS });
	}

	// ------------------------------------------------------------------ node panel (n8n's "node creator")

	get nodeCreator(): Locator {
		return this.page.getByTestId('node-creator');
	}

	nodeCreatorItems(): Locator {
		return this.nodeCreator.getByTestId('item-iterator-item');
	}

	async searchNodes(text: string): Promise<void> {
		await this.page.getByTestId('node-creator-plus-button').click();
		await this.page.getByTestId('node-creator-search-bar').fill(text);
	}

	/** Search for `text` and open the package's entry, whose panel lists its actions and triggers. */
	async openNodeInPanel(search: string, displayName: string): Promise<void> {
		await this.searchNodes(search);
		await this.nodeItem(displayName).click();
		await this.nodeCreator.getByTestId('node-creator-category-item').first().waitFor();
	}

	/** A search result by its exact name. */
	nodeItem(displayName: string): Locator {
		return this.nodeCreatorItems().filter({
			has: this.page.getByTestId('node-creator-item-name').getByText(displayName, { exact: true }),
		});
	}

	/** Names of the items listed under a category ("Actions", "Triggers") of an opened node, in order; opens a closed category. */
	async categoryItemNames(category: string): Promise<string[]> {
		const names = await this.readCategory(category);
		if (names.length > 0) return names;
		await this.nodeCreator
			.getByTestId('node-creator-category-item')
			.filter({ hasText: category })
			.click();
		await this.nodeCreatorItems().first().waitFor();
		return this.readCategory(category);
	}

	private readCategory(category: string): Promise<string[]> {
		return this.nodeCreator.evaluate((root, wanted) => {
			const entries = Array.from(
				(root as unknown as PageElement).querySelectorAll('[data-keyboard-nav-id]'),
			);
			const isCategory = (entry: (typeof entries)[number]) =>
				entry.getAttribute('data-keyboard-nav-type') === 'category';
			const start = entries.findIndex(
				(entry) => isCategory(entry) && entry.getAttribute('data-keyboard-nav-id') === wanted,
			);
			const names: string[] = [];
			for (let i = start + 1; start >= 0 && i < entries.length && !isCategory(entries[i]); i++) {
				const name = entries[i].querySelector('[data-test-id="node-creator-item-name"]');
				names.push(name?.innerText.trim() ?? '');
			}
			return names;
		}, category);
	}

	/** Click an item of a category of the opened node's panel by its name; the node is added and its panel opens. */
	async addFromPanel(category: string, itemName: string): Promise<void> {
		await this.categoryItemNames(category);
		await this.nodeCreatorItems()
			.filter({
				has: this.page.getByTestId('node-creator-item-name').getByText(itemName, { exact: true }),
			})
			.click();
		await this.ndv.waitFor();
	}

	// --------------------------------------------------------------------------- node details view (NDV)

	get ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	get outputPanel(): Locator {
		return this.page.getByTestId('output-panel');
	}

	canvasNode(name: string): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	async openNode(name: string): Promise<void> {
		await this.canvasNode(name).dblclick();
		await this.ndv.waitFor();
	}

	async closeNode(): Promise<void> {
		await this.page.getByTestId('ndv-close-button').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	parameter(name: string): Locator {
		return this.ndv.getByTestId(`parameter-input-${name}`);
	}

	/** The choices of an options parameter as its dropdown lists them (first line of each: the name). */
	async dropdownChoices(name: string): Promise<string[]> {
		await this.parameter(name).click();
		const list = this.page.getByRole('option');
		await list.first().waitFor();
		const texts = await list.allInnerTexts();
		await this.page.keyboard.press('Escape');
		return texts.map((text) => text.split('\n')[0].trim());
	}

	async choose(name: string, choice: string): Promise<void> {
		await this.parameter(name).click();
		await this.page
			.getByRole('option')
			.filter({ has: this.page.getByText(choice, { exact: true }) })
			.first()
			.click();
	}

	async fill(name: string, value: string): Promise<void> {
		await this.parameter(name).locator('input, textarea').first().fill(value);
	}

	/** The Parameters tab's top-level entries, top to bottom, as shown (hidden ones and nested ones left out). */
	shownParameters(): Promise<ShownParameter[]> {
		return this.ndv.getByTestId('node-parameters').evaluate((root) => {
			const items = Array.from(
				(root as unknown as PageElement).querySelectorAll('[data-test-id="parameter-item"]'),
			).filter(
				(item) =>
					item.offsetParent !== null &&
					!item.parentElement?.closest('[data-test-id="parameter-item"]'),
			);
			const shown: ShownParameter[] = [];
			for (const item of items) {
				// n8n renders the credential selector inside the first parameter's entry.
				const hasCredential = !!item.querySelector('[data-test-id="node-credentials-slot"]');
				if (hasCredential) shown.push({ kind: 'credential' });
				const label = item.querySelector('[data-test-id="input-label"]');
				if (label)
					shown.push({
						kind: 'field',
						label: label.innerText
							.split('\n')[0]
							.replace(/\s*\*$/, '')
							.trim(),
					});
				else if (!hasCredential) shown.push({ kind: 'text', text: item.innerText.trim() });
			}
			return shown;
		});
	}

	async shownFieldLabels(): Promise<string[]> {
		return (await this.shownParameters()).flatMap((entry) =>
			entry.kind === 'field' ? [entry.label] : [],
		);
	}

	async executeStep(): Promise<void> {
		await this.ndv.getByTestId('node-execute-button').first().click();
	}

	/** "N items" of the output panel, as a number. */
	async outputItemCount(): Promise<number> {
		const text = await this.outputPanel.getByTestId('ndv-items-count').innerText();
		const match = /(\d+)\s+items?/.exec(text);
		if (!match) throw new Error(`output panel item count reads "${text}"`);
		return Number(match[1]);
	}

	// ------------------------------------------------------------------------------------- credentials

	get credentialModal(): Locator {
		return this.page.getByTestId('editCredential-modal');
	}

	async createCredentialFromNode(): Promise<void> {
		await this.ndv.getByTestId('node-credentials-select').click();
		await this.page.getByTestId('node-credentials-select-item-new').click();
		await this.credentialModal.waitFor();
	}

	async editNodeCredential(): Promise<void> {
		await this.ndv.getByTestId('credential-edit-button').click();
		await this.credentialModal.waitFor();
	}

	credentialField(name: string): Locator {
		return this.credentialModal.getByTestId(`parameter-input-${name}`).locator('input');
	}

	async saveCredential(): Promise<void> {
		await this.credentialModal.getByTestId('credential-save-button').click();
	}

	async closeCredential(): Promise<void> {
		await this.credentialModal.locator('.el-dialog__close').first().click();
		await this.credentialModal.waitFor({ state: 'hidden' });
	}
}

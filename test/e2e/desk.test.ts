import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { contrastRatio, go, host, launch, linkColours, open, problemsOf, shot } from './harness.js';

/** The finance desk in a real browser on the demo company: language, layout, keyboard, messages, contrast. */
describe('the finance desk', () => {
  let browser: Browser;
  let web: WebHost;
  let page: Page;
  beforeAll(async () => {
    browser = await launch();
    web = await host();
    page = await open(browser, web.url);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('first sync: the state cards count up while it runs, and progress is said once', async () => {
    // AvaTax answers slowly here, so the run lasts long enough to watch.
    const avatax = web.controller.workspace.sandboxes!.avatax.server;
    avatax.injectFault({ path: /^\/api\/v2\/transactions\/create/, fault: { kind: 'delay', ms: 120 }, times: 400 });
    try {
      await expect(page.getByTestId('count-posted').textContent()).resolves.toBe('0');
      await page.getByRole('button', { name: 'Sync now' }).click();
      const progress = page.getByTestId('sync-progress');
      await progress.getByText(/^\d+ of \d+ documents$/).waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        () =>
          ['posted', 'calculated', 'flagged', 'needs-attention'].some(
            (s) => Number(document.querySelector(`[data-testid="count-${s}"]`)?.textContent) > 0,
          ),
        undefined,
        { timeout: 30_000 },
      );
      await expect(progress.isVisible(), 'counts moved while the sync was still running').resolves.toBe(true);
      const said = (await progress.textContent()) ?? '';
      expect(said.match(/\d+ of \d+/g)).toHaveLength(1);
      await shot(page, 'desk-00-first-sync-counting');
    } finally {
      avatax.clearFaults();
    }
    await page.locator('[data-testid="last-outcome"].outcome-completed').waitFor({ timeout: 150_000 });
  });

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1440, height: 900 },
  ]) {
    it(`the detail panel leaves Amount, Tax and State in view at ${viewport.width}×${viewport.height}`, async () => {
      const p = await open(browser, web.url, { viewport });
      await go(p, 'transactions');
      await p.locator('.vtable-row').first().click();
      const panel = await p.getByRole('complementary').boundingBox();
      const table = await p.locator('.vtable-body').boundingBox();
      expect(panel && table).toBeTruthy();
      const right = Math.min(panel!.x, table!.x + table!.width);
      for (const name of ['Amount', 'Tax', 'State']) {
        const header = p.getByRole('table', { name: 'Documents' }).getByRole('columnheader', { name, exact: true });
        const box = await header.boundingBox();
        expect(box, `${name} header`).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(table!.x);
        expect(box!.x + box!.width, `${name} ends before the panel`).toBeLessThanOrEqual(right + 0.5);
      }
      // Amounts are never cut; a cut cell (customer, state) shows its full text, not the customer number, on hover.
      const clipped = await p
        .locator('.vtable-row [data-column="amount"], .vtable-row [data-column="tax"]')
        .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).length);
      expect(clipped).toBe(0);
      const customer = p.locator('.vtable-row').first().locator('[data-column="customer"]');
      await expect(customer.getAttribute('title')).resolves.toBe(await customer.textContent());
      const state = p.locator('.vtable-row').first().locator('[data-column="state"]');
      await expect(state.getAttribute('title')).resolves.toBe(await state.textContent());
      await shot(p, `desk-10-detail-panel-${viewport.width}x${viewport.height}`);
      await p.context().close();
    });
  }

  it('keyboard: ↑/↓ move the selection and the panel follows; Escape closes it; tabs move with ←/→/Home/End', async () => {
    const p = await open(browser, web.url);
    await go(p, 'transactions');
    const rows = p.locator('.vtable-row');
    await rows.first().click();
    const panelTitle = p.getByRole('complementary').getByRole('heading', { level: 2 });
    const numberOf = (i: number) => rows.nth(i).locator('[data-column="ref"]').textContent();
    await expect(panelTitle.textContent()).resolves.toContain(await numberOf(0));
    await p.keyboard.press('ArrowDown');
    await expect(p.locator('.vtable-row.selected').getAttribute('data-index')).resolves.toBe('1');
    await p.waitForFunction(
      (n) => document.querySelector('aside.detail h2')?.textContent?.includes(n ?? '?'),
      await numberOf(1),
    );
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowUp');
    await expect(p.locator('.vtable-row.selected').getAttribute('data-index')).resolves.toBe('1');
    await p.waitForFunction(
      (n) => document.querySelector('aside.detail h2')?.textContent?.includes(n ?? '?'),
      await numberOf(1),
    );
    await shot(p, 'desk-30-keyboard-panel-follows');
    await p.keyboard.press('Escape');
    await p.getByRole('complementary').waitFor({ state: 'detached' });
    await expect(p.evaluate(() => document.activeElement?.getAttribute('data-index'))).resolves.toBe('1');

    const tabs = p.getByRole('tablist', { name: 'Document states' });
    const selectedTab = () => tabs.locator('[role="tab"][aria-selected="true"]').textContent();
    await tabs.getByRole('tab', { name: 'All' }).focus();
    await p.keyboard.press('ArrowLeft');
    await expect(selectedTab()).resolves.toBe('Posted');
    await expect(p.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Posted');
    await p.keyboard.press('Home');
    await expect(selectedTab()).resolves.toBe('Pending');
    await p.keyboard.press('ArrowLeft');
    await expect(selectedTab()).resolves.toBe('All');
    await p.keyboard.press('Home');
    await p.keyboard.press('ArrowRight');
    await expect(selectedTab()).resolves.toBe('Flagged');
    await p.keyboard.press('End');
    await expect(selectedTab()).resolves.toBe('All');
    await expect(tabs.locator('[role="tab"][tabindex="0"]').count()).resolves.toBe(1);
    await shot(p, 'desk-31-keyboard-tabs');
    await p.context().close();
  });

  it('an error toast sits beside the table, never on it, and leaves by itself after 10 seconds', async () => {
    const p = await open(browser, web.url, { viewport: { width: 1366, height: 768 } });
    const visma = web.controller.workspace.sandboxes!.visma.server;
    visma.injectFault({
      method: 'PUT',
      path: /^\/v1\/(customer|location)\//i,
      fault: { kind: 'status', status: 400, body: { message: 'The address was rejected' } },
      times: 20,
    });
    try {
      await go(p, 'flagged');
      await p.getByRole('button', { name: /Lone Star Fika Co\./ }).click();
      await p.getByRole('button', { name: 'Use suggestion' }).click();
      await p.getByRole('button', { name: 'Use the suggested address' }).click();
      await p.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
      const toast = p.locator('.toast.error');
      await toast.waitFor({ timeout: 30_000 });
      const shown = performance.now();
      const box = (await toast.boundingBox())!;
      const main = (await p.locator('main').boundingBox())!;
      expect(box.x + box.width, 'the toast ends before the content area').toBeLessThanOrEqual(main.x);
      expect(box.y + box.height).toBeLessThanOrEqual(768);
      await shot(p, 'desk-20-error-toast-beside-the-content');
      // The corrected address the user typed (here: took from AvaTax) is still there to try again.
      await expect(p.getByLabel('Street', { exact: true }).inputValue()).resolves.toBe('1999 Marilla St');
      await p.waitForTimeout(6_000);
      await expect(toast.isVisible(), 'an error stays long enough to read').resolves.toBe(true);
      await toast.waitFor({ state: 'detached', timeout: 6_000 });
      expect(performance.now() - shown).toBeGreaterThanOrEqual(9_000);
    } finally {
      visma.clearFaults();
      await p.context().close();
    }
  });

  it('messages in words: state labels in toasts, friendly settings problems that leave when fixed, secret hints', async () => {
    const p = await open(browser, web.url);
    await go(p, 'flagged');
    await p.getByRole('button', { name: /Schröder Maschinenbau AG/ }).click();
    const boxes = await p.locator('.flag-editor tbody input[type="checkbox"]').all();
    for (const box of boxes) await box.check();
    const n = boxes.length;
    expect(n).toBeGreaterThan(1);
    await p.getByRole('button', { name: new RegExp(`^Reprocess selected \\(${n}\\)$`) }).click();
    const toast = p.getByTestId('toasts').getByText(new RegExp(`^${n} documents reprocessed: `));
    await toast.waitFor({ timeout: 30_000 });
    const said = (await toast.textContent())!;
    expect(said).toMatch(
      new RegExp(
        `^${n} documents reprocessed: \\d+ (Flagged address|Posted|Calculated, awaiting release|Needs attention)`,
      ),
    );
    expect(said).not.toMatch(/\b(flagged|posted|calculated|needs-attention|pending-retry)\b/);

    await go(p, 'settings');
    const secretHint = p.locator('.field:has(#visma-secret) .hint');
    await expect(secretHint.textContent()).resolves.toBe('Not set');
    await p.locator('#visma-secret').fill('s3cret');
    await expect(secretHint.textContent()).resolves.toBe('Will be saved encrypted when you save settings');
    await p.locator('#visma-secret').fill('');
    await p.locator('#concurrency').fill('');
    await p.getByRole('button', { name: 'Save Sync' }).click();
    const banner = p.getByTestId('settings-errors-sync');
    await expect(banner.textContent()).resolves.toBe('Please fix:Sync › Documents in parallel: must be at least 1');
    await shot(p, 'desk-40-settings-friendly-problem');
    await p.locator('#concurrency').fill('4');
    await banner.waitFor({ state: 'detached', timeout: 2_000 });
    await shot(p, 'desk-41-settings-problem-fixed');
    await p.context().close();
  });

  it('dark mode: every link, the CSV downloads included, reads at 4.5:1 or better', async () => {
    const p = await open(browser, web.url, { dark: true });
    await expect(p.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await go(p, 'audit');
    await p.getByRole('button', { name: 'Export month CSV' }).click();
    await p.getByRole('button', { name: 'Download audit CSV' }).waitFor({ timeout: 30_000 });
    await shot(p, 'desk-50-dark-download-links');
    const onAudit = await linkColours(p);
    expect(onAudit.map((l) => l.text)).toEqual(
      expect.arrayContaining(['Connect your company', 'Download audit CSV', 'Download documents CSV']),
    );
    await go(p, 'transactions');
    await p.locator('.vtable-row').first().waitFor();
    const onTransactions = await linkColours(p);
    expect(onTransactions.map((l) => l.text)).toContain('Clear filters');
    for (const link of [...onAudit, ...onTransactions]) {
      expect(
        contrastRatio(link.color, link.background),
        `${link.text}: ${link.color} on ${link.background}`,
      ).toBeGreaterThanOrEqual(4.5);
    }
    await p.context().close();
  });

  it('filters that match nothing say so, with a way out; a From date after the To date is refused in the filter bar', async () => {
    const p = await open(browser, web.url);
    await go(p, 'transactions');
    const rows = p.locator('.vtable-row');
    await rows.first().waitFor();
    await p.getByLabel('Search number, customer or AvaTax code').fill('no such customer anywhere');
    const empty = p.locator('.empty');
    await empty.getByText('No documents match these filters.').waitFor();
    await shot(p, 'desk-60-filters-match-nothing');
    await empty.getByRole('button', { name: 'Clear filters' }).click();
    await rows.first().waitFor();
    await expect(p.getByLabel('Search number, customer or AvaTax code').inputValue()).resolves.toBe('');

    const everything = await p.getByTestId('tx-total').textContent();
    await p.getByLabel('From', { exact: true }).fill('2026-11-20');
    await p.waitForFunction(
      (before) =>
        !/…/.test(document.querySelector('[data-testid="tx-total"]')?.textContent ?? '') &&
        document.querySelector('[data-testid="tx-total"]')?.textContent !== before,
      everything,
    );
    const total = await p.getByTestId('tx-total').textContent();
    await p.getByLabel('To', { exact: true }).fill('2026-11-01');
    const problem = p.getByRole('form', { name: 'Filters' }).getByRole('alert');
    await expect(problem.textContent()).resolves.toBe(
      'The From date is after the To date. Pick a From date on or before the To date.',
    );
    await expect(p.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await p.waitForTimeout(300);
    await expect(p.getByTestId('tx-total').textContent(), 'the refused range was not applied').resolves.toBe(total);
    await shot(p, 'desk-61-inverted-date-range');
    await p.getByLabel('From', { exact: true }).fill('2026-11-01');
    await problem.waitFor({ state: 'detached' });
    await p.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Clear filters' }).click();
    await p.context().close();
  });

  it('speaks the computer’s language: Swedish words, dates, amounts and plurals on a Swedish computer', async () => {
    const sv = await open(browser, web.url, { locale: 'sv-SE' });
    await sv.getByRole('heading', { name: 'Översikt' }).waitFor();
    await expect(sv.evaluate(() => document.documentElement.lang)).resolves.toBe('sv-SE');
    await expect(sv.getByRole('button', { name: 'Synka nu' }).isVisible()).resolves.toBe(true);
    await expect(sv.getByRole('button', { name: /^Bokförd: \d+ dokument$/ }).count()).resolves.toBe(1);
    await go(sv, 'transactions');
    await sv.getByRole('tab', { name: 'Bokförda' }).click();
    await sv.locator('.vtable-row').first().waitFor();
    await expect(sv.getByTestId('tx-total').textContent()).resolves.toMatch(/^\d[\d\s\u00a0]* dokument$/u);
    const cells = sv.locator('.vtable-row').first().locator('[role="cell"][data-column]');
    await expect(cells.nth(0).textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect(cells.nth(2).textContent()).resolves.toMatch(/^(Faktura|Kreditnota)$/);
    await expect(cells.nth(5).textContent()).resolves.toMatch(/\d,\d{2}\s?[A-Z]{3}$/u);
    await expect(sv.locator('.vtable-row .badge').first().textContent()).resolves.toBe('Bokförd');
    await shot(sv, 'desk-01-transactions-swedish');
    await go(sv, 'flagged');
    const counts = await sv.locator('.flag-item .muted').allTextContents();
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) expect(c).toMatch(/^\d+ dokument · /);
    await shot(sv, 'desk-02-flagged-swedish');
    expect(problemsOf(sv)).toEqual([]);
    await sv.context().close();
  });

  it('speaks Danish and German on those computers, with their plurals and date formats', async () => {
    for (const [locale, tab, plural] of [
      ['da-DK', 'Bogførte', /^\d[\d.]* dokumenter$/],
      ['de-DE', 'Gebucht', /^\d[\d.]* Belege$/],
    ] as const) {
      const p = await open(browser, web.url, { locale });
      await go(p, 'transactions');
      await p.getByRole('tab', { name: tab }).click();
      await p.locator('.vtable-row').first().waitFor();
      await expect(p.evaluate(() => document.documentElement.lang)).resolves.toBe(locale);
      await expect(p.getByTestId('tx-total').textContent()).resolves.toMatch(plural);
      const cells = p.locator('.vtable-row').first().locator('[role="cell"][data-column]');
      await expect(cells.nth(0).textContent()).resolves.toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
      await expect(cells.nth(5).textContent()).resolves.toMatch(/\d,\d{2}\s?[A-Z]{3}$/u);
      await shot(p, `desk-03-transactions-${locale}`);
      await p.context().close();
    }
  });

  it('a language saved in Settings wins over the computer’s, on every start', async () => {
    const p = await open(browser, web.url, { locale: 'sv-SE' });
    await go(p, 'settings');
    // Nothing saved yet: the select says Automatic (the computer's, Swedish), so saving other settings keeps it.
    await expect(p.locator('#locale').inputValue()).resolves.toBe('auto');
    await expect(p.locator('#locale option[value="auto"]').textContent()).resolves.toMatch(/Svenska/);
    await p.locator('#locale').selectOption('de-DE');
    await p.locator('fieldset[data-section="display"] button.save').click();
    await p.getByRole('heading', { name: 'Einstellungen' }).waitFor();
    await expect(p.evaluate(() => document.documentElement.lang)).resolves.toBe('de-DE');
    await shot(p, 'desk-04-settings-german');
    await p.context().close();

    const fresh = await open(browser, web.url, { locale: 'sv-SE' });
    await fresh.getByRole('heading', { name: 'Übersicht' }).waitFor();
    await expect(fresh.getByRole('button', { name: 'Jetzt synchronisieren' }).isVisible()).resolves.toBe(true);
    // Back to English, chosen on purpose this time, for whoever opens the app next.
    await go(fresh, 'settings');
    await fresh.locator('#locale').selectOption('en');
    await fresh.locator('fieldset[data-section="display"] button.save').click();
    await fresh.getByRole('heading', { name: 'Settings' }).waitFor();
    await fresh.context().close();
  });
});

import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/app/handlers.js';
import type { WebHost } from '../../electron/web-host.js';
import { go, host, launch, open, problemsOf, shot } from './harness.js';

/**
 * The accountant's desk, round 2 (issue 17), in Chromium on the demo company: every word in the user's language,
 * every figure where a decision is made. One test per finding; screenshots in test-results/e2e/desk2-*.png.
 */

/**
 * English words of the texts main now sends as codes: none may show on a Swedish, Danish or German screen.
 * TODO(issue 17, item 1): the engine's own texts (decide.ts, recorder.ts, steps.ts, sync-run.ts: "VAT differs:
 * Visma booked …", the sync's audit details) and Month-end's (electron/month/*) are converted by the engineers
 * restructuring those files; add their words here and the Needs attention tab, the detail panel's history and
 * Month-end to the screens checked once they are codes.
 */
const ENGLISH_REASON_WORDS =
  /\b(is missing|does not match the|must start with its|country prefix|not an ISO 3166|Every \d+ minutes?|on weekdays|every day|Manual: only|Settings saved|stored encrypted|view exported|Month \d{4}-\d{2} exported|changed in Visma by|AvaTax says|could not validate this address)\b/;

const LANGUAGES = [
  { locale: 'sv-SE', nav: { transactions: 'Transaktioner' }, flaggedTab: 'Flaggade' },
  { locale: 'da-DK', nav: { transactions: 'Transaktioner' }, flaggedTab: 'Markerede' },
  { locale: 'de-DE', nav: { transactions: 'Buchungen' }, flaggedTab: 'Markiert' },
] as const;

describe('the desk, round 2', () => {
  let browser: Browser;
  let web: WebHost;

  beforeAll(async () => {
    browser = await launch();
    web = await host();
    await web.controller.runSync('user');
    // A settings change, so the Audit screen has an entry whose words are codes.
    const handlers = createHandlers(web.controller);
    const view = await handlers['settings:get']({});
    await handlers['settings:save']({
      section: 'sync',
      settings: { ...view.settings, sync: { ...view.settings.sync, concurrency: 3 } },
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const lang of LANGUAGES) {
    it(`item 1: no English reason word on the ${lang.locale} screens whose words are codes`, async () => {
      const p = await open(browser, web.url, { locale: lang.locale });
      const screens: string[] = [];
      // Overview: the schedule.
      await p.getByTestId('schedule-label').waitFor();
      screens.push((await p.locator('main').textContent()) ?? '');
      await shot(p, `desk2-01-overview-${lang.locale}`);
      // Transactions, Flagged tab: the reason column.
      await go(p, 'transactions');
      await p.getByRole('tab', { name: lang.flaggedTab }).click();
      await p.locator('.vtable-row [data-column="reason"]').first().waitFor();
      const reasons = await p.locator('.vtable-row [data-column="reason"]').allTextContents();
      expect(reasons.length).toBeGreaterThan(0);
      screens.push(reasons.join('\n'));
      // The detail panel of a flagged document: its reasons.
      await p.locator('.vtable-row').first().click();
      await p.locator('aside.detail ul.reasons li').first().waitFor();
      screens.push((await p.locator('aside.detail ul.reasons').textContent()) ?? '');
      await shot(p, `desk2-02-flagged-reasons-${lang.locale}`);
      await p.keyboard.press('Escape');
      // Flagged addresses: the list and the editor's reasons.
      await go(p, 'flagged');
      await p.locator('.flag-item').first().waitFor();
      screens.push(
        ((await p.locator('.flag-list').textContent()) ?? '') +
          ((await p.locator('.flag-editor .reasons').textContent()) ?? ''),
      );
      await shot(p, `desk2-03-flagged-${lang.locale}`);
      // Audit: the details of a settings change (the sync's own entries are the engine's: see the TODO above).
      await go(p, 'audit');
      await p.locator('form.filters select').nth(1).selectOption('settings-changed');
      await p.waitForFunction(() => {
        const actions = [...document.querySelectorAll('.vtable-row [data-column="action"]')];
        return actions.length > 0 && actions.every((a) => a.textContent === actions[0]!.textContent);
      });
      screens.push((await p.locator('.vtable-row [data-column="detail"]').allTextContents()).join('\n'));
      await shot(p, `desk2-04-audit-${lang.locale}`);
      for (const s of screens) expect(s).not.toMatch(ENGLISH_REASON_WORDS);
      expect(problemsOf(p)).toEqual([]);
      await p.context().close();
    });
  }

  it('item 2: on a Swedish computer, "Automatic" exports with ; and decimal commas; a language can go back to Automatic', async () => {
    const p = await open(browser, web.url, { locale: 'sv-SE' });
    await go(p, 'settings');
    await expect(p.locator('#locale').inputValue()).resolves.toBe('auto');
    await expect(p.locator('#locale option[value="auto"]').textContent()).resolves.toMatch(/Svenska/);
    await go(p, 'audit');
    await p.getByRole('button', { name: 'Exportera månaden som CSV' }).click();
    await p.getByTestId('export-result').waitFor({ timeout: 30_000 });
    const exported = readFileSync(
      (await p.getByTestId('export-result').locator('code').first().textContent())!,
      'utf8',
    );
    const header = exported.replace(/^\uFEFF/, '').split('\r\n')[0]!;
    expect(header.startsWith('timestamp_utc;run_id;actor;action')).toBe(true);
    const documents = readFileSync(
      (await p.getByTestId('export-result').locator('code').nth(1).textContent())!,
      'utf8',
    );
    expect(documents).toMatch(/;\d+,\d{2};/);
    expect(documents).toMatch(/;bokförd;/i);
    await shot(p, 'desk2-10-export-swedish-automatic');
    // German saved, then back to following the computer.
    await go(p, 'settings');
    await p.locator('#locale').selectOption('de-DE');
    await p.locator('fieldset[data-section="display"] button.save').click();
    await p.getByRole('heading', { name: 'Einstellungen' }).waitFor();
    await p.locator('#locale').selectOption('auto');
    await p.locator('fieldset[data-section="display"] button.save').click();
    await p.getByRole('heading', { name: 'Inställningar' }).waitFor();
    await shot(p, 'desk2-11-language-back-to-automatic');
    await p.context().close();
    const fresh = await open(browser, web.url, { locale: 'da-DK' });
    await fresh.getByRole('heading', { name: 'Overblik' }).waitFor();
    await fresh.context().close();
  });

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1440, height: 900 },
  ]) {
    it(`item 3: Needs attention at ${viewport.width}×${viewport.height}: booked and AvaTax's VAT, totals in view, states uncut`, async () => {
      const p = await open(browser, web.url, { viewport });
      await go(p, 'transactions');
      await p.getByRole('tab', { name: 'Needs attention' }).click();
      const row = p
        .locator('.vtable-row', { has: p.locator('[data-column="reason"]', { hasText: /^VAT differs/ }) })
        .first();
      await row.waitFor();
      const tax = row.locator('[data-column="tax"]');
      await expect(tax.textContent()).resolves.not.toBe('—');
      await expect(tax.getByTestId('booked-tax').textContent()).resolves.toMatch(/\d/);
      await expect(tax.getByTestId('avatax-tax').textContent()).resolves.toMatch(/AvaTax.*\d/);
      // Totals: the VAT Visma booked is said; no 0.00 where nothing was counted.
      const totals = p.getByTestId('totals');
      for (const line of await totals.locator('.vtable-total').all())
        await expect(line.locator('[data-column="tax"]').textContent()).resolves.not.toMatch(/^0[.,]00$/);
      await expect(totals.textContent()).resolves.toMatch(/Visma booked/);
      // The totals sit in the window, not below it in a second scroll.
      const box = (await totals.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      await expect(
        p.evaluate(() => document.querySelector('main')!.scrollHeight - document.querySelector('main')!.clientHeight),
      ).resolves.toBeLessThanOrEqual(1);
      // No state is cut; the reason column is the widest of the text columns.
      await go(p, 'overview');
      await go(p, 'transactions');
      await p.getByRole('tab', { name: 'All' }).click();
      await p.locator('.vtable-row').first().waitFor();
      const cut = await p
        .locator('.vtable-row [data-column="state"]')
        .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
      expect(cut).toEqual([]);
      const width = async (id: string) =>
        (await p.getByRole('table', { name: 'Documents' }).locator(`.vtable-head [data-column="${id}"]`).boundingBox())
          ?.width ?? 0;
      // Country gives way first on a narrow window (fitColumns); when shown, it is narrower than the reason.
      const head = p.getByRole('table', { name: 'Documents' }).locator('.vtable-head');
      expect(await width('reason')).toBeGreaterThan(await width('type'));
      if ((await head.locator('[data-column="country"]').count()) > 0)
        expect(await width('reason')).toBeGreaterThan(await width('country'));
      await p.getByRole('tab', { name: 'Needs attention' }).click();
      await p.locator('.vtable-row').first().waitFor();
      await shot(p, `desk2-20-needs-attention-${viewport.width}x${viewport.height}`);
      await p.context().close();
    });
  }

  it('item 5: Accept as booked asks with the figures being signed, for one document and for several', async () => {
    const p = await open(browser, web.url);
    await go(p, 'transactions');
    await p.getByRole('tab', { name: 'Needs attention' }).click();
    const variances = p.locator('.vtable-row', {
      has: p.locator('[data-column="reason"]', { hasText: /^VAT differs/ }),
    });
    await variances.first().waitFor();
    await variances.first().click();
    await p.getByRole('button', { name: 'Accept as booked' }).click();
    const one = p.getByTestId('accept-dialog');
    await one.getByTestId('accept-figures').waitFor();
    await expect(one.getByTestId('accept-figures').locator('tfoot').textContent()).resolves.toMatch(/\d.*\d/);
    await shot(p, 'desk2-30-accept-one-figures');
    await one.getByRole('button', { name: 'Cancel' }).click();
    await p.keyboard.press('Escape');
    const boxes = variances.locator('input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await p.getByRole('button', { name: /^Accept as booked \(2\)$/ }).click();
    const bulk = p.getByTestId('bulk-accept-dialog');
    const figures = bulk.getByTestId('accept-figures');
    await expect(figures.locator('tbody tr').count()).resolves.toBe(2);
    await expect(figures.locator('tfoot').textContent()).resolves.toMatch(/\d/);
    await shot(p, 'desk2-31-accept-bulk-figures');
    await bulk.getByRole('button', { name: 'Cancel' }).click();
    await p.context().close();
  });

  it('item 6: Settings refuses what it used to take, in the form’s words; opens at its top; the Overview follows', async () => {
    const p = await open(browser, web.url);
    // The scroll of another screen does not carry over.
    await go(p, 'transactions');
    await p.evaluate(() => document.querySelector('main')!.scrollTo(0, 1200));
    await go(p, 'settings');
    await p.locator('#locale').waitFor();
    await expect(p.evaluate(() => document.querySelector('main')!.scrollTop)).resolves.toBe(0);
    // An empty rate is not "any rate".
    const rate = p.getByLabel('Row 1 rate in percent', { exact: true });
    await rate.fill('');
    await p.locator('fieldset[data-section="mapping"] button.save').click();
    const mapping = p.getByTestId('settings-errors-mapping');
    await expect(mapping.textContent()).resolves.toMatch(/row 1 › Rate %: must be a percentage/i);
    await rate.fill('25');
    // A first-run date of 1999 or 2030.
    for (const date of ['1999-01-01', '2030-01-01']) {
      await p.locator('#start-from').fill(date);
      await p.getByRole('button', { name: 'Save Sync' }).click();
      await expect(p.getByTestId('settings-errors-sync').textContent()).resolves.toMatch(/First run starts from/);
    }
    await p.locator('#start-from').fill('');
    // An API URL with spaces; a company code too long: said in words, never zod's English.
    await p.locator('#visma-api').fill('https://api.finance.visma.net/ v1');
    await p.getByRole('button', { name: 'Save Visma' }).click();
    await expect(p.getByTestId('settings-errors-visma').textContent()).resolves.toMatch(
      /API URL: must not contain spaces/,
    );
    await p.locator('#visma-api').fill('https://api.finance.visma.net');
    await p.locator('#ava-company').fill('X'.repeat(60));
    await p.getByRole('button', { name: 'Test AvaTax connection' }).click();
    const avatax = p.getByTestId('settings-errors-avalara');
    await expect(avatax.textContent()).resolves.toMatch(/Company code: must be at most 50 characters/);
    await expect(p.locator('main').textContent()).resolves.not.toMatch(/Too big|expected string/);
    await p.locator('#ava-company').fill('DEFAULT');
    await shot(p, 'desk2-40-settings-refusals');
    // A schedule saved: the Overview says the next run, at once.
    await p.locator('#schedule-mode').selectOption('interval');
    await p.getByRole('button', { name: 'Save Sync' }).click();
    await p.getByText('Saved.').first().waitFor();
    await go(p, 'overview');
    // Refreshed after the save, not by the half-minute status poll: within 5 s on a loaded machine.
    await p
      .getByTestId('schedule-label')
      .filter({ hasText: /^Every 15 minutes$/ })
      .waitFor({ timeout: 5_000 });
    await expect(p.getByTestId('next-run').textContent()).resolves.toMatch(/\d{2}:\d{2}/);
    await shot(p, 'desk2-41-overview-after-schedule');
    // A search of more than 100 characters is cut at 100, and says nothing the app refused.
    await go(p, 'transactions');
    const search = p.getByLabel('Search number, customer or AvaTax code');
    await search.fill('x'.repeat(150));
    await expect(search.inputValue()).resolves.toHaveLength(100);
    await p.getByTestId('no-match').waitFor();
    await expect(p.locator('main .alert.error').count()).resolves.toBe(0);
    await p.context().close();
  });

  it('item 7: a dry run or a backfill with no documents says so plainly', async () => {
    const p = await open(browser, web.url);
    await p.locator('.sidebar button[data-screen="month-end"]').click();
    const dry = p.getByTestId('dry-run');
    await dry.getByLabel('Customer number', { exact: true }).fill('abc');
    await dry.getByRole('button', { name: 'Run dry run' }).click();
    const empty = p.getByTestId('dry-run-empty');
    await empty.waitFor({ timeout: 30_000 });
    await expect(p.getByTestId('dry-run').textContent()).resolves.not.toMatch(/same VAT as Visma booked on every/);
    await shot(p, 'desk2-50-dry-run-no-documents');
    const backfill = p.getByTestId('backfill');
    await backfill.getByLabel('From', { exact: true }).fill('2027-01-01');
    await backfill.getByLabel('To', { exact: true }).fill('2027-12-31');
    await backfill.getByRole('button', { name: 'Start backfill' }).click();
    await p.getByTestId('backfill-empty').waitFor({ timeout: 30_000 });
    await expect(p.getByTestId('backfill').textContent()).resolves.not.toMatch(/0 of 0/);
    await shot(p, 'desk2-51-backfill-no-documents');
    await p.context().close();
  });

  it('item 8: the audit shows settings changes old → new; a reprocess that posted one says one document', async () => {
    const p = await open(browser, web.url);
    await go(p, 'audit');
    await p.locator('form.filters select').nth(1).selectOption('settings-changed');
    await p.locator('.vtable-row').first().waitFor();
    const details = await p.locator('.vtable-row [data-column="detail"]').allTextContents();
    expect(details.some((d) => /Sync › documents in parallel: 4 → 3/.test(d))).toBe(true);
    expect(details.join(' ')).not.toMatch(/no change/);
    await shot(p, 'desk2-60-audit-settings-old-new');
    const flagged = (await web.controller.workspace.store.ledger.byState('needs-attention'))[0]!;
    await web.controller.workspace.engine.reprocess([flagged.referenceNumber], 'user');
    await go(p, 'overview');
    const history = p.getByTestId('run-history');
    await history.locator('tbody tr').first().waitFor();
    await p.reload();
    const first = p.getByTestId('run-history').locator('tbody tr').first();
    await expect(first.locator('td').nth(1).textContent()).resolves.toBe('Reprocess');
    await expect(first.locator('td').nth(4).textContent()).resolves.toBe('1');
    await p.context().close();
  });

  it('item 9: search ignores accents: "Cafe" finds "Café Blåbär HB"', async () => {
    const p = await open(browser, web.url);
    await go(p, 'transactions');
    await p.getByLabel('Search number, customer or AvaTax code').fill('Cafe');
    await p.waitForFunction(() => {
      const cells = [...document.querySelectorAll('.vtable-row [data-column="customer"]')];
      return cells.length > 0 && cells.every((c) => c.textContent === 'Café Blåbär HB');
    });
    const customers = new Set(await p.locator('.vtable-row [data-column="customer"]').allTextContents());
    expect([...customers]).toEqual(['Café Blåbär HB']);
    await shot(p, 'desk2-70-search-without-accents');
    await p.context().close();
  });

  it('item 10: browser mode says what is wrong: a wrong token, a stopped server; Export this view offers the file', async () => {
    const wrong = await open(browser, web.url.replace(/#token=.*/, '#token=wrong'));
    await wrong.getByTestId('access-denied').waitFor();
    await expect(wrong.locator('.sidebar').count()).resolves.toBe(0);
    await shot(wrong, 'desk2-80-wrong-token');
    await wrong.context().close();
    const none = await open(browser, web.url.replace(/#token=.*/, ''));
    await none.getByTestId('access-denied').waitFor();
    await none.context().close();

    const p = await open(browser, web.url);
    await go(p, 'transactions');
    await p.locator('.vtable-row').first().waitFor();
    const [download] = await Promise.all([
      p.waitForEvent('download', { timeout: 30_000 }),
      p.getByRole('button', { name: 'Export this view' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^transactions-.*\.csv$/);
    await shot(p, 'desk2-81-export-view-download');
    await p.context().close();

    // The host stops: the page says so over what it shows, never "Failed to fetch".
    const other = await host();
    const q = await open(browser, other.url);
    await q.getByTestId('count-posted').waitFor();
    await other.close();
    await go(q, 'transactions');
    await q.getByTestId('server-gone').waitFor({ timeout: 30_000 });
    await expect(q.locator('body').textContent()).resolves.not.toMatch(/Failed to fetch/);
    await expect(q.locator('main').getAttribute('class')).resolves.toBe('stale');
    await shot(q, 'desk2-83-server-stopped');
    await q.context().close();
  });

  it('item 10: a failed connection test is not shown in another window whose fields show other values', async () => {
    const a = await open(browser, web.url);
    await go(a, 'settings');
    await a.locator('#visma-tenant').fill('someone-else');
    await a.locator('#visma-client').fill('typo');
    await a.locator('#visma-secret').fill('wrong');
    await a.getByRole('button', { name: 'Test Visma connection' }).click();
    await a.locator('fieldset[data-section="visma"] .test-row .bad').waitFor({ timeout: 30_000 });
    const b = await open(browser, web.url);
    await go(b, 'settings');
    await b.locator('#visma-tenant').waitFor();
    await expect(b.locator('fieldset[data-section="visma"] .test-row [role="status"]').count()).resolves.toBe(0);
    await shot(b, 'desk2-82-other-window-no-stale-test');
    await a.context().close();
    await b.context().close();
  });

  it('item 12: the finish: selects side by side, Swedish detail with its VAT code column, no "9000 , DK"', async () => {
    const p = await open(browser, web.url, { viewport: { width: 1366, height: 768 } });
    await go(p, 'settings');
    const commit = (await p.locator('#commit-policy').boundingBox())!;
    const schedule = (await p.locator('#schedule-mode').boundingBox())!;
    const overlaps =
      commit.x < schedule.x + schedule.width &&
      schedule.x < commit.x + commit.width &&
      commit.y < schedule.y + schedule.height &&
      schedule.y < commit.y + commit.height;
    expect(overlaps).toBe(false);
    await shot(p, 'desk2-90-settings-selects');
    // The chosen option's words fit the select: it is at least as wide as the text it shows.
    const fits = await p.locator('#commit-policy').evaluate((s) => {
      const select = s as HTMLSelectElement;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(select).font;
      probe.textContent = select.selectedOptions[0]?.textContent ?? '';
      document.body.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width + 24 <= select.clientWidth;
    });
    expect(fits).toBe(true);
    await p.context().close();
    const sv = await open(browser, web.url, { locale: 'sv-SE', viewport: { width: 1366, height: 768 } });
    await go(sv, 'transactions');
    await sv.getByRole('tab', { name: 'Bokförda' }).click();
    await sv.locator('.vtable-row').first().click();
    // The lines table's last column, the VAT code, inside the panel.
    const vatCode = sv.locator('aside.detail .line-results thead th').last();
    await vatCode.waitFor();
    await expect(vatCode.textContent()).resolves.toBe('Momskod');
    await vatCode.scrollIntoViewIfNeeded();
    const panel = (await sv.locator('aside.detail').boundingBox())!;
    const cell = (await vatCode.boundingBox())!;
    expect(cell.x + cell.width).toBeLessThanOrEqual(panel.x + panel.width);
    await shot(sv, 'desk2-91-detail-swedish-vat-code');
    await sv.context().close();
    // The address form: State and Country labels in one line; an error list's bullets inside its box.
    const form = await open(browser, web.url, { viewport: { width: 1366, height: 768 } });
    await go(form, 'flagged');
    await form.locator('.flag-item').first().click();
    const labelY = async (id: string) => (await form.locator(`label[for="${id}"]`).boundingBox())!.y;
    expect(Math.abs((await labelY('addr-region')) - (await labelY('addr-country')))).toBeLessThanOrEqual(1);
    await form.locator('#addr-line1').fill('');
    await form.locator('#addr-city').fill('');
    await form.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    const problems = form.getByTestId('fix-problems');
    await problems.waitFor();
    const box = (await problems.boundingBox())!;
    const bullet = await problems
      .locator('li')
      .first()
      .evaluate((li) => li.getBoundingClientRect().x);
    expect(bullet - box.x).toBeGreaterThanOrEqual(24);
    await shot(form, 'desk2-92-address-form');
    await form.context().close();
    // An address without a city is written without a dangling comma.
    const cityless = (await web.controller.workspace.store.ledger.all()).find((d) => d.shipTo && !d.shipTo.city.trim());
    if (cityless) {
      const en = await open(browser, web.url);
      await go(en, 'transactions');
      await en.getByLabel('Search number, customer or AvaTax code').fill(cityless.referenceNumber);
      await en.locator('.vtable-row').first().click();
      await expect(en.locator('aside.detail .facts').textContent()).resolves.not.toMatch(/\d\s+,/);
      await en.context().close();
    }
  });
});

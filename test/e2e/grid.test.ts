import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { toMinor } from '../../shared/money.js';
import { taxMinor } from '../../shared/tax-details.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { text } from '../helpers/reasons.js';
import { go, host, launch, open, problemsOf, shot } from './harness.js';

/** The Transactions grid as a finance team works it: sort, columns, totals, export the view, bulk actions. */
describe('the Transactions grid', () => {
  let browser: Browser;
  let web: WebHost;
  let page: Page;
  const grid = () => page.getByRole('table', { name: 'Documents' });
  const header = (name: string) => grid().getByRole('columnheader', { name, exact: true });
  const digits = (text: string | null) => Number((text ?? '').replace(/[^\d-]/g, ''));

  beforeAll(async () => {
    browser = await launch();
    web = await host();
    page = await open(browser, web.url);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('[data-testid="last-outcome"].outcome-completed').waitFor({ timeout: 150_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('Overview: the last runs with when, what, who, how long and the outcome', async () => {
    const history = page.getByTestId('run-history');
    const first = history.locator('tbody tr').first();
    await expect(first.locator('td').nth(1).textContent()).resolves.toBe('Sync');
    await expect(first.locator('td').nth(2).textContent()).resolves.toBe(userInfo().username);
    await expect(first.locator('td').nth(3).textContent()).resolves.toMatch(/^\d+ secs?$|^\d+ mins? \d+ secs?$/);
    await expect(first.locator('td').nth(5).textContent()).resolves.toMatch(
      /^Posted: \d+, flagged: \d+, needs attention: \d+$/,
    );
    // The last run names the states as the cards do.
    const facts = await page.locator('.facts dt').allTextContents();
    expect(facts).toEqual(expect.arrayContaining(['Posted', 'Calculated, awaiting release', 'Flagged address']));
    expect(facts).not.toContain('Calculated');
    // The month's VAT per currency, as the ledger has it; documents without tax yet are said, not summed.
    const month = TEST_MONTH;
    const sek = (await web.controller.workspace.store.ledger.all()).filter(
      (d) => d.currency === 'SEK' && d.state !== 'voided' && d.documentDate.startsWith(month),
    );
    const line = page.getByTestId('month-tax').locator('[data-currency="SEK"]');
    await expect(line.locator('td').nth(2).textContent().then(digits)).resolves.toBe(
      sek.reduce((s, d) => s + (taxMinor(d) ?? 0), 0),
    );
    await expect(line.locator('td').nth(0).textContent()).resolves.toBe(String(sek.length));
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'grid-00-overview-run-history');
  });

  it('sorts by any column, both ways, and says so to a screen reader', async () => {
    await go(page, 'transactions');
    await expect(header('Date').getAttribute('aria-sort')).resolves.toBe('descending');
    await header('Customer').getByRole('button').click();
    await expect(header('Customer').getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(header('Date').getAttribute('aria-sort')).resolves.toBe('none');
    const names = await page.locator('.vtable-row [data-column="customer"]').allTextContents();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'sv', { sensitivity: 'base' })));
    await header('Customer').getByRole('button').click();
    await expect(header('Customer').getAttribute('aria-sort')).resolves.toBe('descending');
    // Amount, within the currency the list opens with.
    await page.getByLabel('Currency').selectOption('SEK');
    await header('Amount').getByRole('button').click();
    await expect(header('Amount').getAttribute('aria-sort')).resolves.toBe('descending');
    const amounts = (await page.locator('.vtable-row [data-column="amount"]').allTextContents()).map(digits);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    await shot(page, 'grid-10-sorted-by-amount');
  });

  it('totals the documents shown per currency, never counting a missing tax as zero', async () => {
    const all = await web.controller.workspace.store.ledger.all();
    const sek = all.filter((d) => d.currency === 'SEK');
    const totals = page.getByTestId('totals');
    const line = totals.locator('[data-currency="SEK"]');
    await expect(line.locator('[data-column="amount"]').textContent().then(digits)).resolves.toBe(
      sek.reduce((s, d) => s + d.amount, 0),
    );
    await expect(line.locator('.total-label').textContent()).resolves.toMatch(
      new RegExp(`^Total SEK ${sek.length} documents`),
    );
    // Flagged documents have no tax yet: said beside the total, not summed as 0.
    await page.getByLabel('Currency').selectOption('');
    await page.getByRole('tab', { name: 'Flagged' }).click();
    const flagged = all.filter((d) => d.state === 'flagged');
    await page.getByTestId('tx-total').getByText(`${flagged.length} documents`, { exact: true }).waitFor();
    await expect(totals.textContent()).resolves.toMatch(/not in AvaTax yet, not counted/);
    // Several currencies: each its own line, and one in the base currency at Visma's rates.
    await page.getByRole('tab', { name: 'All' }).click();
    await expect(totals.locator('[data-currency]').count()).resolves.toBeGreaterThan(2);
    await expect(totals.textContent()).resolves.toMatch(/Total in SEK \(base currency\)/);
    await totals.scrollIntoViewIfNeeded();
    await shot(page, 'grid-20-totals-per-currency-and-base');
  });

  it('chooses and resizes columns, kept on this computer', async () => {
    await page.getByText('Columns', { exact: true }).click();
    const chooser = page.locator('.column-chooser');
    await expect(chooser.getByLabel('Show the Amount column').isDisabled()).resolves.toBe(true);
    await chooser.getByLabel('Show the Country column').uncheck();
    await chooser.getByLabel('Show the Reason column').uncheck();
    await shot(page, 'grid-30-choose-columns');
    await page.getByText('Columns', { exact: true }).click();
    await expect(header('Country').count()).resolves.toBe(0);
    await expect(header('Reason').count()).resolves.toBe(0);

    const before = (await header('Customer').boundingBox())!.width;
    const handle = page.getByRole('separator', { name: /Resize the Customer column/ });
    await handle.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    const after = (await header('Customer').boundingBox())!.width;
    expect(after).toBeGreaterThan(before + 40);
    // And with the mouse: drag the Number column's edge 60 px wider.
    const number = (await header('Number').boundingBox())!;
    const edge = (await page.getByRole('separator', { name: /Resize the Number column/ }).boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 60, edge.y + edge.height / 2, { steps: 5 });
    await page.mouse.up();
    expect((await header('Number').boundingBox())!.width).toBeGreaterThan(number.width + 40);

    await page.reload();
    await go(page, 'transactions');
    await expect(header('Country').count()).resolves.toBe(0);
    expect((await header('Customer').boundingBox())!.width).toBeGreaterThan(before + 40);
    await shot(page, 'grid-31-columns-kept-after-reload');
  });

  it('exports the view as shown: its filter, its sort, its columns; the message says the row count', async () => {
    await page.getByLabel('Currency').selectOption('EUR');
    // The sort is kept from before: click until Amount sorts largest first.
    while ((await header('Amount').getAttribute('aria-sort')) !== 'descending')
      await header('Amount').getByRole('button').click();
    const shown = await page
      .getByTestId('tx-total')
      .getByText(/^[\d,]+ documents?$/)
      .textContent();
    const count = Number(shown!.replace(/\D/g, ''));
    await page.getByRole('button', { name: 'Export this view' }).click();
    const toast = page.getByRole('status').filter({ hasText: /^Exported / });
    await toast.waitFor();
    const said = (await toast.textContent())!;
    // Browser mode hands the file to the browser at once, and says so.
    expect(said).toMatch(new RegExp(`^Exported ${count} documents?: transactions-[\\d-]+\\.csv is downloading`));
    const file = join(web.controller.workspace.dataDir, 'exports', /(transactions-[\d-]+\.csv)/.exec(said)![1]!);
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(count + 1);
    // Country and Reason were hidden: not in the file either.
    expect(lines[0]).toBe(
      'document_date,reference_number,document_type,customer_number,customer_name,currency,amount,tax,state,state_code',
    );
    // Quoted cells (a state or a name with a comma) stand as one field.
    const amounts = lines.slice(1).map((l) => toMinor(l.replace(/"(?:[^"]|"")*"/g, 'q').split(',')[6]!));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    await page.getByRole('button', { name: 'Download the CSV' }).waitFor();
    await shot(page, 'grid-40-export-view');
    await page.getByLabel('Currency').selectOption('');
  });

  it('bulk: tick rows in any tab, Reprocess the flagged ones, Accept the variances with one reason', async () => {
    await page.getByLabel('Currency').selectOption('');
    await page.getByRole('tab', { name: 'Needs attention' }).click();
    const variances = (await web.controller.workspace.store.ledger.all()).filter(
      (d) =>
        d.state === 'needs-attention' &&
        d.bookedTax !== undefined &&
        d.calculatedTax !== undefined &&
        d.bookedTax !== d.calculatedTax &&
        !d.reasons.some((r) => /after .* was committed in AvaTax/i.test(text(r))),
    );
    await grid().getByLabel('Select every document shown').check();
    const bulk = page.locator('fieldset.bulk');
    await bulk.waitFor();
    await shot(page, 'grid-50-bulk-selected');
    const accept = bulk.getByRole('button', { name: /^Accept as booked \(\d+\)$/ });
    await expect(accept.textContent()).resolves.toBe(`Accept as booked (${variances.length})`);
    if (variances.length > 0) {
      await accept.click();
      const dialog = page.getByTestId('bulk-accept-dialog');
      await dialog.getByLabel('Reason').fill('Agreed with the customer at month end');
      await shot(page, 'grid-51-bulk-accept-reason');
      await dialog.getByRole('button', { name: /^Accept as booked/ }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Accepted as booked: / })
        .first()
        .waitFor();
      for (const d of variances)
        expect((await web.controller.workspace.store.ledger.get(d.key))!.acceptance?.reason).toBe(
          'Agreed with the customer at month end',
        );
    }

    await page.getByRole('tab', { name: 'Flagged' }).click();
    const rows = page.locator('.vtable-row');
    const refs = [
      await rows.nth(0).locator('[data-column="ref"]').textContent(),
      await rows.nth(1).locator('[data-column="ref"]').textContent(),
    ];
    await grid().getByLabel(`Select ${refs[0]}`).check();
    await grid().getByLabel(`Select ${refs[1]}`).check();
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toBe('2 documents selected');
    // Ticking does not open the row.
    await expect(page.getByRole('complementary').count()).resolves.toBe(0);
    await page.locator('fieldset.bulk').getByRole('button', { name: 'Reprocess (2)' }).click();
    const said = page
      .getByRole('status')
      .filter({ hasText: /^Reprocessed: / })
      .first();
    await said.waitFor();
    await expect(said.textContent()).resolves.toMatch(new RegExp(`${refs[0]}.*${refs[1]}`));
    await shot(page, 'grid-52-bulk-reprocessed');
  });

  it('Fix address in a flagged document opens that customer in Flagged addresses, not the first one', async () => {
    await go(page, 'flagged');
    const first = (await page.locator('.flag-item').first().locator('strong').textContent())!;
    await go(page, 'transactions');
    await page.getByRole('tab', { name: 'Flagged' }).click();
    const names = await page.locator('.vtable-row [data-column="customer"]').allTextContents();
    const index = names.findIndex((n) => !first.startsWith(n));
    expect(index).toBeGreaterThanOrEqual(0);
    const customer = names[index]!;
    await page.locator('.vtable-row').nth(index).click();
    await page.getByRole('complementary').getByRole('button', { name: 'Fix address' }).click();
    const chosen = page.locator('.flag-item[aria-pressed="true"]');
    await expect(chosen.locator('strong').textContent()).resolves.toMatch(new RegExp(`^${customer}`));
    await shot(page, 'grid-60-fix-address-opens-that-customer');
  });

  it('said nothing the console would call an error', () => {
    expect(problemsOf(page)).toEqual([]);
  });
});

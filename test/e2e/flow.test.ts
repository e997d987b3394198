import { userInfo } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { text } from '../helpers/reasons.js';
import { go, host, launch, open, problemsOf, shot } from './harness.js';

/**
 * The whole flow on one demo company, in order, as a finance user walks it: first start, Sync now, the
 * problems it finds and how each is dealt with. A screenshot of every screen and state it passes.
 */
describe('the flow, start to month end', () => {
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

  it('first start: the demo company; AvaTax down: a banner says so, in words, and when it is tried again', async () => {
    await page.getByTestId('demo-banner').waitFor();
    await shot(page, 'flow-01-first-start');
    const avatax = web.controller.workspace.sandboxes!.avatax.server;
    avatax.injectFault({ path: /^\/api\/v2\//, fault: { kind: 'drop' }, times: 100_000 });
    try {
      await page.getByRole('button', { name: 'Sync now' }).click();
      const banner = page.getByTestId('outage');
      await banner.waitFor({ timeout: 90_000 });
      await expect(banner.locator('strong').textContent()).resolves.toBe('AvaTax is not reachable.');
      await expect(banner.locator('.error-words').textContent()).resolves.toMatch(
        /^AvaTax could not be reached \(network\)\. Tried \d+ times\.$/,
      );
      await expect(banner.locator('details code').textContent()).resolves.toMatch(/socket hang up/);
      await expect(page.getByTestId('outage-next').textContent()).resolves.toBe('next attempt when you click Sync now');
      // The Last run card shows that failed run, not a blank or an older one.
      await page.locator('[data-testid="last-outcome"].outcome-failed').waitFor();
      await expect(page.getByTestId('last-outcome').locator('.error-words').textContent()).resolves.toMatch(
        /^AvaTax could not be reached/,
      );
      await shot(page, 'flow-02-avatax-down');
    } finally {
      avatax.clearFaults();
    }
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('[data-testid="last-outcome"].outcome-completed').waitFor({ timeout: 120_000 });
    await page.getByTestId('outage').waitFor({ state: 'detached' });
    expect(Number(await page.getByTestId('count-posted').textContent())).toBeGreaterThan(50);
    await shot(page, 'flow-03-overview-after-sync');
  });

  it('an error is said in words, with the technical detail folded away', async () => {
    await go(page, 'settings');
    await page.locator('#visma-tenant').fill('7c2a5e0e-0000');
    await page.locator('#visma-client').fill('taxsync');
    await page.locator('#visma-secret').fill('s3cret');
    await page.locator('#visma-api').fill('http://127.0.0.1:9');
    await page.locator('#visma-token').fill('http://127.0.0.1:9/token');
    // Only the Visma section counts for its test: a blank ship-from and no AvaTax account do not hold it back.
    await page.locator('#from-line1').fill('');
    await page.getByRole('button', { name: 'Test Visma connection' }).click();
    const result = page.locator('.test-row [role="status"]').first();
    await result.getByText(/^Visma could not be reached \(network\)\. Tried \d+ times\.$/).waitFor({ timeout: 30_000 });
    const detail = result.locator('details');
    await expect(detail.getAttribute('open')).resolves.toBeNull();
    await expect(detail.locator('summary').textContent()).resolves.toBe('Technical detail');
    await expect(detail.locator('code').textContent()).resolves.toMatch(/ECONNREFUSED 127\.0\.0\.1:9/);
    await detail.locator('summary').click();
    await shot(page, 'flow-04-error-in-words');
    await page.reload();
  });

  it('a VAT variance: Visma’s booked VAT beside AvaTax’s per VAT id; Accept as booked asks why', async () => {
    await go(page, 'transactions');
    await page.getByRole('tab', { name: 'Needs attention' }).click();
    const variance = page.locator('.vtable-row', {
      has: page.locator('[data-column="reason"]', { hasText: /^VAT differs/ }),
    });
    await variance.first().waitFor();
    const number = (await variance.first().locator('[data-column="ref"]').textContent())!;
    await variance.first().click();
    const panel = page.getByRole('complementary');
    const table = panel.getByTestId('vat-compare');
    await table.waitFor();
    await expect(table.locator('thead').textContent()).resolves.toMatch(/Booked in Visma.*AvaTax calculated/);
    await expect(panel.getByRole('heading', { name: 'Written to Visma' }).count()).resolves.toBe(0);
    expect(await table.locator('tbody tr.differs').count()).toBeGreaterThan(0);
    await expect(panel.getByTestId('booked-total').textContent()).resolves.not.toBe(
      await panel.getByTestId('calculated-total').textContent(),
    );
    // The AvaTax transaction and the Visma number are there to copy (the demo's AvaTax has no console to link).
    await expect(panel.getByTestId('avatax-link').textContent()).resolves.toContain(`VN-`);
    await panel.getByRole('button', { name: `Copy Visma document number ${number}` }).click();
    await page.getByTestId('toasts').getByText(`Copied ${number}`).waitFor();
    await shot(page, 'flow-05-variance-booked-beside-calculated');

    await panel.getByRole('button', { name: 'Accept as booked' }).click();
    const dialog = page.getByTestId('accept-dialog');
    await dialog.waitFor();
    // Escape closes the dialog only, not the panel behind it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(panel.isVisible()).resolves.toBe(true);
    await panel.getByRole('button', { name: 'Accept as booked' }).click();
    await dialog.getByLabel('Reason').fill('ok');
    await dialog.getByRole('button', { name: 'Accept as booked' }).click();
    await dialog.getByText('Say why in at least 3 characters.').waitFor();
    await shot(page, 'flow-06-accept-asks-why');
    await dialog.getByLabel('Reason').fill('Agreed with the customer: credit note next month');
    await dialog.getByRole('button', { name: 'Accept as booked' }).click();
    await page.getByTestId('toasts').getByText(`${number} accepted as booked: Posted`).waitFor({ timeout: 30_000 });
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'All' }).click();
    await page.getByLabel('Search number, customer or AvaTax code').fill(number);
    await page
      .getByTestId('tx-total')
      .getByText(/^1 document$/)
      .waitFor();
    await page.locator('.vtable-row').first().click();
    const note = page.getByRole('complementary').getByTestId('acceptance');
    await note.waitFor();
    await expect(note.textContent()).resolves.toMatch(
      new RegExp(`Accepted as booked.*By ${userInfo().username} on .*Agreed with the customer: credit note next month`),
    );
    await shot(page, 'flow-07-accepted-who-when-why');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
  });

  it('changed in Visma after AvaTax committed it: only Adjust in AvaTax, with a reason, adjusts it', async () => {
    const posted = (await web.controller.workspace.store.ledger.byState('posted')).find(
      (d) => d.documentType === 'invoice' && !d.acceptance && d.currency === 'SEK',
    )!;
    web.controller.workspace.sandboxes!.visma.editDocument('invoice', posted.referenceNumber, (x) => {
      x.lines[0]!.amountInCurrency += 100;
      x.lines[0]!.amount += 100;
    });
    await go(page, 'overview');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('button', { name: 'Sync now' }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
    await go(page, 'transactions');
    await page.getByLabel('Search number, customer or AvaTax code').fill(posted.referenceNumber);
    await page
      .getByTestId('tx-total')
      .getByText(/^1 document$/)
      .waitFor();
    const row = page.locator('.vtable-row').first();
    await row.locator('.badge', { hasText: 'Needs attention' }).waitFor();
    await row.click();
    const panel = page.getByRole('complementary');
    await panel
      .getByText(/was committed in AvaTax/)
      .first()
      .waitFor();
    await expect(panel.getByRole('button', { name: 'Accept as booked' }).count()).resolves.toBe(0);
    await panel.getByRole('button', { name: 'Adjust in AvaTax' }).click();
    const dialog = page.getByTestId('adjust-dialog');
    await dialog.getByLabel('Reason').fill('Price corrected in Visma after release');
    await shot(page, 'flow-08-adjust-in-avatax');
    await dialog.getByRole('button', { name: 'Adjust in AvaTax' }).click();
    await page
      .getByTestId('toasts')
      .getByText(`${posted.referenceNumber} adjusted in AvaTax: Posted`)
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
  });

  it('Flagged: a wrong VAT number is corrected in its own field; Visma’s rules answer in the form first', async () => {
    await go(page, 'flagged');
    await page.getByRole('button', { name: /Schröder Maschinenbau AG/ }).click();
    await expect(page.getByTestId('current-vat').textContent()).resolves.toBe('VAT number: DE12345');
    const vat = page.getByLabel('VAT number', { exact: true });
    await expect(vat.inputValue()).resolves.toBe('DE12345');
    await vat.fill('DE999');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    const problems = page.getByTestId('fix-problems');
    await problems.getByText(/VAT number "DE999" does not match the DE format/).waitFor({ timeout: 30_000 });
    await shot(page, 'flow-09-flagged-vat-number-refused');
    const fixes = async () =>
      (await web.controller.workspace.store.audit.entries(TEST_MONTH)).filter((e) => e.action === 'address-fixed');
    expect(await fixes()).toEqual([]);
    await vat.fill('DE123456789');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    await page
      .getByTestId('toasts')
      .getByText(/^VAT number saved to Visma; \d+ documents reprocessed$/)
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /Schröder Maschinenbau AG/ }).waitFor({ state: 'detached' });
    expect((await fixes()).map((e) => text(e.detail))).toEqual([
      expect.stringMatching(/VAT number "DE12345" → "DE123456789"/),
    ]);
  });

  it('Flagged: a suggestion shows what it changes before it is taken; a typed street is replaced only once confirmed', async () => {
    await page.getByRole('button', { name: /Lone Star Fika Co\./ }).click();
    await page.getByRole('button', { name: 'Use suggestion' }).click();
    const diff = page.getByTestId('suggestion-diff');
    await expect(diff.locator('tr.changed th').first().textContent()).resolves.toBe('Street (changes)');
    await expect(diff.locator('tr.changed td').nth(1).textContent()).resolves.toBe('1999 Marilla St');
    // Nothing in the form changed yet.
    await expect(page.getByLabel('Street', { exact: true }).inputValue()).resolves.toBe('9900 Marilla St');
    await shot(page, 'flow-10-flagged-suggestion-diff');
    await diff.getByRole('button', { name: 'Use the suggested address' }).click();
    await expect(page.getByLabel('Street', { exact: true }).inputValue()).resolves.toBe('1999 Marilla St');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    await page.getByText(/^Address saved to Visma; \d+ documents? reprocessed$/).waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: /Irvine Nordic Imports/ }).click();
    await page.getByLabel('Street', { exact: true }).fill('57 Nowhere Rd');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    const confirm = page.getByTestId('street-confirm');
    await expect(confirm.locator('tr.changed').first().textContent()).resolves.toMatch(
      /Street \(changes\)55 Nowhere Rd57 Nowhere Rd/,
    );
    await shot(page, 'flow-11-flagged-confirm-street');
    await confirm.getByRole('button', { name: 'Replace and save to Visma' }).click();
    // AvaTax's resolver, asked before any write, does not know the street: said in the form, nothing written.
    await page
      .getByTestId('fix-problems')
      .getByText(/not deliverable/)
      .waitFor({ timeout: 30_000 });
    await expect(page.getByLabel('Street', { exact: true }).inputValue()).resolves.toBe('57 Nowhere Rd');
    await shot(page, 'flow-12-flagged-resolver-refuses');
  });

  it('Settings, section by section: each checks and saves on its own; the demo runs on what is saved', async () => {
    await go(page, 'settings');
    const section = (name: string) => page.locator(`fieldset[data-section="${name}"]`);
    // The demo's own mapping, in percent, with Visma's zones, categories and VAT ids to pick from.
    const first = page.getByTestId('mapping-row-1');
    await expect(first.getByLabel('Row 1 destination country').inputValue()).resolves.toBe('SE');
    await expect(first.getByLabel('Row 1 rate in percent').inputValue()).resolves.toBe('25');
    await expect(first.getByLabel('Row 1 VAT zone').inputValue()).resolves.toBe('01');
    await expect(first.getByLabel('Row 1 VAT category').inputValue()).resolves.toBe('STD');
    await expect(first.getByLabel('Row 1 VAT id').inputValue()).resolves.toBe('MP1');
    expect(await page.getByTestId('vat-mapping').locator('tbody').count()).toBeGreaterThan(10);

    // The base currency the totals are shown in is set with the company, the demo's own being SEK.
    await expect(page.locator('#base-currency').inputValue()).resolves.toBe('SEK');
    // The CSV separator saves without a ship-from address; the company section says what it lacks.
    await page.locator('#from-line1').fill('');
    await page.locator('#delimiter').selectOption(';');
    await section('display').getByRole('button', { name: 'Save Display and export' }).click();
    await section('display').getByRole('status').getByText('Saved.').waitFor();
    await section('company').getByRole('button', { name: 'Save Ship-from address' }).click();
    await expect(page.getByTestId('settings-errors-company').textContent()).resolves.toBe(
      'Please fix:Ship-from address › Street: is required',
    );
    await page.locator('#from-line1').fill('Industrigatan 12');
    await page.getByTestId('settings-errors-company').waitFor({ state: 'detached' });
    expect(web.controller.workspace.settings().export.delimiter).toBe(';');

    // Visma's test just failed for these values (the error above): saving them asks first. (A window whose form
    // shows other values does not show that test, nor ask.)
    await page.locator('#visma-tenant').fill('7c2a5e0e-0000');
    await page.locator('#visma-client').fill('taxsync');
    await page.locator('#visma-api').fill('http://127.0.0.1:9');
    await page.locator('#visma-token').fill('http://127.0.0.1:9/token');
    await section('visma').getByRole('button', { name: 'Save Visma.net ERP' }).click();
    const confirm = page.getByTestId('settings-confirm-visma');
    await expect(confirm.textContent()).resolves.toMatch(/The last connection test failed: Visma could not be reached/);
    await confirm.scrollIntoViewIfNeeded();
    await shot(page, 'flow-13-settings-save-after-failed-test');
    await confirm.getByRole('button', { name: 'Don’t save' }).click();
    await confirm.waitFor({ state: 'detached' });

    // A row Visma's lists refuse is marked with the reason, and the mapping does not save until it is fixed.
    await first.getByLabel('Row 1 rate in percent').fill('20');
    await first.getByText('Visma refuses this row: VAT id MP1 is 25 % in Visma, the row says 20 %').waitFor();
    const third = page.getByTestId('mapping-row-3');
    await third.getByLabel('Row 3 VAT category').selectOption('STD');
    await third.getByText('Visma refuses this row: VAT category STD does not carry VAT id MP3').waitFor();
    await page.getByTestId('vat-mapping').scrollIntoViewIfNeeded();
    await shot(page, 'flow-14-settings-mapping-refused-rows');
    await section('mapping').getByRole('button', { name: 'Save VAT mapping' }).click();
    await expect(page.getByTestId('settings-errors-mapping').locator('li').allTextContents()).resolves.toEqual([
      'VAT mapping › row 1: VAT id MP1 is 25 % in Visma, the row says 20 %',
      'VAT mapping › row 3: VAT category STD does not carry VAT id MP3',
    ]);
    await first.getByLabel('Row 1 rate in percent').fill('25');
    await third.getByLabel('Row 3 VAT category').selectOption('BOOK');
    // Åland at Finland's 14 %: typed as 14, stored as exactly 0.14.
    await section('mapping').getByRole('button', { name: 'Add mapping row' }).click();
    const rows = await page.getByTestId('vat-mapping').locator('tbody').count();
    const added = page.getByTestId(`mapping-row-${rows}`);
    await added.getByLabel(`Row ${rows} destination country`).fill('AX');
    await added.getByLabel(`Row ${rows} taxing country`).fill('FI');
    await added.getByLabel(`Row ${rows} rate in percent`).fill('14');
    await added.getByLabel(`Row ${rows} VAT zone`).selectOption('OSSFI');
    await added.getByLabel(`Row ${rows} VAT category`).selectOption('FOOD');
    await added.getByLabel(`Row ${rows} VAT id`).selectOption('OSS-FI14');
    await section('mapping').getByRole('button', { name: 'Add item' }).click();
    const items = await page.getByTestId('item-tax-codes').locator('tbody tr').count();
    await page.getByLabel(`Item ${items} number`).fill('GIFT-CARD');
    await page.getByLabel(`Item ${items} AvaTax tax code`).fill('pg050000');
    await section('mapping').getByRole('button', { name: 'Save VAT mapping' }).click();
    await section('mapping').getByRole('status').getByText('Saved.').waitFor();
    const used = web.controller.workspace.settings();
    expect(used.vatMapping.at(-1)).toEqual({
      country: 'AX',
      taxCountry: 'FI',
      rate: 0.14,
      vatZoneId: 'OSSFI',
      vatCategoryId: 'FOOD',
      vatId: 'OSS-FI14',
    });
    expect(used.vatMapping[0]!.rate).toBe(0.25);
    expect(used.itemTaxCodes['GIFT-CARD']).toBe('PG050000');
    expect(used.visma.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await section('mapping').getByRole('status').scrollIntoViewIfNeeded();
    await shot(page, 'flow-15-settings-mapping-saved');
  });

  it('said nothing the console would call an error', () => {
    expect(problemsOf(page)).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import type { WebHost } from '../../electron/web-host.js';
import { parseDocumentCode } from '../../shared/document-code.js';
import { TEST_NOW } from '../helpers/clock.js';
import { host, launch, open, problemsOf, shot, webShopOrderInAvaTax } from './harness.js';

/**
 * A month with documents made clean the way an accountant gets there on the 1st: from the blockers a sync left,
 * each cleared with the screen's own action (void, reprocess, fix address, accept with a reason, and the demo's
 * Release in Visma for what waits for a release), and what happens in Visma meanwhile (an invoice entered or
 * changed there) done in the Visma sandbox as a person there would. It ends clean, closed, with Visma's and
 * AvaTax's totals agreeing and the domestic VAT the sum of its rows (issue 15 #11, "Proof").
 *
 * A small demo company (the same generator, fewer documents) dated last month, so the month is the one the
 * screen opens on, whatever today's date, and the walk through it stays short.
 */
const now = new Date(TEST_NOW);
const seedAt = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 22, 12);
const month = new Date(seedAt).toISOString().slice(0, 7);
const monthName = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
  new Date(`${month}-01T00:00:00Z`),
);
/** What each flagged customer's address needs, as the customer would tell the accountant on the phone. */
const ADDRESS_FIXES: Record<string, { field: string; value: string; replacesStreet?: boolean }> = {
  'Jørgensen & Ko': { field: 'City', value: 'Aalborg' },
  'Ängsbacka Gård': { field: 'Postal code', value: '546 31' },
  'Irvine Nordic Imports': { field: 'Street', value: '100 Main St', replacesStreet: true },
};

function smallDemoCompany(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'taxsync-close-'));
  mkdirSync(join(dataDir, 'demo'), { recursive: true });
  const seed = seedDemoCompany({ now: seedAt, invoices: 16, creditNotes: 4, seed: 7 });
  const startFrom = new Date(seedAt - 31 * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(join(dataDir, 'demo', 'sandbox.json'), JSON.stringify({ ...seed, startFrom }));
  return dataDir;
}

describe('a month with documents, made clean from the Month-end screen and closed', () => {
  let browser: Browser;
  let web: WebHost;
  let page: Page;
  let blockingAtStart = 0;

  const visma = () => web.controller.workspace.sandboxes!.visma;
  const summary = () => page.getByTestId('month-summary');
  const toast = (text: RegExp) => page.getByTestId('toasts').getByText(text).last();
  const bucketTab = (name: RegExp) => page.getByRole('tablist', { name: 'Buckets' }).getByRole('tab', { name });
  const rowsWith = (button: string) =>
    page.locator('#month-bucket tbody tr', { has: page.getByRole('button', { name: button, exact: true }) });
  const count = async (bucket: string) => Number(await page.getByTestId(`count-${bucket}`).textContent());
  /** Does something that reads the month again, and waits until main has answered with the month read now. */
  const reading = async (act: () => Promise<void>) => {
    const read = page.waitForResponse((r) => r.url().includes('/ipc/month%3Areconcile'), { timeout: 60_000 });
    await act();
    await read;
  };
  const readAgain = () => reading(() => page.getByRole('button', { name: 'Read again' }).click());
  const goMonthEnd = async () => {
    await reading(() => page.locator('.sidebar button[data-screen="month-end"]').click());
    await page.getByRole('heading', { name: 'Month-end', level: 1 }).waitFor();
    await summary().filter({ hasText: monthName }).waitFor({ timeout: 60_000 });
  };
  const answerDialog = async (reason: string) => {
    const dialog = page.getByTestId('month-reason');
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
  };
  /** The documents of a row set, as Visma numbers them. */
  const documentsOf = async (rows: ReturnType<Page['locator']>) =>
    (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid') ?? ''))).map((id) => {
      const { type, referenceNumber } = parseDocumentCode(id.replace(/^doc-/, ''))!;
      return { type: type as 'invoice' | 'credit-note', referenceNumber };
    });

  beforeAll(async () => {
    browser = await launch();
    web = await host({ dataDir: smallDemoCompany() });
    // The month's documents synced as they came in, the way the scheduler or Sync now did during the month.
    expect((await web.controller.runSync('user')).outcome).toBe('completed');
    page = await open(browser, web.url);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await shot(page, `month-close-failed-${ctx.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('opens on last month: documents block it, Close is disabled and says why', async () => {
    await goMonthEnd();
    await expect(page.getByTestId('month-picker').inputValue()).resolves.toBe(month);
    await expect(summary().getAttribute('data-clean')).resolves.toBe('false');
    blockingAtStart = Number(/(\d+) documents? blocks? closing/.exec((await summary().textContent()) ?? '')?.[1]);
    expect(blockingAtStart).toBeGreaterThan(5);
    for (const b of ['onlyInVisma', 'uncommitted', 'differs']) expect(await count(b)).toBeGreaterThan(0);
    await expect(page.getByTestId('close-month').isDisabled()).resolves.toBe(true);
    await shot(page, 'month-close-01-blockers');
  });

  it('void: a web-shop order recorded straight in AvaTax, which Visma never had', async () => {
    await webShopOrderInAvaTax(web, 'SHOP-CLOSE-1', month);
    await readAgain();
    await bucketTab(/^Only in AvaTax \(1\)/).click();
    const row = page.getByTestId('doc-SHOP-CLOSE-1');
    await row.getByRole('button', { name: 'Void in AvaTax' }).click();
    await answerDialog('Test order from the web shop, never invoiced');
    await toast(/^SHOP-CLOSE-1 is voided in AvaTax$/).waitFor({ timeout: 60_000 });
    await page.getByTestId('count-onlyInAvatax').filter({ hasText: /^0$/ }).waitFor();
  });

  it('reprocess: an invoice entered in Visma after the sync, never sent', async () => {
    // A copy of an invoice still waiting for release, entered in Visma after the last sync.
    const waiting = await web.controller.workspace.store.ledger.byState('calculated');
    const source = waiting.find(
      (d) => d.documentType === 'invoice' && d.currency === 'SEK' && d.documentDate.startsWith(month),
    )!;
    visma().createDocument('invoice', source.referenceNumber, '269801');
    await readAgain();
    await bucketTab(/^Only in Visma/).click();
    const row = page.getByTestId('doc-VN-INV-269801');
    await expect(row.textContent()).resolves.toMatch(/Never sent/);
    await row.getByRole('button', { name: 'Reprocess' }).click();
    await toast(/^269801 reprocessed: Calculated, awaiting release$/).waitFor({ timeout: 60_000 });
    await row.waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('correct in Visma: an unreleased invoice changed there after the sync is reprocessed from the list', async () => {
    await bucketTab(/^Uncommitted/).click();
    const [first] = await documentsOf(page.locator('#month-bucket tbody tr[data-testid^="doc-VN-INV-"]'));
    const ref = first!.referenceNumber;
    // The salesperson fixes a quantity on the invoice in Visma: AvaTax still holds the old amount.
    visma().editDocument(first!.type, ref, (d) => {
      d.lines[0]!.quantity += 1;
      d.lines[0]!.amountInCurrency = Math.round(d.lines[0]!.quantity * d.lines[0]!.unitPriceInCurrency * 100) / 100;
    });
    await readAgain();
    await bucketTab(/^Differs/).click();
    const row = page.locator('#month-bucket tbody tr', { has: page.getByRole('button', { name: `Open ${ref}` }) });
    await expect(row.textContent()).resolves.toMatch(/Net amount: Visma/);
    await shot(page, 'month-close-02-corrected-in-visma');
    await row.getByRole('button', { name: 'Reprocess' }).click();
    await toast(new RegExp(`^${ref} reprocessed: `)).waitFor({ timeout: 60_000 });
    await row.waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('fix address: each flagged document opens its own customer in the workbench, and comes back', async () => {
    await bucketTab(/^Only in Visma/).click();
    const fixes = rowsWith('Fix address');
    const seen: string[] = [];
    for (let round = 0; (await fixes.count()) > 0; round++) {
      expect(round).toBeLessThan(6);
      const row = fixes.first();
      const customer = (await row.locator('td').nth(1).textContent())!.trim();
      await row.getByRole('button', { name: 'Fix address' }).click();
      await page.getByRole('heading', { name: 'Flagged addresses', level: 1 }).waitFor();
      // The form of this document's customer, not whichever comes first in the list.
      await page.locator('.flag-editor h2').filter({ hasText: customer }).waitFor();
      const fix = ADDRESS_FIXES[customer];
      expect(fix, `a fix for ${customer}`).toBeDefined();
      await page.getByLabel(fix!.field, { exact: true }).fill(fix!.value);
      if (round === 0) await shot(page, 'month-close-03-fix-address-from-month-end');
      await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
      if (fix!.replacesStreet)
        await page.getByTestId('street-confirm').getByRole('button', { name: 'Replace and save to Visma' }).click();
      await toast(/^Address saved to Visma; \d+ documents? reprocessed$/).waitFor({ timeout: 60_000 });
      seen.push(customer);
      await reading(() => page.getByRole('button', { name: 'Back to Month-end' }).click());
      await summary().filter({ hasText: monthName }).waitFor({ timeout: 60_000 });
      await bucketTab(/^Only in Visma/).click();
    }
    expect(seen.sort()).toEqual(Object.keys(ADDRESS_FIXES).sort());
    await expect(count('onlyInVisma')).resolves.toBe(0);
  });

  it('accept: each difference Visma booked on purpose is accepted with a reason', async () => {
    await bucketTab(/^Differs/).click();
    const accepts = rowsWith('Accept with reason');
    for (let round = 0; (await accepts.count()) > 0; round++) {
      expect(round).toBeLessThan(6);
      const before = await count('accepted');
      await accepts.first().getByRole('button', { name: 'Accept with reason' }).click();
      await answerDialog('Export to the US: no Swedish VAT, sales tax is the customer’s');
      await page
        .getByTestId('count-accepted')
        .filter({ hasText: new RegExp(`^${before + 1}$`) })
        .waitFor({ timeout: 60_000 });
    }
    await expect(count('differs')).resolves.toBe(0);
  });

  it('release: the demo’s Visma releases what was waiting, from the screen, and each is committed', async () => {
    await bucketTab(/^Uncommitted/).click();
    const releases = rowsWith('Release in Visma (demo)');
    const held = await documentsOf(releases);
    expect(held.length).toBeGreaterThan(3);
    await shot(page, 'month-close-04-release-in-demo');
    for (let round = 0; (await releases.count()) > 0; round++) {
      expect(round).toBeLessThanOrEqual(held.length);
      const [one] = await documentsOf(releases.first());
      await releases.first().getByRole('button', { name: 'Release in Visma (demo)' }).click();
      await toast(new RegExp(`^${one!.referenceNumber} released in the demo's Visma: Posted$`)).waitFor({
        timeout: 60_000,
      });
      await page
        .getByTestId(
          `doc-VN-${({ invoice: 'INV', 'credit-note': 'CRN', 'debit-note': 'DBN' } as const)[one!.type as 'invoice']}-${one!.referenceNumber}`,
        )
        .filter({ has: page.getByRole('button', { name: 'Release in Visma (demo)' }) })
        .waitFor({ state: 'detached', timeout: 60_000 });
    }
    for (const d of held) expect(visma().find(d.type, d.referenceNumber)?.status).toBe('Open');
    await expect(count('uncommitted')).resolves.toBe(0);
  });

  it('clean: the summary says so, Visma and AvaTax agree on every total, and the month closes', async () => {
    await summary()
      .filter({ hasText: `${monthName} is clean` })
      .waitFor({ timeout: 60_000 });
    await expect(summary().getAttribute('data-clean')).resolves.toBe('true');
    for (const b of ['differs', 'onlyInVisma', 'onlyInAvatax', 'uncommitted']) await expect(count(b)).resolves.toBe(0);
    expect(await count('matched')).toBeGreaterThan(10);
    expect(await count('accepted')).toBeGreaterThan(0);
    // Every row of the totals per country, VAT id and rate, and the month in base currency: no difference.
    const zero = /^(SEK\s*)?[−-]?0[.,]00(\s*SEK)?$/;
    const totals = page.locator('.month-body').getByTestId('month-totals').locator('tbody tr');
    expect(await totals.count()).toBeGreaterThan(1);
    for (const diff of await totals.locator('td:last-child').allTextContents())
      expect(diff.replace(/\u00a0/g, ' ').trim()).toMatch(zero);
    const month = page.getByTestId('bucket-summary').locator('tfoot td:last-child');
    await expect(month.textContent().then((t) => t!.replace(/\u00a0/g, ' ').trim())).resolves.toMatch(zero);
    const r = await web.controller.workspace.engine.reconcileMonth(monthKey(), 'user');
    expect(r.vatBase.difference).toBe(0);
    expect(r.vatBase.visma).toBeGreaterThan(0);
    // The domestic VAT the return is filed from is the sum of the domestic rows, OSS VAT apart from it.
    const amount = (text: string | null) => Math.round(Number(text!.replace(/[^\d.-]/g, '')) * 100);
    const lineCells = page.locator(
      '.month-body [data-testid^="domestic-"][data-testid$="-vat"]:not([data-testid="domestic-total-vat"])',
    );
    const lines = (await lineCells.allTextContents()).map(amount);
    expect(lines.length).toBeGreaterThan(0);
    const domesticTotal = amount(await page.locator('.month-body').getByTestId('domestic-total-vat').textContent());
    expect(lines.reduce((s, x) => s + x, 0)).toBe(domesticTotal);
    expect(domesticTotal).toBe(r.vatReturn.domestic.vat);
    expect(domesticTotal).toBeGreaterThan(0);
    const ossTotal = amount(await page.locator('.month-body').getByTestId('oss-total-vat').textContent());
    expect(ossTotal).toBe(r.vatReturn.oss.vat);
    await page.locator('.month-body').getByTestId('month-totals').scrollIntoViewIfNeeded();
    await shot(page, 'month-close-05-clean');

    const close = page.getByTestId('close-month');
    await expect(close.isEnabled()).resolves.toBe(true);
    await page.getByLabel('Note for the close report (optional)').fill('Checked against the VAT return draft');
    await close.click();
    // Issue 17 #5: a close is confirmed with the figures being signed; Cancel closes nothing.
    const confirm = page.getByTestId('close-confirm');
    await confirm.waitFor();
    const figure = async (id: string) =>
      amount(await confirm.getByTestId(`close-confirm-${id}`).locator('td').textContent());
    expect(await figure('domestic-vat')).toBe(r.vatReturn.domestic.vat);
    expect(await figure('oss-vat')).toBe(r.vatReturn.oss.vat);
    expect(await figure('vat-base')).toBe(r.vatBase.visma);
    await expect(confirm.getByTestId('close-confirm-note').textContent()).resolves.toContain(
      'Checked against the VAT return draft',
    );
    await shot(page, 'month-close-05b-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(web.controller.workspace.store.state.closedMonth(monthKey())).toBeUndefined();
    await close.click();
    await page.getByTestId('close-confirm-submit').click();
    await toast(new RegExp(`^${monthName} is closed$`)).waitFor({ timeout: 60_000 });
    await page.getByTestId('month-closed').waitFor();
    expect(web.controller.workspace.store.state.closedMonth(monthKey())).toMatchObject({
      note: 'Checked against the VAT return draft',
      vatBase: r.vatBase.visma,
      domesticVat: r.vatReturn.domestic.vat,
      ossVat: r.vatReturn.oss.vat,
    });
    await summary().scrollIntoViewIfNeeded();
    await shot(page, 'month-close-06-closed');
  });

  it('the close report prints: clean, closed, nothing blocking, the totals on both sides', async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      const report = page.getByTestId('close-report');
      await expect(report.isVisible()).resolves.toBe(true);
      const text = (await report.textContent()) ?? '';
      expect(text).toContain(`Close report: ${monthName}`);
      expect(text).toContain(`${monthName} is clean`);
      expect(text).toMatch(/Checked against the VAT return draft/);
      expect(text).not.toMatch(/What blocks the month/);
      await shot(page, 'month-close-07-close-report-print');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    expect(problemsOf(page)).toEqual([]);
  });
});

function monthKey(): string {
  return month;
}

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { monthRange } from '../../shared/month.js';
import { TEST_NOW } from '../helpers/clock.js';
import { host, launch, open, problemsOf, shot, webShopOrderInAvaTax } from './harness.js';

/**
 * The Month-end screen in a real browser against the demo company: a clean month closes and reopens, a month with
 * blockers shows them and is refused, and each action from the list (reprocess, accept, void, open the document,
 * export, dry run, backfill pause and resume, print) works end to end on the sandboxes.
 */
const now = new Date(TEST_NOW);
const thisMonth = now.toISOString().slice(0, 7);
/** A year ago: before the demo company's 24 days of history, so nothing in it, so clean. */
const quietMonth = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)).toISOString().slice(0, 7);
const monthName = (m: string) =>
  new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${m}-01T00:00:00Z`),
  );

describe('the Month-end screen', () => {
  let browser: Browser;
  let web: WebHost;
  let page: Page;

  const goMonthEnd = async () => {
    await page.locator('.sidebar button[data-screen="month-end"]').click();
    await page.getByRole('heading', { name: 'Month-end', level: 1 }).waitFor();
  };
  const pick = async (month: string) => {
    await page.getByTestId('month-picker').selectOption(month);
    await page
      .getByTestId('month-summary')
      .filter({ hasText: monthName(month) })
      .waitFor({ timeout: 60_000 });
  };
  const summary = () => page.getByTestId('month-summary');
  const toast = (text: RegExp) => page.getByTestId('toasts').getByText(text);
  const bucketTab = (name: RegExp) => page.getByRole('tablist', { name: 'Buckets' }).getByRole('tab', { name });
  const answerDialog = async (reason: string) => {
    const dialog = page.getByTestId('month-reason');
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
  };

  /** A copy of a posted Swedish invoice, made in Visma after the sync: nothing in AvaTax has it. */
  const copyInVisma = async (number: string) => {
    const posted = await web.controller.workspace.store.ledger.byState('posted');
    const source = posted.find((d) => d.documentType === 'invoice' && d.currency === 'SEK')!;
    web.controller.workspace.sandboxes!.visma.createDocument('invoice', source.referenceNumber, number);
  };

  beforeAll(async () => {
    browser = await launch();
    web = await host();
    // The demo company synced once, as the accountant's Sync now would have done during the month.
    expect((await web.controller.runSync('user')).outcome).toBe('completed');
    page = await open(browser, web.url);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('a clean month: the summary says so, it closes (audited) and reopens only with a reason', async () => {
    await goMonthEnd();
    await pick(quietMonth);
    await expect(summary().getAttribute('data-clean')).resolves.toBe('true');
    await expect(summary().textContent()).resolves.toContain(`${monthName(quietMonth)} is clean`);
    await page.getByText('Neither Visma nor AvaTax has a document dated in this month.').waitFor();
    const close = page.getByTestId('close-month');
    await expect(close.isEnabled()).resolves.toBe(true);
    await page.getByLabel('Note for the close report (optional)').fill('Nothing sold');
    await close.click();
    await page.getByTestId('close-confirm-submit').click();
    await toast(new RegExp(`${monthName(quietMonth)} is closed`)).waitFor({ timeout: 60_000 });
    await page.getByTestId('month-closed').waitFor();
    expect(web.controller.workspace.store.state.closedMonth(quietMonth)).toMatchObject({ note: 'Nothing sold' });
    await shot(page, 'month-01-clean-month-closed');

    await page.getByRole('button', { name: 'Reopen month' }).click();
    const dialog = page.getByTestId('month-reason');
    await dialog.locator('button[type="submit"]').click();
    await dialog.getByText(/Say why in at least 3 characters/).waitFor();
    await answerDialog('A late credit note');
    await toast(new RegExp(`${monthName(quietMonth)} is reopened`)).waitFor();
    await page.getByTestId('month-closed').waitFor({ state: 'detached', timeout: 60_000 });
    expect(web.controller.workspace.store.state.closedMonth(quietMonth)).toBeUndefined();
  });

  it('a month with blockers: says how many, lists them under a disabled Close, and main refuses to close it', async () => {
    await pick(thisMonth);
    await expect(summary().getAttribute('data-clean')).resolves.toBe('false');
    const said = (await summary().textContent()) ?? '';
    const blocking = Number(/(\d+) documents? blocks? closing/.exec(said)?.[1]);
    expect(blocking).toBeGreaterThan(0);
    await expect(page.getByTestId('close-month').isDisabled()).resolves.toBe(true);
    const list = page.getByTestId('close-blockers');
    await expect(list.locator('li').count()).resolves.toBeGreaterThan(0);
    for (const b of ['matched', 'differs', 'onlyInVisma', 'onlyInAvatax', 'uncommitted', 'accepted'])
      await page.getByTestId(`count-${b}`).waitFor();
    await shot(page, 'month-02-blockers');
    // Even a page that sends the close anyway is refused: the close check runs in main.
    const answer = await page.evaluate(
      async ({ token, month }) =>
        (
          await fetch('/ipc/month%3Aclose', {
            method: 'POST',
            body: JSON.stringify({ month }),
            headers: { 'x-taxsync-token': token, 'content-type': 'application/json' },
          })
        ).json(),
      { token: web.token, month: thisMonth },
    );
    // The running month is refused whatever it holds (issue 15 #7): a month closes once it has ended.
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/has not ended yet/) } });
    expect(web.controller.workspace.store.state.closedMonth(thisMonth)).toBeUndefined();
  });

  it('reprocess, accept with a reason, and open a document in its detail from the bucket tables', async () => {
    // Reprocess: an invoice made in Visma after the sync, never sent, is only in Visma until it is reprocessed.
    await copyInVisma('269901');
    await page.getByRole('button', { name: 'Read again' }).click();
    await bucketTab(/^Only in Visma/).click();
    const fresh = page.locator('tbody tr', { has: page.getByRole('button', { name: 'Open 269901' }) });
    await fresh.waitFor({ timeout: 60_000 });
    await expect(fresh.textContent()).resolves.toMatch(/Never sent/);
    await fresh.getByRole('button', { name: 'Reprocess' }).click();
    await toast(/^269901 reprocessed: /).waitFor({ timeout: 60_000 });
    await fresh.waitFor({ state: 'detached', timeout: 60_000 });

    // Accept: a variance someone agreed to moves to Accepted difference.
    await bucketTab(/^Differs/).click();
    const accept = page.getByRole('button', { name: 'Accept with reason' }).first();
    await accept.waitFor();
    const acceptedRow = page.locator('tbody tr', { has: accept }).first();
    const code = (await acceptedRow.getAttribute('data-testid'))!.replace(/^doc-/, '');
    const accepted = (await acceptedRow.locator('td').first().getByRole('button').textContent())!.trim();
    const acceptedBefore = Number(await page.getByTestId('count-accepted').textContent());
    await accept.click();
    await page
      .getByTestId('month-reason')
      .getByText(/Visma's booked VAT stays as it is/)
      .waitFor();
    await answerDialog('Reduced rate confirmed with the customer');
    await toast(new RegExp(`^The difference on ${accepted} is accepted$`)).waitFor({ timeout: 60_000 });
    await page
      .getByTestId('count-accepted')
      .filter({ hasText: String(acceptedBefore + 1) })
      .waitFor({ timeout: 60_000 });
    await bucketTab(/^Accepted difference/).click();
    await page
      .getByTestId(`doc-${code}`)
      .getByText(/Reduced rate confirmed with the customer/)
      .waitFor();
    await shot(page, 'month-03-accepted');

    // Drill down: the document number opens the same detail panel as Transactions.
    await page
      .getByTestId(`doc-${code}`)
      .getByRole('button', { name: /^Open / })
      .click();
    const panel = page.getByRole('complementary');
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toMatch(/Accepted/);
    await shot(page, 'month-04-document-detail');
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('voids, with a reason, an AvaTax document Visma never had', async () => {
    await webShopOrderInAvaTax(web, 'SHOP-E2E-1', thisMonth);
    await page.getByRole('button', { name: 'Read again' }).click();
    await bucketTab(/^Only in AvaTax/).click();
    const row = page.getByTestId('doc-SHOP-E2E-1');
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: 'Void in AvaTax' }).click();
    await answerDialog('Test order from the web shop');
    await toast(/^SHOP-E2E-1 is voided in AvaTax$/).waitFor({ timeout: 60_000 });
    await row.waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('exports the reconciliation and the VAT report, and says where the files went', async () => {
    await page.getByRole('button', { name: 'Export reconciliation' }).click();
    const result = page.getByTestId('month-export-result');
    await result.getByText('The reconciliation is saved in these files:').waitFor({ timeout: 60_000 });
    await expect(result.locator('code').first().textContent()).resolves.toMatch(/exports[\\/].*\.csv$/);
    await page.getByRole('button', { name: 'Export VAT report' }).click();
    await result.getByText('The VAT report is saved in these files:').waitFor({ timeout: 60_000 });
    // The figures the returns are filed from, apart: domestic VAT, and OSS VAT which is not on it.
    await result.getByText(/^Domestic VAT \(the VAT return\): SEK/).waitFor();
    await result.getByText(/OSS VAT \(the OSS return, not the domestic one\): SEK/).waitFor();
    await expect(result.getByRole('button', { name: /^Download / }).count()).resolves.toBeGreaterThan(0);
    await result.scrollIntoViewIfNeeded();
    await shot(page, 'month-05-exported');
  });

  it('a dry run shows what AvaTax would calculate, and records nothing', async () => {
    const before = JSON.stringify(await web.controller.workspace.store.ledger.all());
    const panel = page.getByTestId('dry-run');
    await panel.getByLabel('Only documents not yet released').check();
    await panel.getByRole('button', { name: 'Run dry run' }).click();
    const result = page.getByTestId('dry-run-result');
    await result.getByText('Nothing was recorded in AvaTax or written to Visma.').waitFor({ timeout: 120_000 });
    await result.getByRole('table', { name: 'Dry run totals per currency' }).waitFor();
    expect(JSON.stringify(await web.controller.workspace.store.ledger.all())).toBe(before);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'month-06-dry-run');
  });

  it('a backfill starts, shows its progress, pauses and resumes to the end', async () => {
    // Three invoices the sync never saw: the first is sent, then the pace of one a minute makes the backfill wait.
    for (const n of ['269911', '269912', '269913']) await copyInVisma(n);
    const panel = page.getByTestId('backfill');
    const { from, to } = monthRange(thisMonth);
    await panel.getByLabel('From').fill(from);
    await panel.getByLabel('To').fill(to);
    await panel.getByLabel('Documents per minute').fill('1');
    await panel.getByRole('button', { name: 'Start backfill' }).click();
    const state = page.getByTestId('backfill-state');
    await state.filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });
    await panel.getByRole('progressbar', { name: 'Backfill progress' }).waitFor();
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'month-07-backfill-running');
    await panel.getByRole('button', { name: 'Pause' }).click();
    await state.filter({ hasText: 'Paused' }).waitFor({ timeout: 120_000 });
    expect(web.controller.workspace.store.state.backfill).toMatchObject({ status: 'paused' });
    await toast(/^The backfill is paused: /).waitFor();
    await panel.getByLabel('Documents per minute').fill('1000');
    await panel.getByRole('button', { name: 'Resume' }).click();
    await state.filter({ hasText: 'Finished' }).waitFor({ timeout: 170_000 });
    await toast(/^The backfill is finished: (\d+) of \1 documents$/).waitFor();
    expect(web.controller.workspace.store.state.backfill).toMatchObject({ status: 'completed' });
    await shot(page, 'month-08-backfill-finished');
  });

  it('prints a close report: the report alone, without the sidebar or the buttons', async () => {
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByRole('button', { name: 'Print close report' }).click();
    await expect(page.evaluate(() => (window as unknown as { printed: number }).printed)).resolves.toBe(1);
    await page.emulateMedia({ media: 'print' });
    try {
      const report = page.getByTestId('close-report');
      await expect(report.isVisible()).resolves.toBe(true);
      await expect(page.locator('.sidebar').isVisible()).resolves.toBe(false);
      await expect(page.getByTestId('close-month').isVisible()).resolves.toBe(false);
      await expect(report.textContent()).resolves.toContain(`Close report: ${monthName(thisMonth)}`);
      await expect(report.textContent()).resolves.toMatch(/What blocks the month/);
      await shot(page, 'month-09-close-report-print');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('a change to a closed month shows on the Overview with a way to Month-end, where it is marked as seen', async () => {
    const state = web.controller.workspace.store.state;
    state.noteClosedMonthChange({
      month: quietMonth,
      key: 'invoice:260001',
      referenceNumber: '260001',
      at: new Date(TEST_NOW).toISOString(),
      detail: 'Voided in Visma after its month was closed',
    });
    await page.locator('.sidebar button[data-screen="overview"]').click();
    await web.controller.workspace.store.checkpoint();
    await page.reload();
    const banner = page.getByTestId('closed-month-changes');
    await banner.waitFor({ timeout: 30_000 });
    await expect(banner.textContent()).resolves.toContain('260001');
    await shot(page, 'month-10-overview-closed-month-changed');
    await banner.getByRole('button', { name: 'Open Month-end' }).click();
    await page
      .getByTestId('month-summary')
      .filter({ hasText: monthName(quietMonth) })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('month-changes').getByRole('button', { name: 'Mark as seen' }).click();
    await toast(/^1 change marked as seen$/).waitFor();
    await page.locator('.sidebar button[data-screen="overview"]').click();
    await banner.waitFor({ state: 'detached' });
    expect(problemsOf(page)).toEqual([]);
  });

  it('speaks Swedish in a Swedish browser, amounts and months in Swedish form, dark theme included', async () => {
    const sv = await open(browser, web.url, { locale: 'sv-SE', dark: true });
    try {
      await sv.locator('.sidebar button[data-screen="month-end"]').click();
      await sv.getByRole('heading', { name: 'Månadsbokslut', level: 1 }).waitFor();
      await sv.getByTestId('month-picker').selectOption(thisMonth);
      const bar = sv.getByTestId('month-summary');
      await bar.filter({ hasText: /dokument hindrar stängning av \w+ \d{4}/ }).waitFor({ timeout: 60_000 });
      await expect(sv.getByTestId('bucket-summary').textContent()).resolves.toMatch(
        /\d+,\d{2}\u00a0SEK|SEK\u00a0[\d\u00a0]+,\d{2}/,
      );
      await expect(sv.getByTestId('close-month').textContent()).resolves.toMatch(/^Stäng /);
      await shot(sv, 'month-11-swedish-dark');
      expect(problemsOf(sv)).toEqual([]);
    } finally {
      await sv.context().close();
    }
  });
});

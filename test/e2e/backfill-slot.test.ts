import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { monthRange } from '../../shared/month.js';
import { TEST_NOW } from '../helpers/clock.js';
import { host, launch, open, problemsOf, shot } from './harness.js';

/**
 * A backfill at one document a minute (hours for a year) in a real browser against the demo company: the panel says
 * which month it is in and how far, Sync now on the Overview is answered between its batches while it still runs,
 * and Pause stops it with its position kept (issue 14, item 12).
 */
const thisMonth = new Date(TEST_NOW).toISOString().slice(0, 7);
const monthName = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
  new Date(`${thisMonth}-01T00:00:00Z`),
);

describe('a paced backfill and the short jobs', () => {
  let browser: Browser;
  let web: WebHost;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
    web = await host();
    expect((await web.controller.runSync('user')).outcome).toBe('completed');
    // Three invoices of history the modified-since sync never reads (last changed before anything it has seen): the
    // backfill sends the first, then its pace of one a minute makes it wait before each of the others.
    const posted = await web.controller.workspace.store.ledger.byState('posted');
    const source = posted.find((d) => d.documentType === 'invoice' && d.currency === 'SEK')!;
    const visma = web.controller.workspace.sandboxes!.visma;
    const oldest = visma.state.documents.map((d) => d.lastModifiedDateTime).sort()[0]!;
    for (const n of ['269921', '269922', '269923'])
      visma.createDocument('invoice', source.referenceNumber, n).lastModifiedDateTime = oldest;
    page = await open(browser, web.url);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('says what runs, answers Sync now between batches, and pauses on request', async () => {
    const goMonthEnd = async () => {
      await page.locator('.sidebar button[data-screen="month-end"]').click();
      await page.getByRole('heading', { name: 'Month-end', level: 1 }).waitFor();
    };
    await goMonthEnd();
    const panel = page.getByTestId('backfill');
    const { from, to } = monthRange(thisMonth);
    await panel.getByLabel('From').fill(from);
    await panel.getByLabel('To').fill(to);
    await panel.getByLabel('Documents per minute').fill('1');
    await panel.getByRole('button', { name: 'Start backfill' }).click();
    const state = page.getByTestId('backfill-state');
    await state.filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });
    await page
      .getByTestId('backfill-progress')
      .filter({ hasText: new RegExp(`^Backfill running: ${monthName}, \\d+ of \\d+ documents`) })
      .waitFor({ timeout: 60_000 });
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'backfill-slot-01-running');

    // Sync now is open while only the backfill runs, and answered long before the backfill's hour is up.
    await page.locator('.sidebar button[data-screen="overview"]').click();
    const syncNow = page.getByRole('button', { name: 'Sync now' });
    await expect.poll(() => syncNow.isEnabled(), { timeout: 30_000 }).toBe(true);
    await syncNow.click();
    await page
      .getByTestId('toasts')
      .getByText(/^Sync finished\./)
      .waitFor({ timeout: 90_000 });
    expect(web.controller.workspace.engine.backfillRunning).toBe(true);

    await goMonthEnd();
    await state.filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });
    await panel.getByRole('button', { name: 'Pause' }).click();
    await state.filter({ hasText: 'Paused' }).waitFor({ timeout: 120_000 });
    expect(web.controller.workspace.store.state.backfill).toMatchObject({ status: 'paused' });
    expect(web.controller.workspace.store.state.backfill!.done).toBeLessThan(
      web.controller.workspace.store.state.backfill!.total,
    );
    await panel.getByRole('button', { name: 'Resume' }).waitFor();
    await shot(page, 'backfill-slot-02-paused');
    expect(problemsOf(page)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { parseCsv } from '../helpers/parse-csv.js';
import { go, host, launch, nav, open, policyMessagesOf, problemsOf, requestsOf, shot } from './harness.js';

describe('the desktop UI in a real browser, on the demo company', () => {
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

  it('first start is the demo company: banner, Sync now, progress, counts', async () => {
    await expect(page.getByTestId('demo-banner').textContent()).resolves.toMatch(/Demo company/);
    await expect(page.getByTestId('count-posted').textContent()).resolves.toBe('0');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('progressbar', { name: 'Sync progress' }).waitFor({ timeout: 10_000 });
    await shot(page, '01-overview-syncing');
    await page.getByTestId('last-outcome').getByText('Completed').waitFor({ timeout: 120_000 });
    const posted = Number(await page.getByTestId('count-posted').textContent());
    const flagged = Number(await page.getByTestId('count-flagged').textContent());
    expect(posted).toBeGreaterThan(50);
    expect(flagged).toBeGreaterThan(0);
    await page.getByText(/Sync finished\. Posted: \d+/).waitFor();
    // Many demo invoices were released before the first sync: the Overview says what share, and what to do.
    await page
      .getByTestId('arrived-released')
      .getByText(/Hold documents on entry/)
      .waitFor({ timeout: 35_000 });
    await shot(page, '02-overview-done');
  });

  it('Transactions: tabs, filters and the detail panel with the AvaTax result and history', async () => {
    await nav(page, /Transactions/);
    await page.getByRole('tab', { name: 'Posted' }).click();
    const row = page.locator('.vtable-row').first();
    await row.waitFor();
    await row.click();
    const detail = page.getByRole('complementary');
    await detail.getByText('AvaTax result per line').waitFor();
    await expect(detail.getByRole('heading', { name: 'VAT per VAT id' }).isVisible()).resolves.toBe(true);
    await expect(detail.getByTestId('vat-compare').locator('thead').textContent()).resolves.toMatch(
      /Booked in Visma.*AvaTax calculated/,
    );
    await expect(detail.locator('.history li').count()).resolves.toBeGreaterThan(2);
    await shot(page, '03-transactions-detail');
    await page.getByRole('combobox', { name: 'Country' }).selectOption('DK');
    await page.waitForTimeout(300);
    // With the panel open the country column gives way to amount, tax and state; Escape closes the panel.
    await page.keyboard.press('Escape');
    const countries = await page.locator('.vtable-row [data-column="country"]').allTextContents();
    expect(countries.length).toBeGreaterThan(0);
    expect(new Set(countries)).toEqual(new Set(['DK']));
    // Keyboard: arrow down moves focus to the next row, Enter opens it.
    await page.locator('.vtable-row').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-index'))).resolves.toBe('1');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(200);
    await expect(page.locator('.vtable-row.selected').getAttribute('data-index')).resolves.toBe('1');
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('Flagged: use the suggestion, save to Visma and reprocess → posted', async () => {
    await nav(page, /Flagged addresses/);
    await page.getByRole('button', { name: /Lone Star Fika Co\./ }).click();
    await expect(page.getByTestId('suggested-address').textContent()).resolves.toMatch(/1999 Marilla St/);
    await shot(page, '04-flagged-suggestion');
    await page.getByRole('button', { name: 'Use suggestion' }).click();
    await page.getByRole('button', { name: 'Use the suggested address' }).click();
    await expect(page.getByLabel('Street', { exact: true }).inputValue()).resolves.toBe('1999 Marilla St');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    await page.getByText(/Address saved to Visma; \d+ documents? reprocessed/).waitFor({ timeout: 60_000 });
    await expect(page.getByRole('button', { name: /Lone Star Fika Co\./ }).count()).resolves.toBe(0);
    await nav(page, /Transactions/);
    await page.getByRole('tab', { name: 'All' }).click();
    await page.getByLabel('Search number, customer or AvaTax code').fill('Lone Star');
    await page.waitForTimeout(400);
    const states = await page.locator('.vtable-row .badge').allTextContents();
    expect(states.length).toBeGreaterThan(0);
    // Out of flagged: posted or calculated, or in front of the user where Visma booked no sales tax.
    for (const s of states) expect(['Posted', 'Calculated, awaiting release', 'Needs attention']).toContain(s);
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('Flagged: edit by hand (a Swedish postal code) and reprocess', async () => {
    await nav(page, /Flagged addresses/);
    await page.locator('.flag-item').first().waitFor();
    await shot(page, '04b-flagged-before-edit');
    await page.getByRole('button', { name: /Ängsbacka Gård/ }).click();
    await expect(
      page.getByText('No suggestion (AvaTax resolves US and Canadian addresses only).', { exact: false }).isVisible(),
    ).resolves.toBe(true);
    await page.getByLabel('Postal code').fill('');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    await page.getByText('Postal code is required').waitFor();
    await page.getByLabel('Postal code').fill('546 31');
    await page.getByRole('button', { name: 'Save to Visma and reprocess' }).click();
    await page.getByText(/^Address saved to Visma; \d+ documents reprocessed/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /Ängsbacka Gård/ }).waitFor({ state: 'detached' });
    await shot(page, '04c-flagged-after-edit');
  });

  it('Audit: export the month and the CSV holds the rows', async () => {
    await nav(page, /Audit/);
    await page
      .getByTestId('audit-count')
      .getByText(/^[1-9][\d,.\s\u00a0\u202f]* entries$/)
      .waitFor();
    const shown = Number((await page.getByTestId('audit-count').textContent())!.replace(/\D/g, ''));
    expect(shown).toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Export month CSV' }).click();
    const result = page.getByTestId('export-result');
    await result.waitFor({ timeout: 30_000 });
    await shot(page, '05-audit-export');
    const file = (await result.locator('code').first().textContent())!;
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows[0]!.slice(0, 4)).toEqual(['timestamp_utc', 'run_id', 'actor', 'action']);
    expect(rows.length - 1).toBe(shown);
    expect(rows.some((r) => r[3] === 'address-fixed')).toBe(true);
    // The documents file: the message counts its rows as a spreadsheet does (one per document and VAT id).
    const documentsFile = (await result.locator('code').nth(1).textContent())!;
    const documentLines = parseCsv(readFileSync(documentsFile, 'utf8')).length - 1;
    await expect(result.getByTestId('documents-file-count').textContent()).resolves.toMatch(
      new RegExp(`^\\d+ documents in ${documentLines} rows \\(one row per VAT id\\)$`),
    );
    // The download is fetched with the token in a header and handed to the browser as a blob: address.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('button', { name: 'Download audit CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(basename(file));
    expect(download.url()).toMatch(/^blob:/);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3, 16).toString('utf8')).toBe('timestamp_utc');
    expect(bytes.equals(readFileSync(file))).toBe(true);
  });

  it('Audit: to the second, who did it, and links to the document or the customer an entry touched', async () => {
    await nav(page, /Audit/);
    await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Address fixed' });
    const row = page.locator('.vtable-row').first();
    await row.waitFor();
    await expect(row.locator('[data-column="at"]').textContent()).resolves.toMatch(/\d{2}:\d{2}:\d{2}/);
    await expect(row.locator('[data-column="actor"]').textContent()).resolves.not.toBe('User');
    const customer = row.getByRole('button', { name: /^Show the documents of customer / });
    const number = /customer (\S+) in/.exec((await customer.getAttribute('aria-label'))!)![1]!;
    await shot(page, '05b-audit-links');
    await customer.click();
    await page.getByRole('heading', { name: 'Transactions' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Customer' }).inputValue()).resolves.toBe(number);
    const customers = await page.locator('.vtable-row [data-column="customer"]').allTextContents();
    expect(new Set(customers).size).toBe(1);

    await nav(page, /Audit/);
    await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Reprocessed' });
    const doc = page
      .locator('.vtable-row')
      .first()
      .getByRole('button', { name: /^Open \S+ in Transactions$/ });
    const reference = (await doc.textContent())!;
    await doc.focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('complementary')
      .getByRole('heading', { name: new RegExp(`${reference}$`) })
      .waitFor();
    // From the document to all of its customer's documents.
    const panel = page.getByRole('complementary');
    const customerName = (await panel.locator('dd').first().textContent())!.replace(/ \(.*$/, '');
    await panel.getByTestId('customer-documents').click();
    await page.waitForFunction((name) => {
      const cells = [...document.querySelectorAll('.vtable-row [data-column="customer"]')];
      return cells.length > 0 && cells.every((c) => c.textContent === name);
    }, customerName);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('Settings: bad input is rejected, section by section, with a message a finance user understands', async () => {
    await nav(page, /Settings/);
    await page.getByLabel('Tenant id (Company)').fill('7c2a5e0e-0000');
    await page.getByLabel('API URL').first().fill('finance.visma.net');
    await page.getByRole('button', { name: 'Save Visma.net ERP' }).click();
    await expect(page.getByTestId('settings-errors-visma').textContent()).resolves.toMatch(
      /Visma\.net ERP › API URL: must be a web address/,
    );
    await page.locator('#from-line1').fill('');
    await page.getByRole('button', { name: 'Save Ship-from address' }).click();
    await expect(page.getByTestId('settings-errors-company').textContent()).resolves.toMatch(
      /Ship-from address › Street: is required/,
    );
    await page.getByRole('button', { name: 'Add mapping row' }).click();
    const n = await page.getByTestId('vat-mapping').locator('tbody').count();
    await page.getByLabel(`Row ${n} destination country`).fill('SE');
    await page.getByLabel(`Row ${n} rate in percent`).fill('25');
    await page.getByLabel(`Row ${n} VAT category`).selectOption('STD');
    await page.getByRole('button', { name: 'Save VAT mapping' }).click();
    await expect(page.getByTestId('settings-errors-mapping').textContent()).resolves.toMatch(
      new RegExp(`VAT mapping › row ${n} › VAT id: is required`),
    );
    await shot(page, '06-settings-errors');
    await page.getByRole('button', { name: 'Test AvaTax connection' }).click();
    await page.getByRole('status').filter({ hasText: /✗/ }).first().waitFor();
  });

  it('the host takes the token only in its header: ?token= is refused, and the page never sends one', async () => {
    const problemsBefore = problemsOf(page).length;
    const answers = await page.evaluate(async (token) => {
      const ask = async (path: string, init: RequestInit = {}) => (await fetch(path, init)).status;
      const q = `token=${encodeURIComponent(token)}`;
      return {
        ipcQuery: await ask(`/ipc/app%3Astatus?${q}`, { method: 'POST', body: '{}' }),
        eventsQuery: await ask(`/events?${q}`),
        exportQuery: await ask(`/exports/audit-2026-11.csv?${q}`),
        ipcHeader: await ask('/ipc/app%3Astatus', {
          method: 'POST',
          body: '{}',
          headers: { 'x-taxsync-token': token },
        }),
      };
    }, web.token);
    expect(answers).toEqual({ ipcQuery: 403, eventsQuery: 403, exportQuery: 403, ipcHeader: 200 });
    // Chromium logs each refusal; those three are this test's doing, not the app's.
    const logged = problemsOf(page).splice(problemsBefore);
    expect(logged).toHaveLength(3);
    for (const line of logged) expect(line).toMatch(/status of 403/);
    // Of everything the page asked for since it opened, only the three refused above carry a token.
    expect(requestsOf(page).length).toBeGreaterThan(10);
    expect(requestsOf(page).filter((u) => new URL(u).searchParams.has('token'))).toHaveLength(3);
  });

  it('locale and dark theme: Swedish amounts, readable in the dark', async () => {
    await page.evaluate(() => {
      localStorage.setItem('taxsync.locale', 'sv-SE');
      localStorage.setItem('taxsync.theme', 'dark');
    });
    await page.reload();
    await go(page, 'transactions');
    await page.locator('.vtable-row').first().waitFor();
    const amount = await page.locator('.vtable-row [data-column="amount"]').first().textContent();
    expect(amount).toMatch(/\d,\d{2}\s?[A-Z]{3}$/u); // sv-SE: decimal comma, code after the number
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await shot(page, '07-transactions-dark-sv');
    expect(problemsOf(page)).toEqual([]);
  });

  it('broke no rule of the Content Security Policy on any screen (no inline style or script)', async () => {
    // The policy allows no inline style: every style prop must go through the CSSOM, no <style> injected.
    const csp = await page.evaluate(async () => (await fetch('/')).headers.get('content-security-policy'));
    expect(csp).toMatch(/style-src 'self';/);
    expect(csp).not.toMatch(/unsafe-inline/);
    for (const screen of ['overview', 'transactions', 'flagged', 'audit', 'settings'] as const) {
      await go(page, screen);
      await page.waitForTimeout(150);
    }
    expect(await page.locator('style').count()).toBe(0);
    expect(policyMessagesOf(page)).toEqual([]);
  });
});

describe('the virtualised table with 50,000 documents', () => {
  let browser: Browser;
  let web: WebHost;
  beforeAll(async () => {
    browser = await launch();
    web = await host({ bulk: 50_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('renders fewer than 200 rows in the DOM, at the top and after scrolling to the end', async () => {
    const page = await open(browser, web.url);
    await nav(page, /Transactions/);
    await page
      .getByTestId('tx-total')
      .getByText(/50[,.\s\u00a0\u202f]?\d{3} documents/)
      .waitFor({ timeout: 60_000 });
    await page.locator('.vtable-row').first().waitFor();
    const top = await page.locator('.vtable-row').count();
    expect(top).toBeGreaterThan(10);
    expect(top).toBeLessThan(200);
    await page.getByTestId('vtable-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForTimeout(300);
    const bottom = await page.locator('.vtable-row').count();
    expect(bottom).toBeLessThan(200);
    const lastIndex = await page.locator('.vtable-row').last().getAttribute('data-index');
    expect(Number(lastIndex)).toBeGreaterThan(49_000);
    await shot(page, '08-transactions-50k');
    expect(policyMessagesOf(page)).toEqual([]);
  });
});

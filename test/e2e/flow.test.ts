import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
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

  it('first start: the demo company, Sync now, the counts', async () => {
    await page.getByTestId('demo-banner').waitFor();
    await shot(page, 'flow-01-first-start');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('[data-testid="last-outcome"].outcome-completed').waitFor({ timeout: 120_000 });
    expect(Number(await page.getByTestId('count-posted').textContent())).toBeGreaterThan(50);
    await shot(page, 'flow-02-overview-after-sync');
  });

  it('an error is said in words, with the technical detail folded away', async () => {
    await go(page, 'settings');
    await page.locator('#visma-tenant').fill('7c2a5e0e-0000');
    await page.locator('#visma-client').fill('taxsync');
    await page.locator('#visma-secret').fill('s3cret');
    await page.locator('#visma-api').fill('http://127.0.0.1:9');
    await page.locator('#visma-token').fill('http://127.0.0.1:9/token');
    await page.locator('#from-line1').fill('Storgatan 1');
    await page.locator('#from-postal').fill('903 26');
    await page.locator('#from-city').fill('Umeå');
    await page.getByRole('button', { name: 'Test Visma connection' }).click();
    const result = page.locator('.test-row [role="status"]').first();
    await result.getByText(/^Visma could not be reached \(network\)\. Tried \d+ times\.$/).waitFor({ timeout: 30_000 });
    const detail = result.locator('details');
    await expect(detail.getAttribute('open')).resolves.toBeNull();
    await expect(detail.locator('summary').textContent()).resolves.toBe('Technical detail');
    await expect(detail.locator('code').textContent()).resolves.toMatch(/ECONNREFUSED 127\.0\.0\.1:9/);
    await detail.locator('summary').click();
    await shot(page, 'flow-03-error-in-words');
    await page.reload();
  });

  it('said nothing the console would call an error', () => {
    expect(problemsOf(page)).toEqual([]);
  });
});

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
    await shot(page, 'flow-04-error-in-words');
    await page.reload();
  });

  it('said nothing the console would call an error', () => {
    expect(problemsOf(page)).toEqual([]);
  });
});

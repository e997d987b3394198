import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/web-host.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { go, host, launch, open, problemsOf, shot } from './harness.js';

/**
 * Issue 17, item 1: the engine's own words (the decision's variance and needs-attention reasons, the effects in
 * the audit trail, the run's entries) are codes rendered in the reader's language. In Swedish, Danish and
 * German none of these English words may show on Transactions (a variance and a flagged document, their
 * history), Month-end (a month with blockers) or the Audit screen. Screenshots: test-results/e2e/words-*.png.
 */
const ENGLISH = [
  /\bmissing\b/,
  /\bdiffers?\b/,
  /\bbooked\b/,
  /\bVisma booked\b/,
  /\bneeds attention\b/i,
  /\bEvery\b/,
  /\bminutes?\b/,
  /\bcalculates?\b/,
  /\bcommitted\b/i,
  /\bRecorded in AvaTax\b/,
  /\bSent to Visma\b/,
  /\bRead back\b/,
  /\bShip-to address\b/,
  /\bSync started\b/,
  /\bchanged documents\b/,
  /\bNext run reads\b/,
  /\bwaiting\b/i,
  /\baccept it\b/,
  /\bCorrect it\b/,
  /\bReprocess it\b/,
  /\bVAT id\b/,
  /\bon line\b/,
  /\bthe document\b/i,
  /\bverified\b/i,
  /\bDry run\b/,
  /\bexported\b/i,
  /\bmatched\b/,
  /\bNothing recorded\b/,
];

const LANGUAGES = [
  { locale: 'sv-SE', tabs: { attention: 'Kräver åtgärd', flagged: 'Flaggade' } },
  { locale: 'da-DK', tabs: { attention: 'Kræver handling', flagged: 'Markerede' } },
  { locale: 'de-DE', tabs: { attention: 'Prüfung erforderlich', flagged: 'Markiert' } },
] as const;

const THIS_MONTH = TEST_MONTH;

/** The reasons in the grid's tab, and the first row's reasons and history in the detail panel. */
async function tabWords(p: Page, tab: string): Promise<string[]> {
  await go(p, 'transactions');
  await p.getByRole('tab', { name: tab, exact: true }).click();
  const rows = p.locator('.vtable-row [data-column="reason"]');
  await rows.first().waitFor();
  const words = [(await rows.allTextContents()).join('\n')];
  await p.locator('.vtable-row').first().click();
  await p.locator('aside.detail ol.history li').first().waitFor();
  words.push((await p.locator('aside.detail ul.reasons').textContent()) ?? '');
  words.push((await p.locator('aside.detail ol.history').textContent()) ?? '');
  return words;
}

describe("the engine's words in the user's language", () => {
  let browser: Browser;
  let web: WebHost;

  beforeAll(async () => {
    browser = await launch();
    web = await host();
    expect((await web.controller.runSync('user')).outcome).toBe('completed');
    // Month-end's own entries in the trail: a dry run and an exported reconciliation of the month.
    const engine = web.controller.workspace.engine;
    await engine.dryRun({ unreleased: true }, 'user');
    await engine.exportReconciliation(THIS_MONTH, 'user', {
      dir: mkdtempSync(join(tmpdir(), 'taxsync-words-')),
      delimiter: ';',
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  for (const lang of LANGUAGES) {
    it(`no English reason word on the ${lang.locale} screens`, async () => {
      const p = await open(browser, web.url, { locale: lang.locale });
      const seen: { screen: string; text: string }[] = [];
      const add = (screen: string, texts: string[]) => {
        for (const text of texts) seen.push({ screen, text });
      };
      try {
        // Transactions: a variance (needs attention) and a flagged document, each with its history.
        add('needs-attention', await tabWords(p, lang.tabs.attention));
        await shot(p, `words-01-variance-${lang.locale}`);
        await p.keyboard.press('Escape');
        add('flagged', await tabWords(p, lang.tabs.flagged));
        await shot(p, `words-02-flagged-${lang.locale}`);
        await p.keyboard.press('Escape');

        // Month-end of this month: its blockers, each blocking bucket's documents with their why.
        await p.locator('.sidebar button[data-screen="month-end"]').click();
        await p.getByTestId('month-picker').selectOption(THIS_MONTH);
        await p.getByTestId('close-blockers').waitFor({ timeout: 60_000 });
        add('month-end', [(await p.getByTestId('close-blockers').textContent()) ?? '']);
        const blocking = p.locator('[data-testid="bucket-summary"] tr.blocking button');
        for (let i = 0; i < (await blocking.count()); i++) {
          await blocking.nth(i).click();
          await p.locator('.why-line').first().waitFor();
          add('month-end', await p.locator('tr[data-bucket]').allTextContents());
        }
        // The close report (printed): its blocking documents with their why.
        add('close report', [(await p.getByTestId('close-report').textContent()) ?? '']);
        await shot(p, `words-03-month-end-${lang.locale}`);

        // Audit: the sync's entries, action by action.
        await go(p, 'audit');
        for (const action of [
          'run-started',
          'fetched',
          'address-checked',
          'calculated',
          'written-back',
          'committed',
          'variance',
          'needs-attention',
          'flagged',
          'verified',
          'awaiting-release',
          'run-finished',
          'dry-run',
          'exported',
        ]) {
          await p.locator('form.filters select').nth(1).selectOption(action);
          await p.waitForFunction((a) => {
            const actions = [...document.querySelectorAll('.vtable-row [data-column="action"]')];
            const titles = actions.map((e) => e.getAttribute('title') ?? e.textContent);
            return actions.length === 0 || titles.every((t) => t === titles[0]) || a === '';
          }, action);
          add(`audit ${action}`, await p.locator('.vtable-row [data-column="detail"]').allTextContents());
        }
        await shot(p, `words-04-audit-${lang.locale}`);

        expect(seen.filter((s) => s.screen === 'needs-attention').length).toBeGreaterThan(0);
        const english = seen.flatMap(({ screen, text }) =>
          ENGLISH.filter((w) => w.test(text)).map((w) => `${screen}: ${w.source} in "${text.slice(0, 300)}"`),
        );
        expect(english).toEqual([]);
        expect(problemsOf(p)).toEqual([]);
      } finally {
        await p.context().close();
      }
    }, 180_000);
  }
});

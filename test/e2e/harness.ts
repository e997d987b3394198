import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createConnectors } from '../../electron/connectors/index.js';
import { DEMO_SHIP_FROM } from '../../electron/sandbox/demo-company.js';
import { startWebHost, type WebHost } from '../../electron/web-host.js';
import { monthRange } from '../../shared/month.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';

export const SHOTS = join(process.cwd(), 'test-results', 'e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The web host on the tests' clock (`TEST_NOW`, moving on from there), never the calendar's. */
export async function host(options: { bulk?: number; dataDir?: string } = {}): Promise<WebHost> {
  if (!existsSync(join('out', 'renderer', 'index.html'))) throw new Error('Build the renderer first: npm run build');
  return startWebHost({ bulk: options.bulk, dataDir: options.dataDir, now: testClock().now });
}

export async function open(
  browser: Browser,
  url: string,
  options: { dark?: boolean; locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.dark ? 'dark' : 'light',
    locale: options.locale ?? 'en-GB',
  });
  // The page's clock starts where the host's does, and runs on from there.
  await context.clock.install({ time: TEST_NOW });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  (page as Page & { seenRequests: string[] }).seenRequests = requests;
  const problems: string[] = [];
  const policy: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) policy.push(`${m.type()}: ${m.text()}`);
    else if (m.type() === 'error') problems.push(m.text());
  });
  (page as Page & { problems: string[] }).problems = problems;
  (page as Page & { policyMessages: string[] }).policyMessages = policy;
  await page.goto(url);
  return page;
}

export function problemsOf(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

/** What the console said about the Content Security Policy (a refused inline style, script or request). */
export function policyMessagesOf(page: Page): string[] {
  return (page as Page & { policyMessages?: string[] }).policyMessages ?? [];
}

/** Every address the page requested so far. */
export function requestsOf(page: Page): string[] {
  return (page as Page & { seenRequests?: string[] }).seenRequests ?? [];
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

export async function nav(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

/** The sidebar button of a screen, whatever language the UI speaks. */
export async function go(page: Page, screen: 'overview' | 'transactions' | 'flagged' | 'audit' | 'settings') {
  await page.locator(`.sidebar button[data-screen="${screen}"]`).click();
}

/** WCAG contrast ratio of two computed CSS colours ('rgb(r, g, b)'). */
export function contrastRatio(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Each visible link (and link-styled button) on the page: its text colour and the background it is drawn on. */
export function linkColours(page: Page): Promise<{ text: string; color: string; background: string }[]> {
  return page.evaluate(() => {
    const backgroundOf = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (!/^rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    return [...document.querySelectorAll<HTMLElement>('a[href], button.link')]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip'))
      .map((el) => ({
        text: el.textContent ?? '',
        color: getComputedStyle(el).color,
        background: backgroundOf(el),
      }));
  });
}

/**
 * A web-shop order recorded straight in AvaTax (committed, SEK 100, first day of `month`) that Visma never had:
 * what lands in "Only in AvaTax" and is voided from Month-end.
 */
export async function webShopOrderInAvaTax(web: WebHost, code: string, month: string): Promise<void> {
  const settings = web.controller.workspace.settings();
  await createConnectors(settings, web.controller.workspace.secrets()).avatax.createTransaction({
    type: 'SalesInvoice',
    code,
    companyCode: settings.avalara.companyCode,
    date: monthRange(month).from,
    customerCode: 'WEB',
    currencyCode: 'SEK',
    commit: true,
    addresses: { shipFrom: { ...DEMO_SHIP_FROM }, shipTo: { ...DEMO_SHIP_FROM } },
    lines: [{ number: '1', amount: 100, taxCode: 'P0000000' }],
  });
}

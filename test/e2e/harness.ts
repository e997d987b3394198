import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../../electron/web-host.js';

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

export async function host(options: { bulk?: number } = {}): Promise<WebHost> {
  if (!existsSync(join('out', 'renderer', 'index.html'))) throw new Error('Build the renderer first: npm run build');
  return startWebHost({ bulk: options.bulk });
}

export async function open(
  browser: Browser,
  url: string,
  options: { dark?: boolean; locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: options.dark ? 'dark' : 'light',
    locale: options.locale ?? 'en-GB',
  });
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

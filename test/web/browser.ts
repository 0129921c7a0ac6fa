import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { tempStore } from '../helpers.js';
import { startServe, type ServerProc } from '../serverHarness.js';

export const CHROMIUM = '/usr/bin/chromium';
/** CI installs Debian's chromium; without it these tests are skipped, saying why. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`web UI tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Served {
  dir: string;
  srv: ServerProc;
  close(): Promise<void>;
}

/** A temp store and a real `tack serve` on it (the built CLI: run `npm run build` first). */
export async function served(opts: { inline?: boolean; before?: (dir: string) => void } = {}): Promise<Served> {
  const repo = tempStore({ prefix: 'tack-web-', inline: opts.inline });
  opts.before?.(repo.dir);
  const srv = await startServe(repo.dir);
  return { dir: repo.dir, srv, close: async () => (await srv.stop(), repo.cleanup()) };
}

/** A page on the app whose console errors fail the test that reads them. */
export async function openApp(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/409|Conflict/.test(m.text()) && errors.push(m.text()));
  await page.goto(url);
  // Attached, not visible: on a phone the indicator is in the closed navigation drawer.
  await page.locator('.live.on').waitFor({ state: 'attached' });
  return { page, errors };
}

/**
 * One chromium and one served temp store for the tests of a `describe`: started in its
 * beforeAll (before the file's own beforeAll, which may fill the store), closed in its
 * afterAll. Read them through the getters once the hooks have run.
 */
export function useBrowserAndServer(opts: Parameters<typeof served>[0] = {}): {
  readonly browser: Browser;
  readonly s: Served;
} {
  let browser: Browser | undefined;
  let s: Served | undefined;
  beforeAll(async () => {
    [browser, s] = await Promise.all([launch(), served(opts)]);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (!v) throw new Error(`${what} is read before useBrowserAndServer's beforeAll ran`);
    return v;
  };
  return {
    get browser() {
      return ready(browser, 'the browser');
    },
    get s() {
      return ready(s, 'the served store');
    },
  };
}

/**
 * Run a palette command on the open page: Ctrl+K, the words, Enter once the first item is
 * that command (some come with data the page loads after the ticket, such as "Assign to me"
 * with the user's name; Enter before it would run whatever came first).
 */
export async function paletteCommand(page: Page, command: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.getByLabel('command', { exact: true }).fill(command);
  const literally = new RegExp(command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  await page.locator('.palette-item.selected').filter({ hasText: literally }).waitFor();
  await page.keyboard.press('Enter');
}

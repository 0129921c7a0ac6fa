import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tackJson, tackRaw } from '../helpers.js';
import { HAS_CHROMIUM, useBrowserAndServer } from './browser.js';

/*
 * The unfiltered list paints its first screen from a small answer (the server's `workflow`
 * order, web/src/ticketOrder.ts's FIRST_SCREEN) before every summary has arrived, and the
 * whole list that replaces it starts with the same rows in the same order.
 */

const FIRST = /\/api\/tickets\?.*sort=workflow/;
const ALL = /\/api\/tickets\?all=true&limit=0$/;

/** Tickets in every open state and priority, made at three different times (so `updated` orders them). */
function fill(dir: string): void {
  const states = ['triage', 'backlog', 'todo', 'in-progress', 'done'];
  const priorities = ['urgent', 'high', 'medium', 'low', 'none'];
  for (const [hour, n] of [
    [8, 30],
    [9, 25],
    [10, 25],
  ]) {
    const lines = Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        op: 'create',
        title: `Made at ${hour}h number ${i}`,
        status: states[(i * 3 + hour) % states.length],
        priority: priorities[(i + hour) % priorities.length],
      }),
    );
    const r = tackRaw(
      dir,
      ['batch', '--json'],
      { TACK_NOW: `2026-12-01T${String(hour).padStart(2, '0')}:00:00Z` },
      lines.join('\n'),
    );
    if (r.status !== 0) throw new Error(r.stderr);
  }
}

const rowIds = (page: Page) => page.locator('.row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
const groups = (page: Page) =>
  page.locator('.group').evaluateAll((gs) => gs.map((g) => (g.textContent ?? '').replace(/\s+/g, ' ').trim()));

describe.skipIf(!HAS_CHROMIUM)("the list's first screen", () => {
  const web = useBrowserAndServer({ before: fill });

  it('paints before the summaries arrive, in the order the whole list then shows', async () => {
    // Tall enough that every row of the first screen is drawn (the list draws only what shows).
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 2600 } });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(ALL, async (route) => (await held, route.continue()));
    const asked: string[] = [];
    page.on('request', (r) => /\/api\/tickets\?/.test(r.url()) && asked.push(r.url()));
    await page.goto(`${web.s.srv.url}/`);
    await page.locator('.row').first().waitFor({ timeout: 10_000 });
    const early = await rowIds(page);
    expect(early.length).toBeGreaterThan(10);
    // 64 open tickets, 50 in the first screen: the last group shown may go on, so it has no count yet.
    const earlyGroups = await groups(page);
    expect(earlyGroups[0]).toMatch(/^Triage \d+$/);
    expect(earlyGroups.at(-1)).toMatch(/^[A-Za-z ]+$/);
    expect(await page.getByTestId('count').textContent()).toBe('64 tickets');

    release();
    await expect.poll(async () => (await groups(page)).every((g) => /\d+$/.test(g)), { timeout: 10_000 }).toBe(true);
    const all = await rowIds(page);
    expect(all.slice(0, early.length)).toEqual(early);
    expect(await page.getByTestId('count').textContent()).toBe('64 tickets');
    // Each asked for once: the early answers were used.
    expect(asked.filter((u) => FIRST.test(u))).toHaveLength(1);
    expect(asked.filter((u) => ALL.test(u))).toHaveLength(1);
    await page.close();
  });

  it('is not asked for by a filtered list, which waits for every summary', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const asked: string[] = [];
    page.on('request', (r) => /\/api\/tickets\?/.test(r.url()) && asked.push(r.url()));
    await page.goto(`${web.s.srv.url}/?priority=urgent`);
    await page.locator('.row').first().waitFor({ timeout: 10_000 });
    const urgent = tackJson<unknown[]>(web.s.dir, 'list', '--priority', 'urgent', '--limit', '0').length;
    expect(urgent).toBeGreaterThan(0);
    expect(await page.getByTestId('count').textContent()).toBe(`${urgent} tickets`);
    expect(asked.some((u) => FIRST.test(u))).toBe(false);
    await page.close();
  });

  it('a first screen that fails leaves the whole list to load', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.route(FIRST, (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal"}}' }),
    );
    await page.goto(`${web.s.srv.url}/`);
    await page.locator('.row').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('count').textContent()).toBe('64 tickets');
    await page.close();
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
const DESKTOP = { width: 1280, height: 800 };

/** How far the page itself scrolls sideways (0: it fits its viewport). */
const pageOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const width = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((e) => e.getBoundingClientRect().width);

describe.skipIf(!HAS_CHROMIUM)('web UI views: every width, full-text search, filters in the URL', () => {
  let described = '';
  let commented = '';
  const web = useBrowserAndServer();
  beforeAll(async () => {
    described = tackJson(
      web.s.dir,
      'create',
      'Tokenizer rewrite for the parser module',
      '-p',
      'high',
      '-l',
      'parser',
      '-l',
      'performance',
      '--description',
      'Keep the quick zebra crossing intact.',
      '--json',
    ).id;
    commented = tackJson(web.s.dir, 'create', 'Unrelated chore with a reasonably long title', '-p', 'low', '--json').id;
    tack(web.s.dir, 'comment', commented, 'Saw a purple elephant in the logs');
    tack(web.s.dir, 'create', 'Backlog idea', '--status', 'backlog', '-a', 'ada');
    const beads = join(web.s.dir, 'beads.jsonl');
    writeFileSync(
      beads,
      `${JSON.stringify({ id: 'bd-o78', title: 'Imported from beads', description: 'came over', status: 'open', priority: 2, issue_type: 'task', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' })}\n`,
    );
    tack(web.s.dir, 'import', 'beads', beads);
  });

  it('lays out at 390, 768 and 1280 px: navigation behind a menu on phones, titles kept, only the board scrolls sideways', async () => {
    for (const viewport of [PHONE, TABLET, DESKTOP]) {
      const phone = viewport === PHONE;
      const { page, errors } = await openApp(web.browser, web.s.srv.url, viewport);
      await page.locator('.row .title').first().waitFor();
      expect(await width(page, '.row .title'), `list title at ${viewport.width}`).toBeGreaterThan(150);
      expect(await pageOverflow(page), `list at ${viewport.width}`).toBeLessThanOrEqual(0);
      const menu = page.getByRole('button', { name: 'menu' });
      const nav = page.getByRole('navigation', { name: 'main' });
      const priority = page.getByLabel('priority', { exact: true });
      expect(await priority.isVisible()).toBe(!phone);
      if (phone) {
        await page.getByRole('button', { name: 'Filters' }).click();
        await priority.selectOption('high');
        await expect
          .poll(() => page.locator('.row .title').allTextContents())
          .toEqual(['Tokenizer rewrite for the parser module']);
        expect(await page.getByRole('button', { name: 'Filters (1)' }).isVisible()).toBe(true);
        expect(await nav.isVisible()).toBe(false);
        await menu.click();
        await nav.getByRole('link', { name: 'Board' }).click();
        await page.locator('.column').first().waitFor();
        expect(await nav.isVisible()).toBe(false); // closes once a page is chosen
      } else {
        expect(await menu.isVisible()).toBe(false);
        expect(await width(page, 'nav.side')).toBeGreaterThan(100);
        await nav.getByRole('link', { name: 'Board' }).click();
        await page.locator('.column').first().waitFor();
      }
      // The board scrolls by column inside itself; the page does not.
      expect(await pageOverflow(page), `board at ${viewport.width}`).toBeLessThanOrEqual(0);
      const moveMenu = page.getByLabel(/^move .* to$/).first();
      expect(await moveMenu.isVisible(), 'a move menu where dragging is not at hand').toBe(phone);
      if (phone) {
        expect(await page.locator('.board').evaluate((b) => b.scrollWidth > b.clientWidth)).toBe(true);
        expect(await width(page, '.column')).toBeGreaterThan(250);
        const card = page.locator(`.card[data-id="${commented}"]`);
        await card.getByRole('combobox').selectOption('in-review');
        await expect.poll(() => tackJson(web.s.dir, 'show', commented, '--json').status).toBe('in-review');
        await page.locator(`.column[data-state="in-review"] .card[data-id="${commented}"]`).waitFor();
        tack(web.s.dir, 'update', commented, '--status', 'todo');
      }

      await page.goto(`${web.s.srv.url}/t/${described}`);
      await page.locator('h1', { hasText: 'Tokenizer rewrite' }).waitFor();
      expect(await pageOverflow(page), `ticket at ${viewport.width}`).toBeLessThanOrEqual(0);
      // The description reads in lines, not a word per line: the body takes the width it needs.
      expect(await width(page, '.ticket-body')).toBeGreaterThan(300);
      const [body, fields] = await Promise.all(
        ['.ticket-body', '.fields'].map((sel) => page.locator(sel).evaluate((e) => e.getBoundingClientRect().toJSON())),
      );
      if (phone) expect(fields.top, 'the fields stack under the body').toBeGreaterThanOrEqual(body.bottom - 1);
      else expect(fields.left).toBeGreaterThanOrEqual(body.right - 1);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('finds phrases in descriptions and comments and imported aliases, with highlighted snippets', async () => {
    const hit = await (await fetch(`${web.s.srv.url}/api/search?words=BD-O78`)).json();
    expect(hit[0]).toMatchObject({ title: 'Imported from beads' });

    const { page, errors } = await openApp(web.browser, web.s.srv.url, TABLET);
    await page.locator('.row').first().waitFor();
    const box = page.getByRole('searchbox', { name: 'search' });
    const titles = () => page.locator('.row .title').allTextContents();
    await box.fill('zebra crossing');
    await expect.poll(titles).toEqual(['Tokenizer rewrite for the parser module']);
    expect(await page.locator('.row .snippet mark').first().textContent()).toMatch(/zebra/i);
    expect(await width(page, '.row .title'), 'a snippet leaves the title its room').toBeGreaterThan(150);
    // Rows are links: reachable by Tab, opened by Enter.
    await page.locator('.row').first().focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(`/t/${described}`);
    await box.fill('purple elephant');
    await expect.poll(titles).toEqual(['Unrelated chore with a reasonably long title']);
    await box.fill('bd-o78');
    await expect.poll(titles).toEqual(['Imported from beads']);
    // Titles and ids still match at once, without waiting for the server.
    await box.fill('tokenizer');
    await expect.poll(titles).toEqual(['Tokenizer rewrite for the parser module']);
    await box.fill('');
    await expect.poll(async () => (await titles()).length).toBeGreaterThan(2);
    // The palette finds by the same search: a phrase from a comment opens its ticket.
    await page.keyboard.press('Control+k');
    await page.getByLabel('command', { exact: true }).fill('purple elephant');
    await page.locator('.palette-item', { hasText: 'Unrelated chore' }).locator('mark').first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Unrelated chore' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps filters and grouping in the URL: reload, a shared link, back and forward', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/?priority=high&group=label`);
    const titles = () => page.locator('.row .title').allTextContents();
    await expect
      .poll(titles)
      .toEqual(['Tokenizer rewrite for the parser module', 'Tokenizer rewrite for the parser module']);
    expect(await page.locator('.group').allTextContents()).toEqual([
      expect.stringContaining('parser'),
      expect.stringContaining('performance'),
    ]);
    expect(await page.getByLabel('priority', { exact: true }).inputValue()).toBe('high');
    expect(await page.getByLabel('group by').inputValue()).toBe('label');

    await page.getByLabel('priority', { exact: true }).selectOption('');
    await page.getByLabel('group by').selectOption('assignee');
    await expect.poll(() => new URL(page.url()).searchParams.get('group')).toBe('assignee');
    expect(new URL(page.url()).searchParams.get('priority')).toBeNull();
    await expect.poll(() => page.locator('.group').allTextContents()).toContainEqual(expect.stringContaining('ada'));
    await page.reload();
    expect(await page.getByLabel('group by').inputValue()).toBe('assignee');
    await page.goBack();
    await expect.poll(() => page.getByLabel('group by').inputValue()).toBe('label');
    await page.goBack();
    await expect.poll(() => page.getByLabel('priority', { exact: true }).inputValue()).toBe('high');
    await page.goForward();
    await expect.poll(() => page.getByLabel('group by').inputValue()).toBe('label');
    // State is the default grouping: a plain link, no query.
    await page.getByLabel('group by').selectOption('state');
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await page.getByLabel('group by').selectOption('priority');
    await expect.poll(() => new URL(page.url()).searchParams.get('group')).toBe('priority');
    expect(await page.locator('.group').allTextContents()).toContainEqual(expect.stringContaining('high'));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sub-groups the list by another property, kept in the URL', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/`);
    await page.locator('.row').first().waitFor();
    expect(await page.locator('.group.sub').count()).toBe(0);
    await page.getByRole('combobox', { name: 'sub-groups' }).selectOption('assignee');
    expect(new URL(page.url()).search).toBe('?sub=assignee');
    const subs = await page.locator('.group.sub').allTextContents();
    expect(subs.some((x) => x.startsWith('ada'))).toBe(true);
    expect(subs.some((x) => x.startsWith('No assignee'))).toBe(true);
    await page.reload();
    await page.locator('.group.sub').first().waitFor();
    expect(await page.getByRole('combobox', { name: 'sub-groups' }).inputValue()).toBe('assignee');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('paints a direct ticket link before the summaries of every ticket arrive', async () => {
    const page = await web.browser.newPage({ viewport: DESKTOP });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/api\/tickets\?/, async (route) => (await held, route.continue()));
    // The server answers one request at a time: the ticket's is asked for before the summaries'.
    const order: string[] = [];
    page.on('request', (r) => /\/api\/tickets\?/.test(r.url()) && order.push('summaries asked'));
    page.on('response', (r) => r.url().endsWith(`/api/tickets/${described}`) && order.push('ticket answered'));
    await page.goto(`${web.s.srv.url}/t/${described}`);
    await page.locator('h1', { hasText: 'Tokenizer rewrite' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.markdown', { hasText: 'zebra crossing' }).count()).toBe(1);
    await expect.poll(() => order).toEqual(['ticket answered', 'summaries asked']);
    release();
    await page.keyboard.press('Escape');
    await page.locator('.row').first().waitFor();
    await page.close();
  });

  it('asks for a linked ticket while the schema is on its way, once, and loads other pages on demand', async () => {
    const page = await web.browser.newPage({ viewport: DESKTOP });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/api\/schema$/, async (route) => (await held, route.continue()));
    const ticketAsks: string[] = [];
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/tickets/${described}`)) ticketAsks.push(r.url());
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${web.s.srv.url}/t/${described}`);
    // The schema is held back: the ticket is asked for all the same (not one round trip later).
    await expect.poll(() => ticketAsks.length).toBe(1);
    // Before the first page has what it needs, no other page's code is fetched.
    expect(scripts.filter((s) => /\/(Board|GraphPage|Capture)-/.test(s))).toEqual([]);
    release();
    await page.locator('h1', { hasText: 'Tokenizer rewrite' }).waitFor({ timeout: 10_000 });
    await page.locator('nav.side a', { hasText: 'Board' }).click();
    await page.locator('.card').first().waitFor();
    expect(scripts.some((s) => /\/Board-[\w-]+\.js$/.test(s))).toBe(true);
    expect(ticketAsks).toHaveLength(1); // the prefetched answer was used, not asked for again
    await page.close();
  });

  it("asks for the list's data while the app's script is still on its way, and only once", async () => {
    const page = await web.browser.newPage({ viewport: DESKTOP });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/assets\/index-[\w-]+\.js$/, async (route) => (await held, route.continue()));
    const asked: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (/\/api\/(schema|tickets)$/.test(u.pathname))
        asked.push(`${u.pathname}${u.searchParams.has('sort') ? ' first screen' : ''}`);
    });
    await page.goto(`${web.s.srv.url}/`, { waitUntil: 'commit' });
    const expected = ['/api/schema', '/api/tickets', '/api/tickets first screen'];
    await expect.poll(() => [...asked].sort()).toEqual(expected);
    release();
    await page.locator('.row').first().waitFor();
    await page.locator('.live.on').waitFor({ state: 'attached' });
    expect([...asked].sort()).toEqual(expected); // the early answers were used
    await page.close();
  });

  it('says a malformed ticket link names no ticket, and the app keeps working', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/%E0%A4`);
    await page.locator('.error', { hasText: 'No ticket has the id “%E0%A4”' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.error').textContent()).not.toMatch(/\btack\b/); // no CLI wording
    await page.locator('nav.side a', { hasText: 'Issues' }).click();
    await page.locator('.row').first().waitFor();
    expect(errors.filter((e) => !/404|Not Found/i.test(e))).toEqual([]);
    await page.close();
  });

  it('shows board columns for the main path and for states with cards, each card reachable by keyboard', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/board`);
    await page.locator('.card').first().waitFor();
    const states = await page.locator('.column').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
    expect(states).toEqual(['backlog', 'todo', 'in-progress', 'in-review', 'done']);
    // Tab reaches a card; shift+arrow moves it a column; enter opens it.
    const card = page.locator(`.card[data-id="${described}"]`);
    await card.focus();
    expect(await card.getAttribute('tabindex')).toBe('0');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => tackJson(web.s.dir, 'show', described, '--json').status).toBe('in-progress');
    await page.locator(`.column[data-state="in-progress"] .card[data-id="${described}"]`).waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement)?.dataset.id)).toBe(described);
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Tokenizer rewrite' }).waitFor();
    // The board takes the list's filters, from the URL too.
    await page.goto(`${web.s.srv.url}/board?priority=high`);
    const cards = () => page.locator('.card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id));
    await expect.poll(cards).toEqual([described]);
    expect(await page.getByLabel('priority', { exact: true }).inputValue()).toBe('high');
    await page.getByRole('searchbox', { name: 'search' }).fill('bd-o78');
    await page.getByLabel('priority', { exact: true }).selectOption('');
    await expect.poll(cards).toHaveLength(1);
    expect(await page.locator('.card').textContent()).toContain('Imported from beads');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('leads "My work" with what is assigned to me, above the ready queue', async () => {
    const me = ((await (await fetch(`${web.s.srv.url}/api/whoami`)).json()) as { user: string }).user;
    tack(web.s.dir, 'create', 'Assigned to the viewer', '-a', me);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/work`);
    await page.locator(`[data-testid="mine"] .row`).first().waitFor();
    const headings = await page.locator('.work-page h2').allTextContents();
    expect(headings[0]).toMatch(/^My work/);
    expect(headings[1]).toMatch(/^Ready/);
    const mineTop = await page.locator('[data-testid="mine"]').evaluate((e) => e.getBoundingClientRect().top);
    const readyTop = await page.locator('[data-testid="ready"]').evaluate((e) => e.getBoundingClientRect().top);
    expect(mineTop).toBeLessThan(readyTop);
    expect(await page.locator('[data-testid="mine"]').textContent()).toContain('Assigned to the viewer');
    expect(errors).toEqual([]);
    await page.close();
  });
});

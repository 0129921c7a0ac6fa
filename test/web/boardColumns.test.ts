import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* The board's columns by priority, assignee, type or project; moving a card sets that field. */

const headings = (page: Page) =>
  page.locator('.column-head').evaluateAll((hs) => hs.map((h) => (h.textContent ?? '').replace(/\s+\d+$/, '').trim()));

describe.skipIf(!HAS_CHROMIUM)('web UI: board columns by any property', () => {
  const web = useBrowserAndServer({
    before: (dir) => {
      tack(dir, 'create', 'Urgent one', '-p', 'urgent', '-a', 'ann');
      tack(dir, 'create', 'Low one', '-p', 'low');
    },
  });

  it('by priority: a column per priority, and a move sets the priority (menu and keyboard)', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/board`);
    await page.locator('.card').first().waitFor();
    await page.getByRole('combobox', { name: 'columns by' }).selectOption('priority');
    expect(new URL(page.url()).search).toBe('?group=priority');
    expect(await headings(page)).toEqual(['none', 'urgent', 'high', 'medium', 'low']);
    const low = tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'Low one');
    await page.locator(`select[aria-label="move ${low.short_id} to"]`).selectOption('high', { force: true });
    // At once, before the first move is answered: the second waits for it and carries its version.
    await page.locator(`.card[data-id="${low.id}"]`).focus();
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => tackJson(web.s.dir, 'show', low.id, '--json').priority).toBe('urgent');
    expect(await page.locator('.error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('by assignee: nobody first, and a card moved there is unassigned', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/board?group=assignee`);
    await page.locator('.card').first().waitFor();
    expect(await headings(page)).toEqual(['No assignee', 'ann']);
    const urgent = tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'Urgent one');
    await page.locator(`select[aria-label="move ${urgent.short_id} to"]`).selectOption('none', { force: true });
    await expect.poll(() => tackJson(web.s.dir, 'show', urgent.id, '--json').assignee).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* The board's columns by priority, assignee, type or project; moving a card sets that field. */

const headings = (page: Page) =>
  page
    .locator('.column .column-name, .column .fold-name')
    .evaluateAll((hs) => hs.map((h) => (h.textContent ?? '').trim()));

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

  it('folds empty and closed columns into strips that still take cards; opening and folding is kept', async () => {
    const closed = tackJson(web.s.dir, 'create', 'Finished one', '--json').id;
    tack(web.s.dir, 'close', closed);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/board`);
    await page.locator('.card').first().waitFor();
    const strip = (name: string) =>
      page.getByRole('button', { name: new RegExp(`^${name}, \\d+ cards?: show the column$`) });
    // Done (closed) and in-review (empty) are strips with their counts; todo is open.
    expect(await strip('done').getAttribute('aria-label')).toBe('done, 1 card: show the column');
    expect(await strip('in-review').isVisible()).toBe(true);
    expect(await page.locator(`.card[data-id="${closed}"]`).count()).toBe(0);
    expect(await page.locator('.column[data-state="todo"] .card').count()).toBeGreaterThan(0);
    // A card moved by its menu into a folded column goes there; the strip counts it.
    const low = tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'Low one');
    await page.locator(`select[aria-label="move ${low.short_id} to"]`).selectOption('done', { force: true });
    await expect.poll(() => tackJson(web.s.dir, 'show', low.id, '--json').status).toBe('done');
    await strip('done').filter({ hasText: '2' }).waitFor();
    // Opened, it shows its cards; a reload keeps it open; its fold button folds it again.
    await strip('done').click();
    await page.locator(`.column[data-state="done"] .card[data-id="${closed}"]`).waitFor();
    await page.reload();
    await page.locator(`.column[data-state="done"] .card[data-id="${closed}"]`).waitFor();
    await page.getByRole('button', { name: 'fold the column done' }).click();
    await strip('done').waitFor();
    // Shift+arrow into a folded column opens it, and the focus stays on the moved card.
    tack(web.s.dir, 'update', low.id, '--status', 'in-progress');
    const card = page.locator(`.column[data-state="in-progress"] .card[data-id="${low.id}"]`);
    await card.waitFor();
    await card.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.locator(`.column[data-state="in-review"] .card[data-id="${low.id}"]`).waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement)?.dataset.id)).toBe(low.id);
    await expect.poll(() => tackJson(web.s.dir, 'show', low.id, '--json').status).toBe('in-review');
    await page.evaluate(() => localStorage.removeItem('tack.board.folds'));
    expect(errors).toEqual([]);
    await page.close();
  });
});

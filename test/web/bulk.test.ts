import { beforeAll, describe, expect, it } from 'vitest';
import { git, tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* Picking rows in the list (x, shift-click) and changing them all at once: one commit per change. */

describe.skipIf(!HAS_CHROMIUM)('web UI: multi-select and bulk edit in the list', () => {
  const ids: string[] = [];
  const web = useBrowserAndServer();
  beforeAll(async () => {
    // Priorities fix the list order: urgent first.
    for (const [title, p] of [
      ['Bulk one', 'urgent'],
      ['Bulk two', 'high'],
      ['Bulk three', 'medium'],
      ['Bulk four', 'low'],
    ])
      ids.push(tackJson(web.s.dir, 'create', title, '-p', p).id);
    tack(web.s.dir, 'label', 'add', ids[3], 'keep');
  });

  const commits = (from: string) => Number(git(web.s.dir, 'rev-list', '--count', `${from}..tack`).trim());
  const head = () => git(web.s.dir, 'rev-parse', 'tack').trim();
  const show = (id: string) => tackJson(web.s.dir, 'show', id);

  it('picks with x and shift-click, sets status, assignee and labels on all picked in one commit each', async () => {
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    await page.locator('.row', { hasText: 'Bulk four' }).waitFor();
    // x on the first row (the cursor), then shift-click the third: rows one to three.
    await expect.poll(() => page.locator('.row.selected .title').textContent()).toBe('Bulk one');
    await page.keyboard.press('x');
    await page.locator('.row', { hasText: 'Bulk three' }).click({ modifiers: ['Shift'] });
    const bar = page.getByRole('toolbar', { name: 'bulk edit' });
    await bar.getByText('3 selected').waitFor();
    expect(await page.locator('.row.checked .title').allTextContents()).toEqual(['Bulk one', 'Bulk two', 'Bulk three']);
    expect(new URL(page.url()).pathname).toBe('/'); // shift-click picked, did not open

    let before = head();
    await bar.getByLabel('set status of selected').selectOption('in-progress');
    await expect.poll(() => ids.slice(0, 3).map((id) => show(id).status)).toEqual(Array(3).fill('in-progress'));
    expect(commits(before)).toBe(1);
    expect(show(ids[3]).status).toBe('todo');
    expect(git(web.s.dir, 'log', '-1', '--format=%s', 'tack')).toContain('set status to in-progress on 3 tickets');

    before = head();
    const assign = bar.getByRole('combobox', { name: 'assign selected to' });
    await assign.fill('ada');
    await bar.getByRole('option', { name: 'Assign to “ada”' }).waitFor();
    await assign.press('Enter');
    await expect.poll(() => ids.slice(0, 3).map((id) => show(id).assignee)).toEqual(['ada', 'ada', 'ada']);
    expect(commits(before)).toBe(1);

    // The shift-click moved the cursor to row three: x there unpicks it; labels go on the rest.
    await page.keyboard.press('x');
    await bar.getByText('2 selected').waitFor();
    expect(await page.locator('.row.checked .title').allTextContents()).toEqual(['Bulk one', 'Bulk two']);
    before = head();
    const labels = bar.getByRole('combobox', { name: 'labels of selected' });
    await labels.fill('triaged');
    await bar.getByRole('option', { name: 'Create label “triaged”' }).waitFor();
    await labels.press('Enter');
    await expect.poll(() => show(ids[1]).labels).toEqual(['triaged']);
    expect(show(ids[0]).labels).toEqual(['triaged']);
    expect(show(ids[2]).labels).toEqual([]);
    expect(commits(before)).toBe(1);
    // A label every picked ticket has is ticked; picking it takes it off them all.
    await labels.fill('tria');
    await expect.poll(() => bar.getByRole('option', { name: 'triaged' }).getAttribute('aria-checked')).toBe('true');
    await labels.press('Enter');
    await expect.poll(() => show(ids[1]).labels).toEqual([]);
    expect(show(ids[0]).labels).toEqual([]);
    expect(show(ids[3]).labels).toEqual(['keep']);

    // Escape clears the picks and the bar.
    await page.locator('body').press('Escape');
    await bar.waitFor({ state: 'detached' });
    expect(await page.locator('.row.checked').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

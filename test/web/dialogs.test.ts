import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, paletteCommand, useBrowserAndServer } from './browser.js';

/** Where focus is: inside the open dialog, or the focused element's accessible text. */
const focusIn = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      inDialog: !!el?.closest('[role="dialog"]'),
      text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(),
    };
  });

describe.skipIf(!HAS_CHROMIUM)('web UI dialogs: focus stays inside, Escape closes, focus goes back', () => {
  const web = useBrowserAndServer();
  beforeAll(async () => {
    tack(web.s.dir, 'create', 'A ticket to list');
  });

  it('Tab and Shift+Tab cycle inside the create dialog, shortcuts and the palette; Escape returns focus to the opener', async () => {
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    await page.locator('.row .title').first().waitFor();
    for (const [name, key] of [
      ['new ticket', 'c'],
      ['shortcuts', '?'],
      ['command palette', 'Control+k'],
    ] as const) {
      // The opener: the Commands button, focused the way a keyboard user would.
      const opener = page.getByRole('button', { name: '⌘K Commands' });
      await opener.focus();
      await page.keyboard.press(key);
      const dialog = page.getByRole('dialog', { name });
      await dialog.waitFor();
      expect(await dialog.getAttribute('aria-modal')).toBe('true');
      expect((await focusIn(page)).inDialog, `${name}: focus moves into the dialog`).toBe(true);
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
        expect((await focusIn(page)).inDialog, `${name}: after ${i + 1} Tab presses focus is still inside`).toBe(true);
      }
      await page.keyboard.press('Escape');
      // Focus may be in a picker, whose open list an Escape closes first.
      if (await dialog.isVisible()) await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect((await focusIn(page)).text, `${name}: focus is back on the opener`).toBe('⌘K Commands');
    }
    // Shift+Tab from the first field of the create dialog wraps to its last control.
    await page.keyboard.press('c');
    await page.getByRole('dialog', { name: 'new ticket' }).waitFor();
    expect((await focusIn(page)).text).toBe('new title');
    await page.keyboard.press('Shift+Tab');
    expect(await focusIn(page)).toEqual({ inDialog: true, text: 'Create' });
    await page.keyboard.press('Tab');
    expect((await focusIn(page)).text).toBe('new title');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renames and deletes a saved view from the list page, one commit each', async () => {
    tack(web.s.dir, 'view', 'save', 'ui-sweep', '--filter', 'label=ui', '--description', 'kept on rename');
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    const answers = ['renamed-view', true];
    page.on(
      'dialog',
      (d) => void d.accept(typeof answers[0] === 'string' ? String(answers.shift()) : (answers.shift(), undefined)),
    );
    await page.getByRole('option', { name: 'ui-sweep' }).waitFor({ state: 'attached' });
    await page.getByRole('combobox', { name: 'saved view' }).selectOption('ui-sweep');
    await page.getByRole('button', { name: 'rename view ui-sweep' }).click();
    await expect
      .poll(() => tackJson(web.s.dir, 'view', 'list').map((v: { name: string }) => v.name))
      .toEqual(['renamed-view']);
    expect(tackJson(web.s.dir, 'view', 'list')[0]).toMatchObject({
      description: 'kept on rename',
      filters: { label: 'ui' },
    });
    await page.getByRole('button', { name: 'delete view renamed-view' }).click();
    await expect.poll(() => tackJson(web.s.dir, 'view', 'list')).toEqual([]);
    await page.getByRole('button', { name: 'delete view renamed-view' }).waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists saved views in the sidebar, the one shown marked, and a view saved here joins them', async () => {
    tack(web.s.dir, 'view', 'save', 'backlog-ui', '--filter', 'label=ui', '--filter', 'state=backlog');
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    const side = page.getByRole('group', { name: 'Views', exact: true });
    await side.getByRole('link', { name: 'backlog-ui' }).click();
    expect(new URL(page.url()).search).toBe('?state=backlog&label=ui');
    await expect.poll(() => side.getByRole('link', { name: 'backlog-ui' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('combobox', { name: 'saved view' }).inputValue()).toBe('backlog-ui');
    // Another filter: no longer that view.
    await page.getByRole('combobox', { name: 'group by' }).selectOption('label');
    await expect.poll(() => side.getByRole('link', { name: 'backlog-ui' }).getAttribute('aria-current')).toBeNull();
    page.on('dialog', (d) => void d.accept('by-label'));
    await page.getByRole('button', { name: 'Save view' }).click();
    await expect.poll(() => side.getByRole('link', { name: 'by-label' }).getAttribute('aria-current')).toBe('page');
    expect(tackJson(web.s.dir, 'view', 'list').map((v: { name: string }) => v.name)).toContain('by-label');
    tack(web.s.dir, 'view', 'delete', 'backlog-ui');
    tack(web.s.dir, 'view', 'delete', 'by-label');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says a new ticket was made, with a link to it, and when the list's filters hide it", async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/?priority=urgent`);
    await page.keyboard.press('c');
    await page.getByRole('textbox', { name: 'new title' }).fill('Quiet new one');
    await page.keyboard.press('Enter');
    const note = page.locator('.toast', { hasText: 'Quiet new one' });
    await note.waitFor();
    expect(await note.textContent()).toContain('not shown with the list’s filters');
    await note.getByRole('link', { name: 'Open' }).click();
    await page.locator('h1', { hasText: 'Quiet new one' }).waitFor();
    await note.waitFor({ state: 'detached' });
    // Made where it shows: said without the filters' remark.
    await page.goto(`${web.s.srv.url}/`);
    await page.locator('.live.on').waitFor({ state: 'attached' });
    await page.keyboard.press('c');
    await page.getByRole('textbox', { name: 'new title' }).fill('Loud new one');
    await page.keyboard.press('Enter');
    const shown = page.locator('.toast', { hasText: 'Loud new one' });
    await shown.waitFor();
    expect(await shown.textContent()).not.toContain('filters');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('makes a sub-issue from a ticket page; the page behind the dialog takes no shortcuts', async () => {
    const parent = tackJson(web.s.dir, 'create', 'Parent epic', '--type', 'epic').id;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${parent}`);
    await page.getByRole('button', { name: 'New sub-issue' }).click();
    const dialog = page.getByRole('dialog', { name: 'new sub-issue' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('of Parent epic');
    // `t` edits the title on a ticket page: not while the dialog is open, even off the fields.
    await page.getByRole('button', { name: 'Create' }).focus();
    await page.keyboard.press('t');
    expect(await page.getByRole('textbox', { name: 'title', exact: true }).count()).toBe(0);
    await page.getByRole('textbox', { name: 'new title' }).fill('Child task');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const child = () => tackJson(web.s.dir, 'list').find((t: { title: string }) => t.title === 'Child task');
    await expect.poll(child).toBeTruthy();
    expect(child().parent).toBe(parent);
    expect(page.url()).toContain(`/t/${parent}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the palette does every action on a ticket: assign, label, link, copy, sub-issue, delete', async () => {
    const id = tackJson(web.s.dir, 'create', 'Palette target', '--json').id;
    const other = tackJson(web.s.dir, 'create', 'Blocked by the target', '--json').id;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('h1', { hasText: 'Palette target' }).waitFor();
    const run = (command: string) => paletteCommand(page, command);
    const show = () => tackJson(web.s.dir, 'show', id, '--json');
    const me = tackJson(web.s.dir, 'whoami', '--json').user;
    await run('assign to me');
    await expect.poll(() => show().assignee).toBe(me);
    // The palette offers what the page shows: "Unassign" once the page has the assignee.
    await page.locator('.fields .person-now', { hasText: me }).waitFor();
    await run('unassign');
    await expect.poll(() => show().assignee).toBeNull();
    await run('set type: bug');
    await expect.poll(() => show().type).toBe('bug');
    // The pickers and the relation form open from the palette, focused for typing.
    await run('add or remove labels');
    await expect.poll(() => focusIn(page).then((f) => f.text)).toBe('labels');
    await page.keyboard.press('Escape');
    await run('add a relation');
    await page.getByLabel('relation kind').selectOption('blocks');
    await expect.poll(() => focusIn(page).then((f) => f.text)).toBe('find ticket');
    await page.keyboard.type('Blocked by');
    await page.locator('.picker-item', { hasText: 'Blocked by the target' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => show().blocks).toEqual([other]);
    await run('copy id');
    await page.getByRole('status').filter({ hasText: 'Copied the id' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
    await run('copy link');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${web.s.srv.url}/t/${id}`);
    await run('new sub-issue');
    await page.getByRole('dialog', { name: 'new sub-issue' }).waitFor();
    await page.keyboard.press('Escape');
    // Delete asks first; Cancel deletes nothing, Delete removes it (one commit) and goes to the list.
    await run('delete ticket');
    const confirm = page.getByRole('dialog', { name: 'delete ticket' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(show().id).toBe(id);
    await run('delete ticket');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.row').first().waitFor();
    expect(tackJson(web.s.dir, 'list', '--all', '--json').some((t: { id: string }) => t.id === id)).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});

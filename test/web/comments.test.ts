import { beforeAll, describe, expect, it } from 'vitest';
import { git, tackJson, tackRaw } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* Editing and deleting one's own comment on the ticket page; other people's stay as they are. */

describe.skipIf(!HAS_CHROMIUM)('web UI: comment edit and delete', () => {
  let id = '';
  const web = useBrowserAndServer();
  beforeAll(async () => {
    id = tackJson(web.s.dir, 'create', 'Talked about').id;
    // The server acts as the test user ("tester"); bob is someone else.
    tackJson(web.s.dir, 'comment', id, 'my first words');
    const r = tackRaw(web.s.dir, ['comment', id, 'words of bob'], { TACK_USER: 'bob' });
    expect(r.status, r.stderr).toBe(0);
  });

  const bodies = () => tackJson(web.s.dir, 'show', id).comments.map((c: { body: string }) => c.body);

  it('edits inline (Save, Cancel, Escape), deletes after a confirmation, shows only own comments as editable', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    const mine = tackJson(web.s.dir, 'show', id).comments[0].id as string;
    const theirs = tackJson(web.s.dir, 'show', id).comments[1].id as string;
    await page.getByText('words of bob').waitFor();
    await page.getByRole('button', { name: `edit comment ${mine}` }).waitFor();
    expect(await page.getByRole('button', { name: `edit comment ${theirs}` }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `delete comment ${theirs}` }).count()).toBe(0);

    // Cancel and Escape change nothing.
    await page.getByRole('button', { name: `edit comment ${mine}` }).click();
    const box = page.getByRole('textbox', { name: 'edit comment' });
    expect(await box.inputValue()).toBe('my first words');
    await box.fill('never saved');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: `edit comment ${mine}` }).click();
    await box.fill('never saved either');
    await box.press('Escape');
    await box.waitFor({ state: 'detached' });
    expect(bodies()).toEqual(['my first words', 'words of bob']);

    // Save: one commit, the text and an "edited" mark show.
    const before = git(web.s.dir, 'rev-parse', 'tack').trim();
    await page.getByRole('button', { name: `edit comment ${mine}` }).click();
    await box.fill('my **better** words');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator(`[data-comment="${mine}"] strong`, { hasText: 'better' }).waitFor();
    await page.locator(`[data-comment="${mine}"]`, { hasText: 'edited' }).waitFor();
    expect(bodies()).toEqual(['my **better** words', 'words of bob']);
    expect(git(web.s.dir, 'rev-list', '--count', `${before}..tack`).trim()).toBe('1');

    // Delete asks first; Cancel keeps it, Delete removes it.
    await page.getByRole('button', { name: `delete comment ${mine}` }).click();
    const confirm = page.getByRole('dialog', { name: 'delete comment' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(bodies()).toHaveLength(2);
    await page.getByRole('button', { name: `delete comment ${mine}` }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator(`[data-comment="${mine}"]`).waitFor({ state: 'detached' });
    expect(bodies()).toEqual(['words of bob']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows another writer's edit and delete live", async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.getByText('words of bob').waitFor();
    const theirs = tackJson(web.s.dir, 'show', id).comments[0].id as string;
    const edit = tackRaw(web.s.dir, ['comment', 'edit', id, theirs, 'bob changed his mind'], { TACK_USER: 'bob' });
    expect(edit.status, edit.stderr).toBe(0);
    await page.getByText('bob changed his mind').waitFor();
    const del = tackRaw(web.s.dir, ['comment', 'delete', id, theirs], { TACK_USER: 'bob' });
    expect(del.status, del.stderr).toBe(0);
    await page.getByText('bob changed his mind').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

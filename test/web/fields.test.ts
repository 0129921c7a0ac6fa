import { describe, expect, it } from 'vitest';
import { git, tackJson, tackRaw } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* The ticket page edits the project and every custom field its schema declares, in place. */

function addFields(dir: string): void {
  const schema = git(dir, 'show', 'tack:schema.yaml')
    .replace(
      /^fields:\n/m,
      'fields:\n  estimate: { type: number, description: Story points }\n  due: { type: date }\n  size: { type: enum, values: [s, m, l] }\n  reviewed: { type: bool }\n  areas: { type: list }\n',
    )
    .replace(/^projects: \[\]$/m, 'projects:\n  - { key: web, name: Web app }\n  - { key: cli, name: Command line }');
  const r = tackRaw(dir, ['schema', 'set', '-'], {}, schema);
  if (r.status !== 0) throw new Error(r.stderr);
}

describe.skipIf(!HAS_CHROMIUM)('web UI: project and custom fields on a ticket', () => {
  const web = useBrowserAndServer({ before: addFields });

  it('sets, changes and clears each kind of field, one write each, as the CLI sees it', async () => {
    const id = tackJson(web.s.dir, 'create', 'Field target', '--json').id;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('h1', { hasText: 'Field target' }).waitFor();
    const show = () => tackJson(web.s.dir, 'show', id, '--json');

    const project = page.getByRole('combobox', { name: 'project' });
    await project.fill('web');
    await page.getByRole('option', { name: 'Web app' }).waitFor();
    await project.press('Enter');
    await expect.poll(() => show().project).toBe('web');
    await page.getByLabel('size').selectOption('m');
    await expect.poll(() => show().size).toBe('m');
    await page.getByLabel('reviewed').selectOption('false');
    await expect.poll(() => show().reviewed).toBe(false);
    await page.getByLabel('estimate').fill('5');
    await page.keyboard.press('Enter');
    await expect.poll(() => show().estimate).toBe(5);
    await page.getByLabel('due').fill('2026-12-24');
    await page.getByLabel('due').blur();
    await expect.poll(() => show().due).toBe('2026-12-24');
    await page.getByLabel('areas').fill('parser, docs');
    await page.keyboard.press('Enter');
    await expect.poll(() => show().areas).toEqual(['parser', 'docs']);

    // Escape takes a typed value back; nothing is written.
    const commits = git(web.s.dir, 'rev-list', '--count', 'tack');
    await page.getByLabel('estimate').fill('8');
    await page.keyboard.press('Escape');
    await page.getByLabel('estimate').blur();
    expect(await page.getByLabel('estimate').inputValue()).toBe('5');
    expect(git(web.s.dir, 'rev-list', '--count', 'tack')).toBe(commits);

    // Cleared: each unset (`show` gives null for a field a ticket lacks).
    await page.getByLabel('size').selectOption('');
    await project.fill('no project');
    await project.press('Enter');
    await page.getByLabel('estimate').fill('');
    await page.keyboard.press('Enter');
    await expect.poll(() => [show().size, show().project, show().estimate]).toEqual([null, null, null]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the create dialog sets status, priority, type, project, parent and custom fields in one create', async () => {
    const parent = tackJson(web.s.dir, 'create', 'The parent epic', '--json').id;
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    await page.locator('.row', { hasText: 'The parent epic' }).waitFor();
    const commits = Number(git(web.s.dir, 'rev-list', '--count', 'tack'));
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog', { name: 'new ticket' });
    await dialog.getByLabel('new title').fill('Made with every field');
    const pick = async (name: string, typed: string) => {
      const box = dialog.getByRole('combobox', { name });
      await box.fill(typed);
      await dialog.getByRole('listbox', { name }).getByRole('option').first().waitFor();
      await box.press('Enter');
    };
    await pick('new status', 'progress');
    await pick('new priority', 'high');
    await pick('new type', 'bug');
    await pick('project', 'command');
    await pick('new parent', 'parent epic');
    await dialog.getByText('Sub-issue of The parent epic').waitFor();
    await dialog.getByLabel('estimate').fill('3');
    await dialog.getByLabel('estimate').press('Enter');
    await dialog.getByLabel('due').fill('2027-01-15');
    await dialog.getByLabel('size').selectOption('l');
    await dialog.getByLabel('new title').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const made = () =>
      tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'Made with every field');
    await expect.poll(made).toBeTruthy();
    expect(tackJson(web.s.dir, 'show', made().id, '--json')).toMatchObject({
      status: 'in-progress',
      priority: 'high',
      type: 'bug',
      project: 'cli',
      parent,
      estimate: 3,
      due: '2027-01-15',
      size: 'l',
    });
    expect(Number(git(web.s.dir, 'rev-list', '--count', 'tack'))).toBe(commits + 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a value the schema refuses is said, and nothing is written', async () => {
    const id = tackJson(web.s.dir, 'create', 'Bad value', '--json').id;
    const { page } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('h1', { hasText: 'Bad value' }).waitFor();
    const commits = git(web.s.dir, 'rev-list', '--count', 'tack');
    // A number field typed through the API's text form: "1e999" is not a finite number. The
    // input is made a text box for it; any render of the field (the summaries arriving after
    // a direct link, an event) makes it a number box again, where "1e999" types as nothing:
    // so until the typed value holds.
    const estimate = page.getByLabel('estimate');
    await expect
      .poll(async () => {
        await estimate.evaluate((el: HTMLInputElement) => {
          el.type = 'text';
        });
        await estimate.fill('1e999');
        return estimate.inputValue();
      })
      .toBe('1e999');
    await estimate.press('Enter');
    await page.locator('.error', { hasText: 'must be a number' }).waitFor();
    expect(git(web.s.dir, 'rev-list', '--count', 'tack')).toBe(commits);
    // Someone else's change re-reads the ticket: the error stays until it is dismissed.
    tackJson(web.s.dir, 'comment', id, 'Meanwhile, elsewhere', '--json');
    await page.getByText('Meanwhile, elsewhere').waitFor();
    expect(await page.locator('.error', { hasText: 'must be a number' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'dismiss' }).click();
    await page.locator('.error').waitFor({ state: 'detached' });
    await page.close();
  });
});

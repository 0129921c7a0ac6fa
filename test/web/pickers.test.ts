import { beforeAll, describe, expect, it } from 'vitest';
import { tack, tackJson, tackRaw } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';
import { labelColour } from '../../web/src/labelColour.js';

/*
 * The label and assignee pickers: search, arrows, Enter, Escape. Labels in use come with
 * their colours and a new one is made by typing it; people are the assignees and whoever
 * committed to the store, with "me" first.
 */

describe.skipIf(!HAS_CHROMIUM)('web UI: label and assignee pickers with search', () => {
  const web = useBrowserAndServer();
  let id = '';
  beforeAll(() => {
    id = tackJson(web.s.dir, 'create', 'Picked at', '-l', 'parser', '--json').id;
    tack(web.s.dir, 'create', 'Other one', '-l', 'perf', '-l', 'parser', '-a', 'ada');
    // bob never had a ticket assigned; his commit puts him among the people.
    const r = tackRaw(web.s.dir, ['comment', id, 'seen by bob'], { TACK_USER: 'bob', GIT_AUTHOR_NAME: 'bob' });
    expect(r.status, r.stderr).toBe(0);
  });
  const show = () => tackJson(web.s.dir, 'show', id, '--json');

  it('assigns with the keyboard: a, type, arrows, Enter; Escape closes the list, not the page', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('h1', { hasText: 'Picked at' }).waitFor();
    await page.keyboard.press('a');
    const box = page.getByRole('combobox', { name: 'assignee' });
    await expect.poll(() => box.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    const names = () => page.getByRole('listbox', { name: 'assignee' }).getByRole('option').allTextContents();
    // Me first, then no one (ticked: the ticket has no assignee), then everyone known:
    // assignees and the authors of the store's commits (the tests' git author is "Test User").
    await expect.poll(names).toEqual(['Me (tester)', '✓No assignee', 'ada', 'bob', 'Test User']);

    await box.fill('b'); // a name nobody has yet can be typed in full and assigned
    await expect.poll(names).toEqual(['bob', 'Assign to “b”']);
    await box.press('Escape'); // closes the list and clears the search; the page stays
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await box.inputValue()).toBe('');
    expect(new URL(page.url()).pathname).toBe(`/t/${id}`);

    await box.press('ArrowDown'); // opens the list again
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    const active = await box.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).textContent()).toContain('ada');
    await box.press('Enter');
    await expect.poll(() => show().assignee).toBe('ada');
    await page.locator('.person-now', { hasText: 'ada' }).waitFor();

    await page.keyboard.press('a');
    await box.fill('me');
    await box.press('Enter');
    await expect.poll(() => show().assignee).toBe('tester');
    await page.keyboard.press('a');
    await box.fill('none');
    await box.press('Enter');
    await expect.poll(() => show().assignee).toBe(null);
    await page.locator('.person-now', { hasText: 'Unassigned' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('adds an existing label with its colour, creates one by typing it, removes one from its chip', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('h1', { hasText: 'Picked at' }).waitFor();
    await page.keyboard.press('l');
    const box = page.getByRole('combobox', { name: 'labels' });
    const list = page.getByRole('listbox', { name: 'labels' });
    // Most used first; the one the ticket has is ticked.
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['✓parser 2', 'perf 1']);
    expect(await list.getByRole('option', { name: 'parser' }).getAttribute('aria-checked')).toBe('true');
    const swatch = await list
      .locator('.swatch')
      .first()
      .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(swatch).toMatch(/^rgb/);
    expect(swatch).not.toBe('rgba(0, 0, 0, 0)');

    await box.fill('per');
    await box.press('Enter');
    await expect.poll(() => show().labels.sort()).toEqual(['parser', 'perf']);

    await box.fill('Needs Design');
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['Create label “Needs Design”']);
    await box.press('Enter');
    await expect.poll(() => show().labels.sort()).toEqual(['Needs Design', 'parser', 'perf']);

    await page.getByRole('button', { name: 'remove label parser' }).click();
    await expect.poll(() => show().labels.sort()).toEqual(['Needs Design', 'perf']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows each label with its colour on list rows and board cards, the one the picker shows', async () => {
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    const row = page.locator('.row', { hasText: 'Other one' });
    await row.waitFor();
    // What the page paints for a label's colour, as the browser resolves it.
    const painted = (name: string) =>
      page.evaluate((css) => {
        const probe = document.createElement('span');
        probe.style.background = css;
        document.body.append(probe);
        const c = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return c;
      }, labelColour(name));
    const swatches = (where: ReturnType<typeof page.locator>) =>
      where
        .locator('.label.chip')
        .evaluateAll((chips) =>
          chips.map((c) => [c.textContent, getComputedStyle(c.querySelector('.swatch')!).backgroundColor]),
        );
    const expected = [
      ['perf', await painted('perf')],
      ['parser', await painted('parser')],
    ];
    expect(expected[0][1]).not.toBe(expected[1][1]);
    expect((await swatches(row.locator('.labels'))).sort()).toEqual(expected.sort());
    await page.goto(`${web.s.srv.url}/board`);
    const card = page.locator('.card', { hasText: 'Other one' });
    await card.waitFor();
    expect((await swatches(card)).sort()).toEqual(expected.sort());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('gives the create dialog the same pickers: the new ticket has its labels and assignee', async () => {
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    await page.locator('.row').first().waitFor();
    await page.keyboard.press('c');
    await page.getByLabel('new title').fill('Born with labels');
    const who = page.getByRole('combobox', { name: 'new assignee' });
    await who.fill('bo');
    // The people come from the server; Enter before they arrive would assign the typed "bo".
    await page.getByRole('listbox', { name: 'new assignee' }).getByRole('option', { name: 'bob' }).waitFor();
    await who.press('Enter');
    await page.getByRole('dialog').locator('.person-now', { hasText: 'bob' }).waitFor();
    const labels = page.getByRole('combobox', { name: 'new labels' });
    await labels.fill('parser');
    await page.getByRole('listbox', { name: 'new labels' }).getByRole('option', { name: 'parser' }).waitFor();
    await labels.press('Enter');
    await labels.fill('fresh');
    await labels.press('Enter');
    // Escape with an open list closes the list only; the dialog stays.
    await labels.fill('x');
    await labels.press('Escape');
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect
      .poll(() => tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'Born with labels'))
      .toMatchObject({ assignee: 'bob', labels: expect.arrayContaining(['parser', 'fresh']) });
    expect(errors).toEqual([]);
    await page.close();
  });
});

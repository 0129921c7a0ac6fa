import { describe, expect, it } from 'vitest';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* A refusal the server words for the terminal reaches the web user without its commands and flags. */

describe.skipIf(!HAS_CHROMIUM)('web UI: the server refusals in the web words', () => {
  const web = useBrowserAndServer();

  it('a refused delete says why, and names no command or flag', async () => {
    const parent = tackJson(web.s.dir, 'create', 'Still pointed at', '--json').id;
    tack(web.s.dir, 'create', 'Points at it', '--parent', parent);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${parent}`);
    await page.locator('h1', { hasText: 'Still pointed at' }).waitFor();
    await page.keyboard.press('Control+k');
    await page.getByLabel('command', { exact: true }).fill('delete ticket');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'delete ticket' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    const error = confirm.locator('.error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('other tickets point at');
    expect(text).toContain('remove the links');
    expect(text).not.toMatch(/--force|`tack/);
    expect(tackJson(web.s.dir, 'show', parent, '--json').id).toBe(parent);
    // What the terminal does with --force, the dialog offers as a button.
    await confirm.getByRole('button', { name: 'Delete and drop the reference to it' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect
      .poll(() => tackJson(web.s.dir, 'list', '--all', '--json').some((t: { id: string }) => t.id === parent))
      .toBe(false);
    const child = tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'Points at it');
    expect(child.parent).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});

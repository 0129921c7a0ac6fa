import { describe, expect, it } from 'vitest';
import { git, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, paletteCommand, useBrowserAndServer } from './browser.js';

/* One ticket archived from the palette, and brought back the same way: each one commit. */

describe.skipIf(!HAS_CHROMIUM)('web UI: archive one ticket', () => {
  const web = useBrowserAndServer();

  it('the palette archives the open ticket (out of the list, a badge on its page) and restores it', async () => {
    const id = tackJson(web.s.dir, 'create', 'Archive me from the web', '--json').id;
    tackJson(web.s.dir, 'create', 'Stays in the list', '--json');
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('h1', { hasText: 'Archive me from the web' }).waitFor();
    const run = (command: string) => paletteCommand(page, command);
    const show = () => tackJson(web.s.dir, 'show', id, '--json');
    const commits = Number(git(web.s.dir, 'rev-list', '--count', 'tack'));

    await run('archive ticket');
    await page.getByRole('status').filter({ hasText: 'Archived' }).waitFor();
    await expect.poll(() => show().archived).toBe(true);
    expect(Number(git(web.s.dir, 'rev-list', '--count', 'tack'))).toBe(commits + 1);
    expect(git(web.s.dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('archive');
    await page.locator('.crumbs .badge', { hasText: 'Archived' }).waitFor();

    // Out of the list; its link still shows it.
    await page.locator('.crumbs a', { hasText: 'Issues' }).click();
    await page.locator('.row', { hasText: 'Stays in the list' }).waitFor();
    expect(await page.locator('.row', { hasText: 'Archive me from the web' }).count()).toBe(0);
    await page.goBack();
    await page.locator('h1', { hasText: 'Archive me from the web' }).waitFor();

    await run('restore from the archive');
    await expect.poll(() => show().archived).toBe(false);
    await page.locator('.crumbs .badge').waitFor({ state: 'detached' });
    expect(Number(git(web.s.dir, 'rev-list', '--count', 'tack'))).toBe(commits + 2);
    expect(errors).toEqual([]);
    await page.close();
  });
});

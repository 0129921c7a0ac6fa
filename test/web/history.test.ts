import { describe, expect, it } from 'vitest';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* The ticket page's history says what a commit did to relations, and the diff shows them. */

describe.skipIf(!HAS_CHROMIUM)('web UI: relations in the history', () => {
  const web = useBrowserAndServer();

  it('lists added and removed relations with titles, and the diff of two versions shows them', async () => {
    const a = tackJson(web.s.dir, 'create', 'Relation owner').id as string;
    const b = tackJson(web.s.dir, 'create', 'Blocked thing').id as string;
    const c = tackJson(web.s.dir, 'create', 'Parent epic').id as string;
    tack(web.s.dir, 'link', a, 'blocks', b);
    tack(web.s.dir, 'update', a, '--parent', c);
    tack(web.s.dir, 'unlink', a, 'blocks', b);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${a}`);
    const versions = page.locator('.version');
    await versions.nth(3).waitFor();
    expect(await versions.nth(0).locator('.rel-changes li').allTextContents()).toEqual([
      `removed blocks ${b} (Blocked thing)`,
    ]);
    expect(await versions.nth(1).locator('.rel-changes li').allTextContents()).toEqual([
      `added parent ${c} (Parent epic)`,
    ]);
    expect(await versions.nth(2).locator('.rel-changes li').allTextContents()).toEqual([
      `added blocks ${b} (Blocked thing)`,
    ]);
    await versions.nth(2).getByRole('button', { name: 'diff' }).click();
    const diff = page.getByTestId('diff');
    await diff.locator('.add').first().waitFor();
    expect(await diff.locator('.add').allTextContents()).toEqual([`+ blocks ${b} (Blocked thing)`]);
    expect(await diff.locator('.del').allTextContents()).toEqual([]);
    await versions.nth(0).getByRole('button', { name: 'diff' }).click();
    await diff.locator('.del', { hasText: 'blocks' }).waitFor();
    expect(await diff.locator('.del').allTextContents()).toEqual([`- blocks ${b} (Blocked thing)`]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

import { describe, expect, it } from 'vitest';
import { tack, tackJson } from '../helpers.js';
import { commitToStore, ticketText } from '../storeFiles.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* A doc names the first 50 tickets that link it, and says how many more there are. */

describe.skipIf(!HAS_CHROMIUM)('web UI: a doc linked by many tickets', () => {
  const web = useBrowserAndServer();

  it('names 50 of them and says how many more', async () => {
    tack(web.s.dir, 'docs', 'add', 'specs/popular.md', '--text', '# Popular\n\nEveryone links it.\n');
    const files: Record<string, string> = {};
    for (let i = 0; i < 53; i++) {
      const id = `tk-pop${String(i).padStart(5, '0')}`;
      files[`tickets/${id}.md`] = ticketText(
        { id, title: `Linker ${i}`, status: 'todo', created: '2026-11-21T10:00:00Z', links: ['docs/specs/popular.md'] },
        '',
      );
    }
    commitToStore(web.s.dir, files, 'many linkers');
    expect(tackJson(web.s.dir, 'docs', 'show', 'specs/popular.md', '--json').backlinks_total).toBe(53);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/docs/docs/specs/popular.md`);
    await page.locator('.doc-view', { hasText: 'and 3 more' }).waitFor();
    expect(await page.locator('.doc-view a.ref').count()).toBe(50);
    expect(errors).toEqual([]);
    await page.close();
  });
});

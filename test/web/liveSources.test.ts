import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackJson } from '../helpers.js';
import { commitToStore, ticketText } from '../storeFiles.js';
import { HAS_CHROMIUM, openApp, served, useBrowserAndServer } from './browser.js';

// Changes that do not come through Tack at all: a plain git commit on the store branch,
// and an editor's save in a `tack mount` checkout. The open page shows both, no reload.
describe.skipIf(!HAS_CHROMIUM)('web UI in chromium: changes from plain git and from a mounted checkout', () => {
  const web = useBrowserAndServer();

  it('shows a ticket committed with plain git on the tack branch', async () => {
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    const id = 'tk-g1tc0mm1';
    commitToStore(
      web.s.dir,
      {
        [`tickets/${id}.md`]: ticketText(
          {
            id,
            title: 'Committed with plain git',
            type: 'task',
            status: 'todo',
            priority: 'high',
            created: '2026-11-21T10:00:00Z',
            updated: '2026-11-21T10:00:00Z',
          },
          'By hand.\n',
        ),
      },
      'hand-made ticket',
    );
    await page.locator(`.row[data-id="${id}"]`, { hasText: 'Committed with plain git' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an edit saved in a mounted checkout, on the open ticket page', async () => {
    // The server watches the mount that exists when it starts (see docs/server.md).
    let id = '';
    let mount = '';
    const m = await served({
      before: (dir) => {
        id = tackJson(dir, 'create', 'Before the mount edit', '--json').id as string;
        mount = tackJson(dir, 'mount').mount as string;
      },
    });
    try {
      const { page } = await openApp(web.browser, `${m.srv.url}/t/${id}`);
      await page.locator('h1', { hasText: 'Before the mount edit' }).waitFor();
      const file = join(mount, 'tickets', `${id}.md`);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('title: Before the mount edit', 'title: Saved in the mount'),
      );
      await page.locator('h1', { hasText: 'Saved in the mount' }).waitFor({ timeout: 10_000 });
      expect(git(mount, 'status', '--porcelain')).toBe(`M tickets/${id}.md`);
      await page.close();
    } finally {
      await m.close();
    }
  });
});

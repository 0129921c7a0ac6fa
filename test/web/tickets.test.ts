import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { git, tack, tackJson, tackRaw } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

describe.skipIf(!HAS_CHROMIUM)('web UI in chromium: list, ticket page, board, palette, live', () => {
  const web = useBrowserAndServer();

  it('serves the app at / and any client path, never shadowing the API', async () => {
    const root = await fetch(`${web.s.srv.url}/`);
    expect(root.headers.get('content-type')).toMatch(/text\/html/);
    expect(await root.text()).toContain('<div id="root">');
    expect((await fetch(`${web.s.srv.url}/t/tk-none`)).headers.get('content-type')).toMatch(/text\/html/);
    const missing = await fetch(`${web.s.srv.url}/api/no-such-thing`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    expect((await fetch(`${web.s.srv.url}/assets/nope.js`)).status).toBe(404);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${web.s.srv.url}/`)).text())![1];
    const js = await fetch(`${web.s.srv.url}${asset}`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    // Outside dist/web nothing is served, however the path is spelled.
    for (const p of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const r = await fetch(`${web.s.srv.url}${p}`);
      expect(await r.text()).not.toContain('"devDependencies"');
    }
    // A malformed path names no file: the app's page, which says what it cannot find.
    const malformed = await fetch(`${web.s.srv.url}/%E0%A4%A`);
    expect(malformed.status).toBe(200);
    expect(await malformed.text()).toContain('<div id="root">');
  });

  it('creates with c, moves with j/k, opens with enter and edits fields inline', async () => {
    tack(web.s.dir, 'create', 'Existing ticket', '-p', 'low');
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    await page.keyboard.press('c');
    await page.getByLabel('new title').fill('Made in the web.browser');
    const priority = page.getByRole('combobox', { name: 'new priority' });
    await priority.fill('urg');
    // The choices come with the schema, which may still be on its way under load.
    await page.getByRole('listbox', { name: 'new priority' }).getByRole('option').first().waitFor();
    await priority.press('Enter');
    await page.getByTestId('new priority-now').filter({ hasText: 'urgent' }).waitFor();
    await page.getByLabel('new title').press('Enter');
    await page.locator('.row', { hasText: 'Made in the web.browser' }).waitFor();
    const made = tackJson(web.s.dir, 'list', '--json').find((t: any) => t.title === 'Made in the web.browser');
    expect(made.priority).toBe('urgent');

    // Urgent sorts first: j moves to the low one, k back, enter opens the urgent one.
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.row.selected .title').textContent()).toBe('Existing ticket');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Made in the web.browser' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/t/${made.id}`);

    // `s` opens the status picker; typing narrows it, Enter picks.
    await page.keyboard.press('s');
    await page.getByRole('option', { name: 'done' }).waitFor(); // every state listed
    await page.keyboard.type('progr');
    const listed = page.getByRole('listbox', { name: 'status' }).getByRole('option');
    await expect.poll(() => listed.allTextContents()).toEqual([expect.stringContaining('in-progress')]);
    await page.keyboard.press('Enter');
    await page.getByTestId('status-now').filter({ hasText: 'in-progress' }).waitFor();
    // New labels are made by typing them in the picker: Enter picks "Create label".
    const labels = page.getByRole('combobox', { name: 'labels' });
    for (const l of ['ui', 'web']) {
      await labels.fill(l);
      await page.getByRole('option', { name: `Create label “${l}”` }).waitFor();
      await labels.press('Enter');
      await page.locator('.label-picker .chip', { hasText: l }).waitFor();
    }
    await page.locator('h1').click();
    await page.getByLabel('title', { exact: true }).fill('Renamed inline');
    await page.getByLabel('title', { exact: true }).press('Enter');
    await page.locator('h1', { hasText: 'Renamed inline' }).waitFor();
    await expect
      .poll(() => tackJson(web.s.dir, 'show', made.id, '--json'))
      .toMatchObject({ title: 'Renamed inline', status: 'in-progress', labels: ['ui', 'web'] });

    await page.keyboard.press('e');
    await page.getByLabel('description', { exact: true }).fill('# Plan\n\nStep **one**');
    await expect.poll(() => page.locator('.preview strong').textContent()).toBe('one');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.markdown h1', { hasText: 'Plan' }).waitFor();
    // The page shows what it saved before the server's answer: the commit may come a moment later.
    await expect.poll(() => tackJson(web.s.dir, 'show', made.id, '--json').description).toContain('Step **one**');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a CLI change live without losing what the user is typing, and a 409 with both versions', async () => {
    const id = tackJson(web.s.dir, 'create', 'Live target', '--json').id as string;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.getByLabel('comment').fill('half-written thought');
    await page.keyboard.press('Escape'); // leaves nothing: typing keeps the page
    tack(web.s.dir, 'update', id, '--title', 'Changed from the CLI', '--priority', 'high');
    await page.locator('h1', { hasText: 'Changed from the CLI' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('priority-now').textContent()).toContain('high');
    expect(await page.getByLabel('comment').inputValue()).toBe('half-written thought');
    await page.getByRole('button', { name: 'Comment' }).click();
    await page.locator('.comment', { hasText: 'half-written thought' }).waitFor();

    // Start editing the description, let the CLI write it meanwhile, then save: a conflict.
    await page.keyboard.press('e');
    await page.getByLabel('description', { exact: true }).fill('my version');
    tack(web.s.dir, 'update', id, '--description', 'their version');
    // The event arrives and is read (the list shows the new version) while the editor keeps the draft.
    await expect
      .poll(async () => (await fetch(`${web.s.srv.url}/api/tickets/${id}`).then((r) => r.json())).description, {
        timeout: 10_000,
      })
      .toContain('their version');
    await page.waitForTimeout(500);
    expect(await page.getByLabel('description', { exact: true }).inputValue()).toBe('my version');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'conflict' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('my version');
    expect(await dialog.textContent()).toContain('their version');
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    await page.locator('.desc .markdown', { hasText: 'my version' }).waitFor();
    // The page shows the version it keeps before the server's answer: the commit may come a moment later.
    await expect.poll(() => tackJson(web.s.dir, 'show', id, '--json').description.trim()).toBe('my version');
    expect(errors).toEqual([]);
    await page.close();
  });

  /**
   * The HTML5 drag events a drag gesture makes, with one shared DataTransfer, sent to the
   * real elements (Playwright's mouse-driven drag did not reach `drop` in headless chromium).
   */
  async function dragTo(page: Page, from: string, to: string) {
    // The board renders after its data arrives: under load the first drag could come first.
    await page.locator(from).first().waitFor();
    await page.locator(to).first().waitFor();
    await page.evaluate(
      ([a, b]) => {
        const src = document.querySelector(a)!;
        const dst = document.querySelector(b)!;
        const dataTransfer = new DataTransfer();
        const fire = (el: Element, type: string) =>
          el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
        fire(src, 'dragstart');
        fire(dst, 'dragenter');
        fire(dst, 'dragover');
        fire(dst, 'drop');
        fire(src, 'dragend');
      },
      [from, to],
    );
  }

  it('diffs two versions from the history', async () => {
    const id = tackJson(web.s.dir, 'create', 'History subject', '--description', 'first line', '--json').id as string;
    tack(web.s.dir, 'update', id, '--description', 'second line', '--status', 'in-review');
    const { page } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('.version').nth(1).waitFor();
    await page.locator('.version').first().getByRole('button', { name: 'diff' }).click();
    const diff = page.getByTestId('diff');
    await diff.locator('.add', { hasText: 'second line' }).waitFor();
    expect(await diff.locator('.del').allTextContents()).toEqual(
      expect.arrayContaining(['- status: todo', '- first line']),
    );
    expect(await diff.locator('.add').allTextContents()).toEqual(
      expect.arrayContaining(['+ status: in-review', '+ second line']),
    );
    await page.close();
  });

  it('says in the history which versions an agent made', async () => {
    const id = tackJson(web.s.dir, 'create', 'Provenance subject', '--json').id as string;
    const r = tackRaw(web.s.dir, ['update', id, '--status', 'in-progress'], {
      TACK_AGENT: 'web-bot',
      TACK_HARNESS: 'harness-1',
      TACK_MODEL: 'model-1',
    });
    expect(r.status, r.stderr).toBe(0);
    const { page } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('.version').nth(1).waitFor();
    expect(await page.locator('.version').first().getByTestId('actor').textContent()).toContain(
      'agent web-bot via harness-1, model-1',
    );
    expect(await page.locator('.version').nth(1).getByTestId('actor').count()).toBe(0);
    await page.close();
  });

  it('shows the code commits and branches that mention the ticket', async () => {
    const id = tackJson(web.s.dir, 'create', 'Mentioned in code', '--json').id as string;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${id}`);
    await page.locator('h1', { hasText: 'Mentioned in code' }).waitFor();
    expect(await page.getByTestId('code-links').count()).toBe(0);
    git(web.s.dir, 'checkout', '-q', '-b', 'parser-work');
    git(web.s.dir, 'commit', '-q', '--allow-empty', '-m', `parser: keep comments\n\nRefs ${id}`);
    const sha = git(web.s.dir, 'rev-parse', 'HEAD').slice(0, 12);
    git(web.s.dir, 'checkout', '-q', '-');
    tack(web.s.dir, 'commits', 'scan');
    const shown = tackJson(web.s.dir, 'show', id, '--json');
    expect(shown.commits).toEqual([sha]);
    expect(shown.branches).toEqual(['parser-work']);
    // Live: the scan's write reaches the open page.
    const code = page.getByTestId('code-links');
    await code.locator('.commit', { hasText: sha }).waitFor({ timeout: 10_000 });
    expect(await code.locator('.branch').allTextContents()).toEqual(['parser-work']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws a merge in the commit history with an edge to each parent', async () => {
    tack(web.s.dir, 'branch', 'create', 'plan');
    tack(web.s.dir, '--branch', 'plan', 'create', 'Planned on the side');
    tack(web.s.dir, 'create', 'Meanwhile in the store');
    tack(web.s.dir, 'branch', 'merge', 'plan');
    const merge = (tackJson(web.s.dir, 'log', '--json').commits as any[])[0];
    expect(merge.parents).toHaveLength(2);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/graph`);
    await page.getByRole('button', { name: 'Commits' }).click();
    const node = page.locator(`[data-testid="commits"] .node[data-sha="${merge.sha}"]`);
    await node.waitFor();
    expect(await node.getAttribute('data-parents')).toBe('2');
    // Two edges leave the merge's dot: one to each parent, in two lanes.
    const dot = await node.evaluate((g) => ({
      x: Number(g.querySelector('circle')!.getAttribute('cx')),
      y:
        Number(/translate\(0,([\d.]+)\)/.exec(g.getAttribute('transform')!)![1]) +
        Number(g.querySelector('circle')!.getAttribute('cy')),
    }));
    const starts = await page.locator('[data-testid="commits"] .commit-edge').evaluateAll((els) =>
      els.map((e) => {
        const pts = e
          .getAttribute('points')!
          .split(' ')
          .map((p) => p.split(',').map(Number));
        return { from: pts[0], next: pts[1] };
      }),
    );
    const fromMerge = starts.filter((e) => e.from[0] === dot.x && e.from[1] === dot.y);
    expect(fromMerge).toHaveLength(2);
    expect(new Set(fromMerge.map((e) => e.next[0])).size).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('adds a relation with the picker and removes it', async () => {
    const a = tackJson(web.s.dir, 'create', 'Relation source', '--json').id as string;
    const b = tackJson(web.s.dir, 'create', 'Relation blocker xyz', '--json').id as string;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${a}`);
    await page.getByRole('button', { name: '+ Add' }).click();
    await page.getByLabel('relation kind').selectOption('blocked-by');
    await page.getByLabel('find ticket').fill('blocker xyz');
    // As a user does: Enter once the ticket is offered (a ticket link's summaries come after it).
    await page.locator('.picker-item', { hasText: 'Relation blocker xyz' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.rel', { hasText: 'Blocked by' }).getByText('Relation blocker xyz').waitFor();
    await expect.poll(() => tackJson(web.s.dir, 'show', b, '--json').blocks).toEqual([a]);
    await page.getByRole('button', { name: `remove Blocked by ${b}` }).click();
    await expect.poll(() => tackJson(web.s.dir, 'show', a, '--json').blocked_by).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names the first 50 children of an epic and says how many more it has', async () => {
    const epic = tackJson(web.s.dir, 'create', 'Epic of many', '--json').id as string;
    const ops = Array.from({ length: 53 }, (_, i) =>
      JSON.stringify({ op: 'create', title: `part ${i}`, parent: epic }),
    );
    expect(tackRaw(web.s.dir, ['batch', '--json'], {}, ops.join('\n')).status).toBe(0);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/t/${epic}`);
    const children = page.locator('.rel', { hasText: 'Children' });
    await children.getByText('and 3 more').waitFor();
    expect(await children.locator('a.ref').count()).toBe(50);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves a card on the board by dragging it, and opens things from the palette', async () => {
    const id = tackJson(web.s.dir, 'create', 'Drag me', '--json').id as string;
    const [x, y, z] = ['Rank last', 'Rank top', 'Rank between'].map(
      (title) => tackJson(web.s.dir, 'create', title, '--json').id as string,
    );
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/board`);
    const review = '.column[data-state="in-review"]';
    await dragTo(page, `.card[data-id="${id}"]`, `${review} .cards`);
    await page.locator(`${review} .card[data-id="${id}"]`).waitFor();
    await expect.poll(() => tackJson(web.s.dir, 'show', id, '--json').status).toBe('in-review');

    // Order kept: onto free space goes after the ranked cards, onto a card goes just above it.
    const placed = async (from: string, to: string) => {
      const before = tackJson(web.s.dir, 'log', '-n', '10000', '--json').commits.length;
      await dragTo(page, `.card[data-id="${from}"]`, to);
      await expect
        .poll(() => tackJson(web.s.dir, 'show', from, '--json'))
        .toMatchObject({ status: 'in-review', rank: expect.any(Number) });
      expect(tackJson(web.s.dir, 'log', '-n', '10000', '--json').commits.length).toBe(before + 1); // one move, one ticket write
    };
    await placed(x, `${review} .cards`);
    await placed(y, `${review} .card[data-id="${id}"]`);
    await placed(z, `${review} .card[data-id="${x}"]`);
    const order = [y, id, z, x];
    const shown = async () =>
      (
        await page.locator(`${review} .card`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id))
      ).filter((i) => order.includes(i!));
    await expect.poll(shown).toEqual(order);
    await page.reload();
    await page.locator(`${review} .card[data-id="${x}"]`).waitFor();
    expect(await shown()).toEqual(order);

    // The terminal board shows the same columns.
    const board = tack(web.s.dir, 'board');
    expect(board).toMatch(/in-review \(\d+\)/);
    expect(
      tackJson(web.s.dir, 'board', '--json')
        .columns.find((c: any) => c.state === 'in-review')
        .tickets.map((t: any) => t.id)
        .filter((i: string) => order.includes(i)),
    ).toEqual(order);

    await page.keyboard.press('Control+k');
    await page.getByLabel('command', { exact: true }).fill('drag');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Drag me' }).waitFor();
    // On a ticket the palette also offers its field changes.
    await page.keyboard.press('Control+k');
    await page.getByLabel('command', { exact: true }).fill('status: done');
    await page.keyboard.press('Enter');
    await expect.poll(() => tackJson(web.s.dir, 'show', id, '--json').status).toBe('done');
    await page.keyboard.press('Control+k');
    await page.getByLabel('command', { exact: true }).fill('go to capture');
    await page.keyboard.press('Enter');
    await page.locator('h2', { hasText: 'Capture' }).waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'shortcuts' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});

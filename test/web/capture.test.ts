import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

describe.skipIf(!HAS_CHROMIUM)('web UI in chromium: quick capture, tags, docs, saved views, hand edits', () => {
  // Inline mode: tickets are files in .tack/, so a hand edit is a change from outside.
  const web = useBrowserAndServer({ inline: true });

  it('captures a note with Ctrl+M, a #tag and a + link with a preview; tag page; turns it into a ticket', async () => {
    const target = tackJson(web.s.dir, 'create', 'Parser drops comments', '--json').id as string;
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/capture`);
    // The shortcut belongs to the capture page: press it once the page is there.
    await page.getByRole('button', { name: /New entry/ }).waitFor();
    await page.keyboard.press('Control+m');
    const entry = page.getByLabel('entry', { exact: true });
    await entry.pressSequentially('Idea about the parser #parsing see +');
    await page.getByLabel('find ticket').pressSequentially('drops');
    await page.keyboard.press('Enter');
    expect(await entry.inputValue()).toBe(`Idea about the parser #parsing see +${target} `);
    await page.getByTestId('embed').filter({ hasText: 'Parser drops comments' }).first().waitFor();
    await entry.press('Control+Enter');
    const note = page.locator('.stream .entry').first();
    await note.getByTestId('embed').filter({ hasText: 'Parser drops comments' }).waitFor();
    const saved = tackJson(web.s.dir, 'list', '--type', 'note', '--json');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      type: 'note',
      labels: ['parsing'],
      title: `Idea about the parser #parsing see +${target}`,
    });
    // The store reads the same link: the target lists the note as a backlink.
    expect(tackJson(web.s.dir, 'show', target, '--json').backlinks).toContain(saved[0].id);

    await note.locator('a.label', { hasText: '#parsing' }).click();
    await page.locator('h2', { hasText: '#parsing' }).waitFor();
    expect(await page.locator('.tag-page .row').count()).toBe(1);

    await page.goBack();
    // Attach it to the ticket it talks about: it becomes that ticket's child.
    await page.locator('.stream .entry').first().getByRole('button', { name: 'Attach to…' }).click();
    await page.getByLabel('find ticket').fill('Parser drops');
    await page.keyboard.press('Enter');
    await page.locator('.stream .entry').first().getByText('attached to Parser drops comments').waitFor();
    expect(tackJson(web.s.dir, 'show', target, '--json').children).toEqual([saved[0].id]);
    await page.locator('.stream .entry').first().getByRole('button', { name: 'Make ticket' }).click();
    await page.locator('h1', { hasText: 'Idea about the parser' }).waitFor();
    await expect.poll(() => tackJson(web.s.dir, 'show', saved[0].id, '--json').type).toBe('task');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hand edit of a checked-out ticket file live', async () => {
    const id = tackJson(web.s.dir, 'create', 'Edited by hand', '--json').id as string;
    const { page } = await openApp(web.browser, web.s.srv.url);
    await page.locator('.row', { hasText: 'Edited by hand' }).waitFor();
    const file = join(web.s.dir, '.tack', 'tickets', `${id}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Edited by hand', 'title: Edited in vim'));
    await page.locator('.row', { hasText: 'Edited in vim' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('saves a view as a file in the store and applies it', async () => {
    tack(web.s.dir, 'create', 'Labelled one', '-l', 'ux');
    const { page } = await openApp(web.browser, web.s.srv.url);
    await page.getByLabel('label', { exact: true }).selectOption('ux');
    expect(await page.getByTestId('count').textContent()).toBe('1 tickets');
    page.once('dialog', (d) => void d.accept('ux-work'));
    await page.getByRole('button', { name: 'Save view' }).click();
    await expect
      .poll(() => tackJson(web.s.dir, 'view', 'list', '--json'))
      .toEqual([expect.objectContaining({ name: 'ux-work', filters: { label: 'ux' } })]);
    await page.getByLabel('label', { exact: true }).selectOption('');
    await expect.poll(() => page.getByTestId('count').textContent()).not.toBe('1 tickets');
    await page.getByLabel('saved view').selectOption('ux-work');
    await expect.poll(() => page.getByTestId('count').textContent()).toBe('1 tickets');
    await page.close();
  });

  it('shows ready work, my work and epic progress, and draws the dependency graph and the commits', async () => {
    const epic = tackJson(web.s.dir, 'create', 'Epic of graphs', '-t', 'epic', '-a', 'tester', '--json').id as string;
    const kid = tackJson(web.s.dir, 'create', 'Child one', '--parent', epic, '--json').id as string;
    tack(web.s.dir, 'close', tackJson(web.s.dir, 'create', 'Child two', '--parent', epic, '--json').id);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/work`);
    await page.locator('.progress-row', { hasText: 'Epic of graphs' }).getByText('1/2').waitFor();
    await page.getByTestId('mine').getByText('Epic of graphs').waitFor(); // TACK_USER=tester
    await page.getByTestId('ready').getByText('Child one').waitFor(); // the list loads after the page

    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Graphs' }).click();
    const edge = page.locator(`.graph .node[data-id="${kid}"]`);
    await edge.waitFor();
    const [epicBox, kidBox] = [
      await page.locator(`.graph .node[data-id="${epic}"]`).boundingBox(),
      await edge.boundingBox(),
    ];
    expect(kidBox!.x).toBeGreaterThan(epicBox!.x); // left to right
    await edge.click();
    await page.locator('h1', { hasText: 'Child one' }).waitFor();
    await page.goto(`${web.s.srv.url}/graph`);
    await page.getByRole('button', { name: 'Commits' }).click();
    const commits = page.getByTestId('commits');
    await commits
      .getByText(/^close /)
      .first()
      .waitFor();
    const subjects = await commits.locator('text').allTextContents();
    expect(subjects.indexOf(subjects.find((x) => x.startsWith('close '))!)).toBeLessThan(
      subjects.indexOf(subjects.find((x) => x.startsWith('create ') && x.includes('Epic of graphs'))!),
    ); // newest on top
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads a doc and diffs two of its versions', async () => {
    tack(web.s.dir, 'docs', 'add', 'specs/parser.md', '--text', '# Parser\n\nKeeps comments.\n');
    tack(web.s.dir, 'docs', 'add', 'specs/parser.md', '--text', '# Parser\n\nKeeps trailing comments.\n');
    const { versions } = tackJson(web.s.dir, 'docs', 'log', 'specs/parser.md', '--json');
    expect(versions, JSON.stringify(versions)).toHaveLength(2);
    const { page } = await openApp(web.browser, `${web.s.srv.url}/docs/docs/specs/parser.md`);
    await page.locator('.doc-view .markdown', { hasText: 'Keeps trailing comments.' }).waitFor();
    await page.getByRole('button', { name: 'diff with previous' }).click();
    const diff = page.getByTestId('doc-diff');
    await diff.locator('.del', { hasText: 'Keeps comments.' }).waitFor();
    expect(await diff.locator('.add').allTextContents()).toEqual(['+ Keeps trailing comments.']);

    // Fork a ticket from a section: the heading is the title, the doc is linked.
    tack(
      web.s.dir,
      'docs',
      'add',
      'specs/lexer.md',
      '--text',
      '# Lexer\n\n## Comment tokens\n\nEmit them.\n\n## Errors\n\nName the column.\n',
    );
    await page.goto(`${web.s.srv.url}/docs/docs/specs/lexer.md`);
    await page.getByRole('button', { name: 'fork a ticket from Comment tokens' }).click();
    await page.locator('h1', { hasText: 'Comment tokens' }).waitFor();
    const forked = tackJson(web.s.dir, 'list', '--json').find((t: any) => t.title === 'Comment tokens');
    const shown = tackJson(web.s.dir, 'show', forked.id, '--json');
    expect(shown.description).toContain('Emit them.');
    expect(shown.description).not.toContain('Name the column');
    expect(shown.links).toContain('docs/specs/lexer.md');

    // The store's files, left to right: a ticket file opens its ticket.
    await page.goto(`${web.s.srv.url}/graph`);
    await page.getByRole('button', { name: 'Files' }).click();
    await page.locator(`.graph .node[data-path="tickets/${forked.id}.md"]`).click();
    await page.locator('h1', { hasText: 'Comment tokens' }).waitFor();
    await page.close();
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tack, tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

// axe-core's own build, injected into the page: nothing is downloaded at test time.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe's violations on the page as it is now, each with the selectors of its first offending nodes. */
async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as any).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => String(n.target)),
    }));
  });
}

describe.skipIf(!HAS_CHROMIUM)('web UI accessibility: axe-core on every page, desktop and phone', () => {
  let id = '';
  const web = useBrowserAndServer();
  beforeAll(async () => {
    id = tackJson(
      web.s.dir,
      'create',
      'Tokenizer rewrite',
      '-p',
      'high',
      '-l',
      'parser',
      '--description',
      'A *long* description with `code` and a [link](https://example.com).',
      '--json',
    ).id;
    const child = tackJson(web.s.dir, 'create', 'Blocked follow-up', '-a', 'ada', '--json').id;
    tack(web.s.dir, 'comment', id, 'A comment with a mention of the lexer');
    tack(web.s.dir, 'link', id, 'blocks', child);
    tack(web.s.dir, 'create', 'Backlog idea', '--status', 'backlog');
    // Enough rows and cards that the list, the board's columns and the graph overflow and scroll.
    for (let i = 0; i < 30; i++)
      tack(web.s.dir, 'create', `Filler ticket number ${i}`, '-p', ['low', 'medium'][i % 2]!);
  });

  const pages: Array<[string, () => string, string]> = [
    ['list', () => '/', '.row .title'],
    ['board', () => '/board', '.column'],
    ['ticket', () => `/t/${id}`, 'h1'],
    ['my work', () => '/work', 'main h1, main h2, main h3'],
    ['capture', () => '/capture', '.capture'],
    ['docs', () => '/docs', 'main'],
    ['graph', () => '/graph', 'main svg, main .graph'],
    ['tag', () => '/tags/parser', 'main'],
  ];

  // One test per page and per viewport's dialogs: each is a few seconds alone, and a single
  // test over all of them passed its time limit on a loaded CI machine.
  const serious = (where: string, all: Violation[]) =>
    all
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${where}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(' | ')}`);

  it.each(pages)(
    'has no serious or critical violations on the %s page at 1280 and 390 px',
    async (name, path, ready) => {
      const found: string[] = [];
      for (const viewport of VIEWPORTS) {
        const { page } = await openApp(web.browser, web.s.srv.url + path(), viewport);
        await page.locator(ready).first().waitFor({ state: 'attached' });
        found.push(...serious(`${name} @${viewport.width}px`, await violations(page)));
        await page.close();
      }
      expect(found, found.join('\n')).toEqual([]);
    },
  );

  it.each(VIEWPORTS)('has none in the dialogs open over the list at $width px', async (viewport) => {
    const found: string[] = [];
    const { page } = await openApp(web.browser, web.s.srv.url, viewport);
    await page.locator('.row .title').first().waitFor();
    for (const [name, key, ready] of [
      ['create dialog', 'c', 'New ticket'],
      ['shortcuts', '?', 'Keyboard shortcuts'],
      ['palette', 'Control+k', null],
    ] as const) {
      await page.keyboard.press(key);
      if (ready) await page.getByRole('heading', { name: ready }).waitFor();
      else await page.getByRole('dialog').first().waitFor();
      found.push(...serious(`${name} @${viewport.width}px`, await violations(page)));
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
    await page.close();
    expect(found, found.join('\n')).toEqual([]);
  });

  it('has none in the bulk-edit bar, the open label and assignee pickers, nor the confirmation of a comment delete', async () => {
    const found: string[] = [];
    const check = async (where: string, page: Page) => found.push(...serious(where, await violations(page)));
    for (const viewport of VIEWPORTS) {
      const list = (await openApp(web.browser, web.s.srv.url, viewport)).page;
      await list.locator('.row .title').first().waitFor();
      await list.keyboard.press('x');
      await list.getByRole('toolbar', { name: 'bulk edit' }).waitFor();
      await check(`bulk edit @${viewport.width}px`, list);
      await list.getByRole('combobox', { name: 'labels of selected' }).focus();
      await list.getByRole('listbox', { name: 'labels of selected' }).getByRole('option').first().waitFor();
      await check(`bulk labels picker @${viewport.width}px`, list);
      await list.close();
      // The comment made in beforeAll is the server user's own, so it has Delete.
      const ticket = (await openApp(web.browser, `${web.s.srv.url}/t/${id}`, viewport)).page;
      for (const name of ['labels', 'assignee']) {
        await ticket.getByRole('combobox', { name }).focus();
        await ticket.getByRole('listbox', { name }).getByRole('option').first().waitFor();
        await check(`${name} picker @${viewport.width}px`, ticket);
        await ticket.getByRole('combobox', { name }).press('Escape');
      }
      await ticket.getByRole('button', { name: /^delete comment / }).click();
      await ticket.getByRole('dialog', { name: 'delete comment' }).waitFor();
      await check(`comment delete @${viewport.width}px`, ticket);
      await ticket.close();
    }
    expect(found, found.join('\n')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { tack, tackJson, tackRaw } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* The combined dependency graph draws blocks edges over the parent hierarchy, told apart from it. */

describe.skipIf(!HAS_CHROMIUM)('web UI: blockers in the combined graph', () => {
  const web = useBrowserAndServer();

  it('draws each blocks edge between the two nodes, dashed with an arrow, only in the combined view', async () => {
    const epic = tackJson(web.s.dir, 'create', 'Epic', '-t', 'epic').id as string;
    const first = tackJson(web.s.dir, 'create', 'First step', '--parent', epic).id as string;
    const second = tackJson(web.s.dir, 'create', 'Second step', '--parent', epic).id as string;
    const outside = tackJson(web.s.dir, 'create', 'Outside blocker').id as string;
    tack(web.s.dir, 'link', first, 'blocks', second);
    tack(web.s.dir, 'link', outside, 'blocks', first);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/graph`);
    const tree = page.getByTestId('tree');
    await tree.locator(`.node[data-id="${second}"]`).waitFor();
    const edges = tree.locator('path.edge.blocks');
    await expect.poll(() => edges.count()).toBe(2);
    const edge = (a: string, b: string) => tree.locator(`path.edge.blocks[data-from="${a}"][data-to="${b}"]`);
    expect(await edge(first, second).count()).toBe(1);
    expect(await edge(outside, first).count()).toBe(1);
    expect(await edge(first, second).getAttribute('marker-end')).toBe('url(#blocks-arrow)');
    const style = await edge(first, second).evaluate((el) => getComputedStyle(el).strokeDasharray);
    expect(style).not.toBe('none');
    // The edge starts at the blocker's box (right side, middle) and ends at the blocked one's.
    const at = async (id: string) => {
      const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(
        (await tree.locator(`.node[data-id="${id}"]`).getAttribute('transform'))!,
      )!;
      const r = (await tree
        .locator(`.node[data-id="${id}"] rect`)
        .first()
        .evaluate((el) => [el.getAttribute('width'), el.getAttribute('height')]))!;
      return { x: Number(m[1]), y: Number(m[2]) - 2, w: Number(r[0]), h: Number(r[1]) };
    };
    const nums = (await edge(first, second).getAttribute('d'))!.match(/-?[\d.]+/g)!.map(Number);
    const [a, b] = [await at(first), await at(second)];
    expect(nums.slice(0, 2)).toEqual([a.x + a.w, a.y + a.h / 2]);
    expect(nums.slice(-1)[0]).toBe(b.y + b.h / 2);
    expect([b.x, b.x + b.w]).toContain(nums.slice(-2)[0]);
    expect(await page.locator('.legend').textContent()).toMatch(/parent\s+blocks/);
    await page.getByRole('button', { name: 'parents', exact: true }).click();
    await expect.poll(() => edges.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws only the boxes near the screen, and finds and scrolls to any other', async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ op: 'create', title: `Graph filler ${i}` }));
    items.push({ op: 'create', title: 'Needle far down the forest' });
    const r = tackRaw(web.s.dir, ['batch', '-', '--json'], {}, JSON.stringify(items));
    expect(r.status, r.stderr).toBe(0);
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/graph`);
    const tree = page.getByTestId('tree');
    await tree.locator('.node').first().waitFor();
    await page.getByText(/boxes; scroll or find/).waitFor();
    const total = Number((await page.locator('.graph-find .muted').textContent())!.replace(/\D/g, ''));
    expect(total).toBeGreaterThan(300);
    // A screen either side of the visible one: far fewer boxes than the forest has.
    const drawn = await tree.locator('.node').count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(total / 2);
    const needle = tree.locator('.node', { hasText: 'Needle far down' });

    const find = page.getByRole('searchbox', { name: 'find in graph' });
    await find.fill('needle far');
    await page.getByText('1 found (Enter: go to the first)').waitFor();
    await find.press('Enter');
    await page.getByText('1 of 1 (Enter: next)').waitFor();
    await needle.waitFor();
    expect(await needle.getAttribute('class')).toContain('match');
    expect(await needle.isVisible()).toBe(true);
    expect(await tree.locator('.node').count()).toBeLessThan(total / 2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when the graph cannot be read, and the app goes on', async () => {
    const page = await web.browser.newPage();
    await page.route(/\/api\/tree\?/, (route) =>
      route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'the index is locked' } } }),
    );
    await page.goto(`${web.s.srv.url}/graph`);
    await page.getByText('Cannot read the graph: the index is locked').waitFor({ timeout: 10_000 });
    await page.locator('nav.side a', { hasText: 'Issues' }).click();
    await page.locator('.row').first().waitFor(); // the summaries came once the graph had its answer
    await page.close();
  });

  it('draws the graph and lists the docs before the summaries of every ticket arrive, which come after', async () => {
    for (const path of ['/graph', '/docs']) {
      const page = await web.browser.newPage();
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      await page.route(/\/api\/tickets\?/, async (route) => (await held, route.continue()));
      const summaries: string[] = [];
      page.on('request', (r) => /\/api\/tickets\?/.test(r.url()) && summaries.push(r.url()));
      await page.goto(`${web.s.srv.url}${path}`);
      // Nothing is shown but the page's own data: the summaries are held back all along.
      if (path === '/graph') await page.getByTestId('tree').locator('.node').first().waitFor({ timeout: 10_000 });
      else
        await page
          .locator('.doc-list')
          .getByText(/No docs yet|\.md/)
          .first()
          .waitFor({ timeout: 10_000 });
      // Asked for once the page has its own (not by the early script in index.html).
      await expect.poll(() => summaries.length).toBe(1);
      release();
      await page.close();
    }
  });
});

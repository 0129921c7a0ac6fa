// Speed of the web UI (issue: the web UI). Usage, after `npm run build`:
//   [TACK_ROOT=/other/checkout] node bench/web.mjs [--tickets N] [--runs N] [--json]
// First paint of the list at N tickets (goal < 1 s): from navigation start to the first
// painted frame with ticket rows, in Debian's chromium, against a real `tack serve`.
// Then scrolling: frame times while the virtualized list scrolls to the end. Then a direct
// ticket link on a slow line (10 Mbit/s, 40 ms RTT, emulated by chromium): the time to the
// ticket's title, and the time to the list's rows on the same line (every summary loaded).
// Then the dependency graph (/graph) at N tickets: the time from its tree's answer to the
// first frame with boxes drawn, and how many SVG elements it draws. `--only graph` skips the
// list and the slow line.
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchEnv, createBenchStore, tackBuild } from './benchStore.mjs';

const root = process.env.TACK_ROOT ?? resolve(new URL('.', import.meta.url).pathname, '..'); // TACK_ROOT: another build, for A/B
const { bin } = tackBuild(root);
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('tickets', 10000);
const RUNS = opt('runs', 7);
const asJson = args.includes('--json');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function startServe(dir) {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, env });
  return new Promise((res, rej) => {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) res({ url: m[1], proc });
    });
    proc.on('exit', (c) => rej(new Error(`serve exited ${c}`)));
  });
}

// Records, in the page, the time of the first frame painted after ticket rows exist.
const FIRST_ROWS = `
  new MutationObserver((_, obs) => {
    if (!document.querySelector('.row')) return;
    obs.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__firstRows = performance.now(); }));
  }).observe(document, { childList: true, subtree: true });`;

/** ms from navigation start until `selector` is in the page, on an emulated 10 Mbit/s, 40 ms RTT line. */
async function throttled(target, selector) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const bytesPerSec = (10 * 1e6) / 8;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 40,
    downloadThroughput: bytesPerSec,
    uploadThroughput: bytesPerSec,
  });
  await page.goto(target, { waitUntil: 'commit' });
  await page.locator(selector).first().waitFor({ timeout: 60_000 });
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

async function slowLine(ticketUrl, listUrl) {
  const link = [];
  const list = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    link.push(await throttled(ticketUrl, 'h1.ticket-title'));
    list.push(await throttled(listUrl, '.row'));
  }
  const sum = (xs) => ({ p50: Math.round(pct(xs, 0.5)), max: Math.round(Math.max(...xs)) });
  return { slow_ticket_link_ms: sum(link), slow_list_ms: sum(list) };
}

// Records the first frame painted after graph boxes exist, and when the tree's answer arrived.
const FIRST_BOXES = `
  new MutationObserver((_, obs) => {
    if (!document.querySelector('[data-testid=tree] .node')) return;
    obs.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      const tree = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/tree'));
      window.__graph = { painted: performance.now(), answered: tree ? tree.responseEnd : NaN };
    }));
  }).observe(document, { childList: true, subtree: true });`;

/** The dependency graph at N tickets: render time (answer to painted boxes) and SVG elements drawn. */
async function graph(url) {
  const render = [];
  const total = [];
  let elements = 0;
  for (let i = 0; i < Math.min(RUNS, 3) + 1; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(FIRST_BOXES);
    await page.goto(`${url}/graph`);
    await page.waitForFunction(() => window.__graph !== undefined, null, { timeout: 120_000 });
    const g = await page.evaluate(() => window.__graph);
    elements = await page.evaluate(() => document.querySelectorAll('[data-testid=tree] svg *').length);
    await page.close();
    if (i === 0) continue; // the first run warms the server
    render.push(g.painted - g.answered);
    total.push(g.painted);
  }
  const sum = (xs) => ({ p50: Math.round(pct(xs, 0.5)), max: Math.round(Math.max(...xs)) });
  return { graph_render_ms: sum(render), graph_total_ms: sum(total), graph_svg_elements: elements };
}

const t0 = Date.now();
log(`seeding ${N} tickets…`);
const { dir } = await createBenchStore({ tickets: N, prefix: 'tack-bench-web-', root });
log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const { url, proc } = await startServe(dir);
const firstId = JSON.parse(
  execFileSync(process.execPath, [bin, 'list', '--limit', '1', '--json'], { cwd: dir, env, encoding: 'utf8' }),
)[0].id;
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  if (only === 'graph') {
    const g = await graph(url);
    if (asJson) console.log(JSON.stringify({ tickets: N, ...g }));
    else
      console.log(
        `graph at ${N} tickets: ${g.graph_svg_elements} SVG elements; render (answer to painted boxes) p50 ${g.graph_render_ms.p50} ms, max ${g.graph_render_ms.max}; from navigation p50 ${g.graph_total_ms.p50} ms`,
      );
    process.exitCode = 0;
  }
  const paints = [];
  let rows = 0;
  for (let i = 0; i < (only === 'graph' ? 0 : RUNS + 1); i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(FIRST_ROWS);
    await page.goto(url);
    await page.waitForFunction(() => window.__firstRows !== undefined, null, { timeout: 30_000 });
    const ms = await page.evaluate(() => window.__firstRows);
    rows = Number((await page.getByTestId('count').textContent()).replace(/\D/g, ''));
    if (i > 0) paints.push(ms); // the first run warms the server's read cache and the disk
    if (i === RUNS) {
      // Scroll the virtualized list to the end in steps; frame times while it renders.
      const frames = await page.evaluate(async () => {
        const el = document.querySelector('[data-testid=list]');
        const times = [];
        let last = performance.now();
        for (let y = 0; y < el.scrollHeight; y += 1200) {
          el.scrollTop = y;
          await new Promise((r) => requestAnimationFrame(() => r()));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        return times;
      });
      const result = {
        tickets: N,
        rows_shown: rows,
        runs: RUNS,
        first_paint_ms: { p50: Math.round(pct(paints, 0.5)), max: Math.round(Math.max(...paints)) },
        scroll_frame_ms: {
          frames: frames.length,
          p50: +pct(frames, 0.5).toFixed(1),
          p95: +pct(frames, 0.95).toFixed(1),
        },
      };
      Object.assign(result, await slowLine(`${url}/t/${firstId}`, url), await graph(url));
      if (asJson) console.log(JSON.stringify(result));
      else {
        console.log(
          `first paint of the list, ${N} tickets (${rows} open rows): p50 ${result.first_paint_ms.p50} ms, max ${result.first_paint_ms.max} ms over ${RUNS} loads`,
        );
        console.log(
          `scrolling to the end (${frames.length} steps of 1200 px): frame p50 ${result.scroll_frame_ms.p50} ms, p95 ${result.scroll_frame_ms.p95} ms`,
        );
        console.log(
          `10 Mbit/s, 40 ms RTT: a direct ticket link shows its title in p50 ${result.slow_ticket_link_ms.p50} ms (max ${result.slow_ticket_link_ms.max}); the list's rows (all summaries) in p50 ${result.slow_list_ms.p50} ms (max ${result.slow_list_ms.max})`,
        );
        console.log(
          `graph: ${result.graph_svg_elements} SVG elements; render p50 ${result.graph_render_ms.p50} ms (max ${result.graph_render_ms.max}); from navigation p50 ${result.graph_total_ms.p50} ms`,
        );
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

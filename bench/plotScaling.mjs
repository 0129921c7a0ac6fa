#!/usr/bin/env node
// Time against store size (issue 15, item 4): bench/scaling.svg from `bench/run.mjs --json`
// answers at several store sizes, hand-drawn SVG (no dependency). Usage:
//   node bench/plotScaling.mjs run-1k.json run-10k.json run-100k.json
// keeps the points it plotted in bench/scaling.json; with no argument it redraws from there.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(new URL('.', import.meta.url).pathname);
const dataFile = join(here, 'scaling.json');
const files = process.argv.slice(2);

/** One point per store size: each command's median and ratio, the bare node baseline, the rebuild. */
function point(run) {
  const cmd = (k) => run.commands[k] ?? null;
  return {
    tickets: run.tickets,
    layout: run.layout ?? 'flat',
    load_average: run.load_average ?? null,
    bare_node_ms: run.bare_node_ms,
    full_reindex_ms: run.full_reindex_ms,
    commands: {
      list: cmd('list --limit 50'),
      ready: cmd('ready --limit 20'),
      show: cmd('show'),
      search: cmd('search'),
      create: cmd('create (with commit)'),
    },
    peak_rss_mib: run.peak_rss_mib ?? {},
  };
}

const points = files.length
  ? files.map((f) => point(JSON.parse(readFileSync(f, 'utf8')))).sort((a, b) => a.tickets - b.tickets)
  : JSON.parse(readFileSync(dataFile, 'utf8'));
if (files.length) writeFileSync(dataFile, `${JSON.stringify(points, null, 2)}\n`);

const SERIES = [
  ['list', '#1f77b4'],
  ['ready', '#2ca02c'],
  ['show', '#9467bd'],
  ['search', '#ff7f0e'],
  ['create', '#d62728'],
];
const W = 720;
const H = 420;
const M = { left: 96, right: 150, top: 40, bottom: 56 };
const pw = W - M.left - M.right;
const ph = H - M.top - M.bottom;
const ratios = points.flatMap((p) => SERIES.map(([k]) => p.commands[k]?.ratio ?? 0));
const yMax = Math.max(3, Math.ceil(Math.max(...ratios) * 2) / 2);
const logs = points.map((p) => Math.log10(p.tickets));
const [x0, x1] = [Math.min(...logs), Math.max(...logs)];
const x = (tickets) => M.left + (x1 === x0 ? pw / 2 : ((Math.log10(tickets) - x0) / (x1 - x0)) * pw);
const y = (ratio) => M.top + ph - (ratio / yMax) * ph;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const out = [];
out.push(
  `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
);
out.push(
  `<title>Tack command time divided by a bare node start, at ${esc(points.map((p) => thousands(p.tickets)).join(', '))} tickets</title>`,
);
out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
out.push(
  `<text x="${M.left}" y="22" font-size="14" font-weight="bold">Command time ÷ bare node -e 0, against store size (median, bench/run.mjs)</text>`,
);
const loads = points.map((p) => p.load_average?.split(' ')[0]).filter(Boolean);
if (loads.length)
  out.push(
    `<text x="${M.left}" y="36" fill="#666" font-size="10">load average during the runs: ${esc(loads.join(', '))}</text>`,
  );
for (let r = 0; r <= yMax; r += 0.5) {
  out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(r)}" y2="${y(r)}" stroke="#eee"/>`);
  out.push(`<text x="${M.left - 8}" y="${y(r) + 4}" text-anchor="end">${r.toFixed(1)}×</text>`);
}
for (const [limit, label] of [
  [1.5, 'read target 1.5×'],
  [2.5, 'create target 2.5×'],
]) {
  if (limit > yMax) continue;
  out.push(
    `<line x1="${M.left}" x2="${M.left + pw}" y1="${y(limit)}" y2="${y(limit)}" stroke="#999" stroke-dasharray="6 4"/>`,
  );
  out.push(`<text x="${M.left + 4}" y="${y(limit) - 4}" fill="#666">${label}</text>`);
}
out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}" stroke="#333"/>`);
out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#333"/>`);
for (const p of points) {
  out.push(`<text x="${x(p.tickets)}" y="${M.top + ph + 18}" text-anchor="middle">${thousands(p.tickets)}</text>`);
  out.push(
    `<text x="${x(p.tickets)}" y="${M.top + ph + 32}" text-anchor="middle" fill="#666" font-size="10">node ${p.bare_node_ms.toFixed(0)} ms, reindex ${(p.full_reindex_ms / 1000).toFixed(1)} s</text>`,
  );
}
out.push(`<text x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle">tickets in the store (log scale)</text>`);
SERIES.forEach(([key, colour], i) => {
  const pts = points.filter((p) => p.commands[key]).map((p) => [x(p.tickets), y(p.commands[key].ratio)]);
  if (pts.length > 1)
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`,
    );
  for (const [a, b] of pts) out.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3.5" fill="${colour}"/>`);
  const ly = M.top + 14 + i * 20;
  out.push(`<rect x="${M.left + pw + 16}" y="${ly - 9}" width="12" height="12" fill="${colour}"/>`);
  out.push(`<text x="${M.left + pw + 34}" y="${ly + 1}">${esc(key)}</text>`);
});
out.push('</svg>');
writeFileSync(join(here, 'scaling.svg'), `${out.join('\n')}\n`);
console.error(`wrote ${join(here, 'scaling.svg')} from ${points.length} store sizes`);

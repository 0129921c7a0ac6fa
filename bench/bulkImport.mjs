#!/usr/bin/env node
// Tack itself bringing N tickets into a store: `tack import beads` of a generated beads
// export (`.beads/issues.jsonl`, the migration a 100k-issue beads user makes) into a fresh
// `tack init --layout fanout` store, end to end, then checked: the index counts N tickets,
// git holds N ticket files and `git fsck --strict` passes; then `tack export jsonl` and
// `tack export beads` of the store (every ticket, beads ids as they came). Issue 15.4: ≤ 60 s
// at 100,000, CLI peak RSS ≤ 150 MiB.
// Usage: node bench/bulkImport.mjs [--tickets N] [--sizes 1000,10000,100000] [--keep] [--json]
//        (after `npm run build`; one size at a time, never in parallel)
// Reports wall time, user+sys CPU and peak RSS of the `tack import` process and of each export (/usr/bin/time -v
// when present), bytes in .git/objects after, commits made, and a bare `node -e 0` for scale.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, bytes, pick, tackBuild } from './benchStore.mjs';

const { bin } = tackBuild();
const args = process.argv.slice(2);
const value = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const asJson = args.includes('--json');
const keep = args.includes('--keep');
const sizes = (value('sizes') ?? value('tickets') ?? '100000').split(',').map(Number);
for (const n of sizes) if (!Number.isInteger(n) || n < 1) throw new Error(`expected a ticket count ≥ 1; received ${n}`);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const log = (...a) => {
  if (!asJson) console.error(...a);
};

const STATUS = ['open', 'open', 'open', 'in_progress', 'closed', 'closed', 'blocked', 'deferred'];
const TYPES = ['task', 'task', 'bug', 'feature', 'chore'];
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'];
const day = (i) =>
  new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86400000 + (i % 86400) * 1000).toISOString().replace('.000Z', 'Z');

/** A paragraph of about `words` words, varied by ticket and slot. */
function paragraph(i, k, words) {
  const out = [];
  for (let w = 0; w < words; w++) out.push(pick(i + w, k + w));
  return `${out.join(' ')}.`;
}

/**
 * Issue i as `bd export` writes it: a description of three paragraphs and a checklist (about
 * 700 bytes, the median of the beads sample in test/fixtures), two labels, a priority; every
 * 50th is an epic the next 49 belong to (parent-child), one in 5 is blocked by an earlier
 * issue, one in 10 has two comments.
 */
export function beadsIssue(i) {
  const id = `bd-${i.toString(36)}`;
  const epic = i % 50 === 0;
  const status = STATUS[i % STATUS.length];
  const issue = {
    id,
    title: `${pick(i, 1)} ${pick(i, 2)} ${pick(i, 3)}: ${pick(i, 4)} fails on ${pick(i, 5)} (${i})`,
    description: [
      paragraph(i, 6, 28),
      paragraph(i, 7, 22),
      `Steps:\n1. run the ${pick(i, 8)}\n2. open the ${pick(i, 9)}\n3. compare with the ${pick(i, 10)}`,
      `**Acceptance:**\n- [ ] ${paragraph(i, 11, 6)}\n- [ ] ${paragraph(i, 12, 5)}`,
    ].join('\n\n'),
    status,
    priority: i % 5,
    issue_type: epic ? 'epic' : TYPES[i % TYPES.length],
    labels: [pick(i, 13), pick(i, 14)],
    created_at: day(i),
    updated_at: day(i + 7),
  };
  if (i % 3 === 0) issue.assignee = PEOPLE[i % PEOPLE.length];
  if (status === 'closed') issue.close_reason = `fixed in the ${pick(i, 15)}`;
  const deps = [];
  const parent = i - (i % 50);
  if (!epic) {
    issue.parent = `bd-${parent.toString(36)}`;
    deps.push({ issue_id: id, depends_on_id: issue.parent, type: 'parent-child' });
  }
  // Blocked by an earlier issue: edges only point back, so there is no cycle.
  if (i % 5 === 1 && i > 7) deps.push({ issue_id: id, depends_on_id: `bd-${(i - 7).toString(36)}`, type: 'blocks' });
  if (deps.length) issue.dependencies = deps;
  if (i % 10 === 4)
    issue.comments = [1, 2].map((n) => ({
      id: n,
      author: PEOPLE[(i + n) % PEOPLE.length],
      text: paragraph(i, 16 + n, 15),
      created_at: day(i + n),
    }));
  return issue;
}

/** Run a command under /usr/bin/time -v: wall, user+sys CPU seconds, peak RSS (MiB). */
function timed(cmd, argv, opts) {
  const full = TIME ? [TIME, ['-v', cmd, ...argv]] : [cmd, argv];
  const t0 = performance.now();
  const res = spawnSync(full[0], full[1], { ...opts, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${res.status}):\n${res.stderr.slice(-3000)}`);
  const num = (re) => {
    const m = res.stderr.match(re);
    return m ? Number(m[1]) : null;
  };
  const user = num(/User time \(seconds\): ([\d.]+)/);
  const sys = num(/System time \(seconds\): ([\d.]+)/);
  const rss = num(/Maximum resident set size \(kbytes\): (\d+)/);
  return {
    stdout: res.stdout,
    wall_s: round(wall),
    cpu_s: user === null ? null : round(user + sys),
    peak_rss_mib: rss === null ? null : round(rss / 1024),
  };
}
const round = (x) => Math.round(x * 100) / 100;

function measure(n) {
  const dir = mkdtempSync(join(tmpdir(), 'tack-bulk-'));
  const git = (...a) => execFileSync('git', a, { cwd: dir, env: benchEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
  const tack = (...a) =>
    execFileSync(process.execPath, [bin, ...a], { cwd: dir, env: benchEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
  try {
    git('init', '-q');
    git('config', 'user.name', 'Bench');
    git('config', 'user.email', 'bench@example.com');
    git('commit', '-q', '--allow-empty', '-m', 'init');
    tack('init', '--layout', 'fanout');
    const input = join(dir, 'issues.jsonl');
    const lines = [];
    for (let i = 0; i < n; i++) lines.push(JSON.stringify(beadsIssue(i)));
    writeFileSync(input, `${lines.join('\n')}\n`);
    const commitsBefore = Number(git('rev-list', '--count', 'tack').trim());
    log(`${n}: importing ${(statSync(input).size / 1048576).toFixed(1)} MiB of beads JSONL…`);
    const run = timed(process.execPath, [bin, 'import', 'beads', input, '--json'], { cwd: dir, env: benchEnv });
    const summary = JSON.parse(run.stdout);
    const indexed = JSON.parse(tack('sql', 'SELECT count(*) AS n FROM tickets', '--json'));
    const files = git('ls-tree', '-r', '--name-only', 'tack', '--', 'tickets')
      .split('\n')
      .filter((p) => p.endsWith('.md')).length;
    const fsck = spawnSync('git', ['fsck', '--strict', '--no-progress'], { cwd: dir, env: benchEnv, encoding: 'utf8' });
    const row = {
      tickets: n,
      input_mib: round(statSync(input).size / 1048576),
      ...run,
      stdout: undefined,
      created: summary.created,
      indexed: indexedCount(indexed),
      files,
      commits: Number(git('rev-list', '--count', 'tack').trim()) - commitsBefore,
      objects_mib: round(bytes(join(dir, '.git', 'objects')) / 1048576),
      fsck_ok: fsck.status === 0,
    };
    // The way back out: every ticket exported (JSONL, and beads with its ids as they came in).
    for (const format of ['jsonl', 'beads']) {
      const out = join(dir, `export.${format}`);
      const ran = timed(process.execPath, [bin, 'export', format, '--all', '--out', out, '--json'], {
        cwd: dir,
        env: benchEnv,
      });
      const ids = new Set(
        readFileSync(out, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).id),
      );
      const same = format === 'jsonl' ? ids.size === n : lines.every((l) => ids.has(JSON.parse(l).id));
      row[`export_${format}`] = { wall_s: ran.wall_s, peak_rss_mib: ran.peak_rss_mib, lines: ids.size, ok: same };
    }
    row.ok =
      row.created === n &&
      row.indexed === n &&
      row.files === n &&
      row.fsck_ok &&
      row.export_jsonl.ok &&
      row.export_beads.ok;
    if (!row.fsck_ok) log(fsck.stderr.slice(0, 2000));
    if (keep) log(`  kept ${dir}`);
    return row;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** `tack sql --json` answers rows; the count is the one value of the one row. */
function indexedCount(answer) {
  const rows = Array.isArray(answer) ? answer : (answer.rows ?? []);
  return Number(rows[0]?.n ?? Object.values(rows[0] ?? {})[0]);
}

const bare = [];
for (let k = 0; k < 5; k++) bare.push(timed(process.execPath, ['-e', '0'], { env: benchEnv }).wall_s);
const nodeBare = bare.sort((a, b) => a - b)[2];
const rows = sizes.map(measure);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  load_average: loadavg().map((x) => round(x)),
  node_e0_s: nodeBare,
  rows,
};
if (asJson) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`node ${process.version}, load ${result.load_average.join(' ')}, bare \`node -e 0\` ${nodeBare}s`);
  console.log(
    'tickets | wall s | ×node -e 0 | CPU s | peak RSS MiB | .git/objects MiB | commits | export jsonl s, MiB | export beads s, MiB | checked',
  );
  const exp = (e) => `${e.wall_s}, ${e.peak_rss_mib}`;
  for (const r of rows)
    console.log(
      `${r.tickets} | ${r.wall_s} | ${Math.round(r.wall_s / nodeBare)} | ${r.cpu_s} | ${r.peak_rss_mib} | ${r.objects_mib} | ${r.commits} | ${exp(r.export_jsonl)} | ${exp(r.export_beads)} | ${r.ok ? 'count, files, fsck, exports ok' : `FAILED (created ${r.created}, indexed ${r.indexed}, files ${r.files}, fsck ${r.fsck_ok}, exports ${r.export_jsonl.ok} ${r.export_beads.ok})`}`,
    );
}
if (rows.some((r) => !r.ok)) process.exitCode = 1;

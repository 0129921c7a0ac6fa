import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The layer check guards the architecture only if it catches each way of breaking it. Each
// case builds a tiny tree with the project's rules, plants one violation, and runs the same
// script `npm test` runs against it.
const ROOT = resolve(__dirname, '..');
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const BASE: Record<string, string> = {
  'src/lib.ts': "export { a } from './model/a.js';\n",
  'src/model/a.ts': 'export const a = 1;\n',
  'src/git/run.ts': "import { execFile } from 'node:child_process';\nexport const run = () => spawnSync('git', []);\n",
  'src/ops/b.ts': "import { a } from '../model/a.js';\nexport const b = a + 1;\n",
  'src/server/app.ts': "import { b } from '../ops/b.js';\nexport const app = b;\n",
  'src/cli/main.ts': "import { b } from '../ops/b.js';\nprocess.exitCode = b;\n",
  'web/src/main.ts': 'export const page = 1;\n',
  // The reader module is the one place a row may be cast (from node:sqlite's untyped rows).
  'src/index/sqlite.ts': 'export const rows = (s: { all(): unknown[] }) => s.all() as { id: string }[];\n',
};

/** A tiny project with the project's rules and `planted` over BASE. */
function tree(planted: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tack-layers-'));
  roots.push(dir);
  for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json']) copyFileSync(join(ROOT, f), join(dir, f));
  for (const [path, text] of Object.entries({ ...BASE, ...planted })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The script `npm test` runs, over the given trees (each is checked on its own). */
function check(dirs: string[], ...flags: string[]): Promise<{ status: number; stdout: string; out: string }> {
  const script = join(ROOT, 'scripts', 'check-layers.mjs');
  const args = [script, ...dirs.flatMap((d) => ['--root', d]), ...flags];
  return new Promise((done) =>
    execFile(process.execPath, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      done({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, out: stdout + stderr }),
    ),
  );
}

const CASES: [string, Record<string, string>, string][] = [
  ['a side-effect import of a higher layer', { 'src/model/x.ts': "import '../ops/b.js';\n" }, 'model-imports-higher'],
  [
    'a type-only import of a higher layer',
    { 'src/git/x.ts': "import type { b } from '../ops/b.js';\nexport type X = typeof b;\n" },
    'git-imports-higher',
  ],
  [
    'an import() of a higher layer',
    { 'src/store/x.ts': "export const load = () => import('../index/q.js');\n", 'src/index/q.ts': 'export {};\n' },
    'store-imports-higher',
  ],
  [
    'a require of a higher layer',
    { 'src/index/x.ts': "export const m = require('../ops/b.js');\n" },
    'index-imports-higher',
  ],
  [
    'createRequire',
    { 'src/ops/x.ts': "import { createRequire } from 'node:module';\nexport const r = createRequire('/');\n" },
    'module-loader-outside-lazy-builtin',
  ],
  [
    'an import() of a computed name',
    { 'src/ops/x.ts': "const name = '../cli/main.js';\nexport const load = () => import(name);\n" },
    'computed name',
  ],
  [
    'git started through a variable outside src/git',
    {
      'src/ops/x.ts':
        "import { execFile } from 'node:child_process';\nconst GIT = 'git';\nexport const r = () => spawnSync(GIT, []);\n",
    },
    'child-process-outside-allowed',
  ],
  [
    'git started by name outside src/git',
    { 'src/ops/x.ts': "export const r = (s: any) => s.spawnSync('git');\n" },
    'runs git outside src/git',
  ],
  [
    'child_process loaded lazily outside src/git',
    {
      'src/ops/x.ts':
        "declare const lazyBuiltin: (n: string) => unknown;\nexport const c = lazyBuiltin('node:child_process');\n",
    },
    'child_process outside src/git',
  ],
  ['a file at the src/ root', { 'src/stray.ts': 'export const stray = 1;\n' }, 'src/ root'],
  ['process.exitCode outside the CLI entry', { 'src/ops/x.ts': 'process.exitCode = 2;\n' }, 'process.exitCode'],
  [
    'process.exit outside the CLI entry',
    { 'src/server/x.ts': 'export const stop = () => process.exit(1);\n' },
    'process.exit',
  ],
  ['an import of the CLI', { 'src/server/x.ts': "import '../cli/main.js';\n" }, 'imports-cli'],
  [
    'a surface importing another',
    { 'src/mcp/x.ts': "import { app } from '../server/app.js';\nexport const x = app;\n" },
    'surface-imports-surface',
  ],
  [
    'the web UI importing the server code',
    { 'web/src/x.ts': "import '../../src/ops/b.js';\n" },
    'web-imports-outside-web',
  ],
  ['an import that does not resolve', { 'src/ops/x.ts': "import './missing.js';\n" }, 'not-resolvable'],
  [
    'an op calling fetch',
    { 'src/ops/x.ts': "export const f = () => fetch('http://127.0.0.1/');\n" },
    'fetch() in src/ops/',
  ],
  [
    'an op calling globalThis.fetch',
    { 'src/ops/x.ts': "export const f = () => globalThis.fetch('http://127.0.0.1/');\n" },
    'fetch() in src/ops/',
  ],
  ['an op reading argv', { 'src/ops/x.ts': 'export const bin = process.argv[1];\n' }, 'process.argv in src/ops/'],
  [
    'an op importing node:child_process',
    { 'src/ops/x.ts': "import { spawn } from 'node:child_process';\nexport const s = spawn;\n" },
    'child_process in src/ops/',
  ],
  [
    'an op loading child_process with import()',
    { 'src/ops/x.ts': "export const load = () => import('child_process');\n" },
    'child_process in src/ops/',
  ],
  [
    'an op importing node:fs',
    { 'src/ops/x.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" },
    'fs in src/ops/',
  ],
  [
    'an op loading fs/promises with import()',
    { 'src/ops/x.ts': "export const load = () => import('fs/promises');\n" },
    'fs in src/ops/',
  ],
  [
    'an op importing the effects the surfaces provide',
    { 'src/ops/x.ts': "import '../effects/e.js';\n", 'src/effects/e.ts': 'export const e = 1;\n' },
    'ops-imports-higher-layer',
  ],
  [
    'the effects importing a surface',
    { 'src/effects/e.ts': "import { app } from '../server/app.js';\nexport const e = app;\n" },
    'effects-imports-surface',
  ],
  [
    'an `as` on a .get() row',
    {
      'src/index/x.ts':
        "declare const db: { prepare(s: string): { get(): unknown } };\nexport const n = (db.prepare('SELECT 1 AS n').get() as { n: number }).n;\n",
    },
    '`as` on a .get() result',
  ],
  [
    'an `as` on .all() rows over several lines',
    {
      'src/ops/x.ts':
        'declare const st: { all(...p: unknown[]): unknown[] };\nexport const ids = (\n  st\n    .all(1, 2)\n) as Array<{ id: string }>;\n',
    },
    '`as` on a .all() result',
  ],
  [
    'an angle-bracket cast on .iterate() rows',
    {
      'src/server/x.ts':
        'declare const st: { iterate(): Iterable<unknown> };\nexport const it = <Iterable<{ id: string }>>st.iterate();\n',
    },
    '`as` on a .iterate() result',
  ],
];

describe('the layer check', () => {
  it('passes a tree that keeps the rules', async () => {
    const r = await check([tree({})]);
    expect(r.out).toContain('layers respected');
    expect(r.status).toBe(0);
  });

  // Each case is a tree of its own, all checked by one run of the script (one start-up of
  // dependency-cruiser and TypeScript instead of one per case): its findings are per tree.
  const dirs = CASES.map(([, planted]) => tree(planted));
  const run = check(dirs, '--json').then((r) => ({
    status: r.status,
    trees: JSON.parse(r.stdout) as Array<{ root: string; problems: string[] }>,
  }));
  it('fails when any tree breaks a rule, and reports each tree on its own', async () => {
    const { status, trees } = await run;
    expect(status).toBe(1);
    expect(trees.map((t) => t.root)).toEqual(dirs);
  });

  it.each(CASES.map((c, i) => [...c, i] as const))('refuses %s', async (_what, _planted, finding, i) => {
    const { problems } = (await run).trees[i]!;
    expect(problems.join('\n')).toContain(finding);
  });
});

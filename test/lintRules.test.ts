import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempRepo } from './helpers.js';

// `npm run lint` guards the tree only if the project's Biome configuration really refuses
// what it claims to. Each case plants a file at a path of the project's layout, in a copy
// of the configuration, and runs the same check `npm test` runs.
const ROOT = resolve(__dirname, '..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');
const repo = tempRepo('tack-lint-');
afterAll(() => repo.cleanup());
const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
delete config.$schema;
writeFileSync(join(repo.dir, 'biome.json'), JSON.stringify(config));

function check(path: string, text: string): { status: number | null; out: string } {
  const file = join(repo.dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const r = spawnSync(BIOME, ['check', '--diagnostic-level=error', path], { cwd: repo.dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('the lint and format rules npm test enforces', () => {
  it('accept a clean, formatted file', () => {
    expect(check('src/model/clean.ts', "export const clean = 'yes';\n").status).toBe(0);
  });

  it.each([
    ['an explicit any in src/', 'src/model/anyType.ts', 'export const x: any = 1;\n', 'noExplicitAny'],
    [
      'a comma operator in src/',
      'src/ops/comma.ts',
      'export const f = (a: () => void) => (a(), 0);\n',
      'noCommaOperator',
    ],
    ['an unformatted file', 'src/git/format.ts', 'export const x  =  1\n', 'format'],
    [
      'a focused test',
      'test/focused.test.ts',
      "import { it } from 'vitest';\nit.only('x', () => {});\n",
      'noFocusedTests',
    ],
    ['a comparison with NaN', 'scripts/nan.mjs', 'export const bad = (x) => x === Number.NaN;\n', 'useIsNan'],
  ])('refuse %s', (_what, path, text, rule) => {
    const r = check(path, text);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(rule);
  });

  it('allow `any` in tests, where JSON answers are read loosely', () => {
    expect(check('test/loose.test.ts', "export const loose: any = JSON.parse('1');\n").status).toBe(0);
  });
});

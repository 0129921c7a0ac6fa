import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TACK_BIN, tackJson, tempStore, testEnv } from './helpers.js';

// A read on an up-to-date index starts no process and touches no git object: the modules for
// that (scripts/build.mjs loads them on first use) are start-up time every read would pay.
const side = mkdtempSync(join(tmpdir(), 'tack-modules-'));
afterAll(() => rmSync(side, { recursive: true, force: true }));
const recorder = join(side, 'record.cjs');
writeFileSync(
  recorder,
  "process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, [...process.moduleLoadList, ...Object.keys(require.cache)].join('\\n')));\n",
);

/** The built-in modules a command loaded, and the files it required (as `file:PATH`). */
function modulesLoaded(dir: string, args: string[]): string[] {
  const out = join(side, `modules-${args[0]}.txt`);
  const r = spawnSync(process.execPath, ['-r', recorder, TACK_BIN, ...args, '--json'], {
    cwd: dir,
    env: testEnv({ MODULES_OUT: out }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('NativeModule ') || l.startsWith('/'))
    .map((l) => (l.startsWith('/') ? `file:${l}` : l.slice('NativeModule '.length)));
}

describe('start-up of a read', () => {
  it('loads neither child_process, zlib, crypto nor tty (nor yaml) when the index is up to date', () => {
    const s = tempStore();
    try {
      const t = tackJson(s.dir, 'create', 'Parser drops comments');
      tackJson(s.dir, 'list'); // the index is up to date from here
      for (const args of [['list'], ['show', t.id], ['ready'], ['search', 'parser'], ['--version']]) {
        const loaded = modulesLoaded(s.dir, args);
        expect(loaded, args.join(' ')).toContain('fs');
        for (const heavy of ['child_process', 'zlib', 'crypto', 'tty', 'net'])
          expect(loaded, `${args.join(' ')} loaded ${heavy}`).not.toContain(heavy);
        expect(
          loaded.filter((m) => m.endsWith('/yaml.cjs')),
          `${args.join(' ')} loaded yaml`,
        ).toEqual([]);
      }
    } finally {
      s.cleanup();
    }
  });
});

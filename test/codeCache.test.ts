import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TACK_BIN, testEnv } from './helpers.js';

// bin/tack.cjs runs V8 code from its cache file, so where that file lives is a security
// boundary: only a directory the user alone can write is trusted.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tack-codecache-'));
  dirs.push(d);
  return d;
}
function run(env: Record<string, string>, node = process.execPath, args = ['--version']): void {
  const r = spawnSync(node, [TACK_BIN, ...args], { env: testEnv(env), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(args[0] === '--version' ? /^tack \d/ : /\S/);
  expect(r.stderr).toBe('');
}
const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cache')) : []);
const GARBAGE = 'not a code cache\nplanted by someone else';

describe('V8 code cache', () => {
  it('lives in $XDG_CACHE_HOME/tack, created 0700, one file named after the Node version', () => {
    const xdg = temp();
    run({ XDG_CACHE_HOME: xdg });
    const dir = join(xdg, 'tack');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = cacheFiles(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(process.version);
    expect(statSync(join(dir, files[0]!)).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, files[0]!), 'utf8').split('\n')[0]).toContain(process.version);
    // Used, not rewritten, by the next run.
    const before = statSync(join(dir, files[0]!)).mtimeMs;
    run({ XDG_CACHE_HOME: xdg });
    expect(statSync(join(dir, files[0]!)).mtimeMs).toBe(before);
  });

  it("grows once by each new command's code, then is only read", () => {
    const xdg = temp();
    run({ XDG_CACHE_HOME: xdg });
    const dir = join(xdg, 'tack');
    const file = join(dir, cacheFiles(dir)[0]!);
    const header = () => readFileSync(file, 'utf8').split('\n')[0]!;
    const first = readFileSync(file).length;
    expect(header()).toMatch(/ -$/);
    run({ XDG_CACHE_HOME: xdg }, process.execPath, ['help', 'list']);
    expect(header()).toMatch(/ -,help$/);
    // What --version's run had compiled stays: the new cache is the old one plus help's code.
    expect(readFileSync(file).length).toBeGreaterThan(first);
    const before = statSync(file).mtimeMs;
    run({ XDG_CACHE_HOME: xdg }, process.execPath, ['help', 'show']);
    run({ XDG_CACHE_HOME: xdg });
    expect(statSync(file).mtimeMs).toBe(before);
    expect(cacheFiles(dir)).toHaveLength(1);
  });

  it('falls back to ~/.cache/tack when XDG_CACHE_HOME is unset or relative', () => {
    const home = temp();
    run({ HOME: home, XDG_CACHE_HOME: 'relative/path' });
    expect(cacheFiles(join(home, '.cache', 'tack'))).toHaveLength(1);
    expect(existsSync(join(process.cwd(), 'relative'))).toBe(false);
  });

  it('replaces a corrupt cache in its own directory', () => {
    const xdg = temp();
    run({ XDG_CACHE_HOME: xdg });
    const dir = join(xdg, 'tack');
    const file = join(dir, cacheFiles(dir)[0]!);
    const key = readFileSync(file, 'utf8').split('\n')[0];
    writeFileSync(file, `${key}\n${GARBAGE}`);
    run({ XDG_CACHE_HOME: xdg });
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });

  it('neither reads nor writes a cache directory others can write to', () => {
    const xdg = temp();
    run({ XDG_CACHE_HOME: xdg });
    const dir = join(xdg, 'tack');
    const file = join(dir, cacheFiles(dir)[0]!);
    const key = readFileSync(file, 'utf8').split('\n')[0];
    for (const mode of [0o777, 0o770, 0o702]) {
      writeFileSync(file, `${key}\n${GARBAGE}`);
      chmodSync(dir, mode);
      run({ XDG_CACHE_HOME: xdg });
      expect(readFileSync(file, 'utf8'), `mode ${mode.toString(8)}`).toBe(`${key}\n${GARBAGE}`);
    }
  });

  it.skipIf(process.getuid?.() !== 0)('neither reads nor writes a cache directory owned by another user', () => {
    const xdg = temp();
    const dir = join(xdg, 'tack');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    run({ XDG_CACHE_HOME: xdg });
    expect(cacheFiles(dir)).toEqual([]);
  });

  it("keeps one file per Node version, so two versions never rewrite each other's", () => {
    const others = [22, 24]
      .map((v) => join(homedir(), '.cache', 'tack-node', String(v), 'node_modules', 'node', 'bin', 'node'))
      .filter(existsSync);
    const xdg = temp();
    run({ XDG_CACHE_HOME: xdg });
    for (const node of others) run({ XDG_CACHE_HOME: xdg }, node);
    const versions = new Set([
      process.version,
      ...others.map((n) => spawnSync(n, ['--version'], { encoding: 'utf8' }).stdout.trim()),
    ]);
    expect(cacheFiles(join(xdg, 'tack'))).toHaveLength(versions.size);
  });
});

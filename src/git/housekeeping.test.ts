import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { keepObjectsInCheck } from './housekeeping.js';
import { discoverRepo } from './repo.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const git = (cwd: string, ...args: Array<string | { input: string }>) => {
  const last = args[args.length - 1];
  const input = typeof last === 'object' ? last.input : undefined;
  const argv = args.filter((a): a is string => typeof a === 'string');
  return execFileSync('git', argv, { cwd, encoding: 'utf8', input });
};

const SAMPLED = ['17', '5a', 'a3', 'f0'];

/** A repository whose committed blobs land in the fan-out directories Tack samples: `perDir` small ones each, plus `big` incompressible ones. */
function repoWithLoose(perDir: number, opts: { autoGc?: boolean; big?: number } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tack-gc-'));
  dirs.push(dir);
  git(dir, 'init', '-q');
  if (opts.autoGc === false) git(dir, 'config', 'gc.auto', '0');
  const made = new Map(SAMPLED.map((d) => [d, 0]));
  let big = opts.big ?? 0;
  const noise = randomBytes(1024 * 1024);
  for (let i = 0; big > 0 || [...made.values()].some((m) => m < perDir); i++) {
    const body = big > 0 ? Buffer.concat([noise, Buffer.from(String(i))]) : Buffer.from(`file ${i}\n`);
    const d = createHash('sha1')
      .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
      .digest('hex')
      .slice(0, 2);
    if (!made.has(d)) continue;
    if (big > 0) big--;
    else if (made.get(d)! >= perDir) continue;
    else made.set(d, made.get(d)! + 1);
    writeFileSync(join(dir, `f${i}.bin`), body);
  }
  git(dir, 'add', '-A');
  // git commit runs gc --auto itself: not this time, the test decides when.
  git(dir, '-c', 'gc.auto=0', '-c', 'user.name=T', '-c', 'user.email=t@x', 'commit', '-qm', 'many');
  return dir;
}

const looseIn = (dir: string) =>
  SAMPLED.reduce(
    (n, d) => n + (existsSync(join(dir, '.git/objects', d)) ? readdirSync(join(dir, '.git/objects', d)).length : 0),
    0,
  );
const packed = (dir: string) => readdirSync(join(dir, '.git/objects/pack')).some((f) => f.endsWith('.pack'));

async function until(what: string, fn: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('keepObjectsInCheck', () => {
  it("below git's count and the size limit does nothing", () => {
    const dir = repoWithLoose(5);
    expect(keepObjectsInCheck(discoverRepo(dir))).toBe(false);
  });

  it("past git's count, packs the loose objects in the background, at most once in ten seconds", async () => {
    const dir = repoWithLoose(30);
    expect(looseIn(dir)).toBeGreaterThanOrEqual(120); // the commit or its tree may land there too
    const now = Date.now();
    expect(keepObjectsInCheck(discoverRepo(dir), now)).toBe(true);
    expect(keepObjectsInCheck(discoverRepo(dir), now + 1000)).toBe(false); // started a second ago
    await until('the objects to be packed', () => looseIn(dir) === 0);
    expect(packed(dir)).toBe(true);
    expect(git(dir, 'fsck', '--strict')).toBe('');
  }, 60_000);

  it('past the size limit with few objects (big trees), packs them too', async () => {
    const dir = repoWithLoose(0, { big: 1 });
    // The commit and its tree may land in a sampled directory too; only the big blob is known to.
    const bigBlob = git(dir, 'rev-parse', `HEAD:${git(dir, 'ls-files').trim()}`).trim();
    const loosePath = join(dir, '.git/objects', bigBlob.slice(0, 2), bigBlob.slice(2));
    expect(existsSync(loosePath)).toBe(true);
    expect(keepObjectsInCheck(discoverRepo(dir))).toBe(true);
    await until('the big object to be packed', () => !existsSync(loosePath));
    expect(packed(dir)).toBe(true);
  }, 60_000);

  it('honours gc.auto=0: the user turned automatic packing off', () => {
    const dir = repoWithLoose(30, { autoGc: false });
    expect(keepObjectsInCheck(discoverRepo(dir))).toBe(false);
    expect(looseIn(dir)).toBeGreaterThanOrEqual(120); // the commit or its tree may land there too
  });

  it('with many packs merges the small ones, keeping objects no ref reaches yet (a group of writes)', async () => {
    const dir = repoWithLoose(1);
    // 24 small packs, as 24 groups of writes leave them; each holds a blob no ref names.
    const unreferenced: string[] = [];
    for (let i = 0; i < 24; i++) {
      const blob = git(dir, 'hash-object', '-w', '--stdin', { input: `group ${i}\n` }).trim();
      unreferenced.push(blob);
      git(dir, 'pack-objects', '-q', '.git/objects/pack/pack', { input: `${blob}\n` });
      git(dir, 'prune-packed');
    }
    const packs = () => readdirSync(join(dir, '.git/objects/pack')).filter((f) => f.endsWith('.pack')).length;
    expect(packs()).toBeGreaterThanOrEqual(24);
    expect(keepObjectsInCheck(discoverRepo(dir))).toBe(true);
    await until('the small packs to be merged', () => packs() < 5);
    for (const blob of unreferenced) expect(git(dir, 'cat-file', '-p', blob)).toMatch(/^group \d+\n$/);
    expect(git(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  }, 60_000);
});

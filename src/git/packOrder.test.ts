import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverRepo, type Repo } from './repo.js';
import { writePackedBlobs } from './packedBlobs.js';
import { packOrder } from './packOrder.js';

let dir: string;
let repo: Repo;
const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: dir, input, encoding: 'utf8' }).trim();
const packDir = () => join(dir, '.git', 'objects', 'pack');

/** Each object's offset in its pack, as git itself reads the index. */
function gitOffsets(except = ''): Map<string, number> {
  const out = new Map<string, number>();
  for (const idx of readdirSync(packDir()).filter((f) => f.endsWith('.idx'))) {
    if (idx === except) continue;
    const listing = execFileSync('git', ['show-index'], {
      cwd: dir,
      input: execFileSync('cat', [join(packDir(), idx)]),
    });
    for (const line of listing.toString().trim().split('\n')) {
      const [offset, sha] = line.split(' ');
      out.set(sha, Number(offset));
    }
  }
  return out;
}

const texts = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `---\ntitle: ${tag} ${i}\nstatus: todo\n---\n${'body line\n'.repeat(i % 7)}`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tack-packorder-'));
  git(['init', '-q', '-b', 'main']);
  repo = discoverRepo(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('packOrder', () => {
  it("orders ids as their objects lie in the pack, by git's own reading of the index", () => {
    const ids = writePackedBlobs(repo, texts(600, 'packed'));
    const offsets = gitOffsets();
    const shuffled = [...ids].reverse().filter((_, i) => i % 3 !== 1);
    const placed = packOrder(repo, shuffled);
    expect(placed.complete).toBe(true);
    const order = Array.from(placed.order, (i) => shuffled[i]);
    expect(new Set(order)).toEqual(new Set(shuffled));
    const seen = order.map((sha) => offsets.get(sha)!);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('puts loose objects and unknown ids last, in the order given', () => {
    const packed = writePackedBlobs(repo, texts(300, 'packed'));
    const loose = ['one\n', 'two\n'].map((t) => git(['hash-object', '-w', '--stdin'], t));
    const unknown = 'f'.repeat(40);
    const asked = [loose[1], unknown, packed[5], loose[0], packed[2]];
    const order = Array.from(packOrder(repo, asked).order, (i) => asked[i]);
    const offsets = gitOffsets();
    const first = [packed[5], packed[2]].sort((a, b) => offsets.get(a)! - offsets.get(b)!);
    expect(order).toEqual([...first, loose[1], unknown, loose[0]]);
  });

  it('reads the largest packs first, and any pack of a SHA-256 repository', () => {
    rmSync(join(dir, '.git'), { recursive: true, force: true });
    git(['init', '-q', '--object-format=sha256']);
    repo = discoverRepo(dir);
    const small = writePackedBlobs(repo, texts(260, 'small'));
    const large = writePackedBlobs(repo, texts(900, 'large'));
    const offsets = gitOffsets();
    const asked = [small[0], large[0], small[1], large[1]];
    const order = Array.from(packOrder(repo, asked).order, (i) => asked[i]);
    const byOffset = (a: string, b: string) => offsets.get(a)! - offsets.get(b)!;
    expect(order).toEqual([...[large[0], large[1]].sort(byOffset), ...[small[0], small[1]].sort(byOffset)]);
  });

  it('past eight packs the order is not complete: the largest eight are read', () => {
    const ids = Array.from({ length: 9 }, (_, n) => writePackedBlobs(repo, texts(256 + n * 10, `pack ${n}`))[0]);
    const placed = packOrder(repo, ids);
    expect(placed.complete).toBe(false);
    // The smallest pack (the first written) was not read: its blob comes last.
    expect(ids[placed.order[8]]).toBe(ids[0]);
    expect(packOrder(repo, []).complete).toBe(false);
  });

  it('an index too large to read whole is left out (not read): the others still place their objects', () => {
    const ids = writePackedBlobs(repo, texts(300, 'packed'));
    const hugeName = `pack-${'e'.repeat(40)}.idx`;
    const huge = join(packDir(), hugeName);
    writeFileSync(huge, '');
    truncateSync(huge, 49 * 1024 * 1024); // sparse: nothing is written, the size is what counts
    const placed = packOrder(repo, [...ids].reverse());
    expect(placed.complete).toBe(false);
    const offsets = gitOffsets(hugeName);
    const seen = Array.from(placed.order, (i) => offsets.get([...ids].reverse()[i])!);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('a damaged or foreign index changes only the order: every id is still there, nothing throws', () => {
    const ids = writePackedBlobs(repo, texts(300, 'packed'));
    const idx = readdirSync(packDir()).find((f) => f.endsWith('.idx'))!;
    for (const bytes of [
      Buffer.from('not an index'),
      Buffer.concat([Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]), Buffer.alloc(1024, 0xff)]),
      Buffer.concat([Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]), Buffer.alloc(1100, 0x7f)]),
    ]) {
      rmSync(join(packDir(), idx), { force: true });
      writeFileSync(join(packDir(), idx), bytes);
      const placed = packOrder(repo, ids);
      expect(Array.from(placed.order, (i) => ids[i])).toEqual(ids);
      expect(placed.complete).toBe(false);
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MMAP_BYTES, openDb } from './indexDb.js';
import { leanHeap, leanWhileBuilding } from './leanBuild.js';

describe('leanWhileBuilding', () => {
  it('reads the file without a memory map while a build runs, and maps it again after the outermost one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-lean-'));
    const db = openDb(join(dir, 'index.db'));
    const mmap = () => Number(db.pragma('mmap_size', { simple: true }));
    try {
      expect(mmap()).toBe(MMAP_BYTES);
      const outer = leanWhileBuilding(db);
      expect(mmap()).toBe(0);
      const inner = leanWhileBuilding(db); // a rebuild's refresh inside the rebuild
      inner();
      expect(mmap()).toBe(0);
      inner(); // twice is once
      expect(mmap()).toBe(0);
      outer();
      expect(mmap()).toBe(MMAP_BYTES);
      // The next build is lean again: the count went back to zero.
      const again = leanWhileBuilding(db);
      expect(mmap()).toBe(0);
      again();
      expect(mmap()).toBe(MMAP_BYTES);
      // Inside another lean phase (an import's heap), a build still reads unmapped: the
      // import's full build once kept its map, up to 64 MiB more at 100,000 tickets.
      const importing = leanHeap();
      const build = leanWhileBuilding(db);
      expect(mmap()).toBe(0);
      build();
      expect(mmap()).toBe(MMAP_BYTES);
      importing();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

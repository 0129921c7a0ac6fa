import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TACK_BIN, tackJson, tempStore, testEnv, trackCleanups } from './helpers.js';
import { commitToStore } from './storeFiles.js';

/*
 * A 64 MiB ticket blob committed with plain git: its size is read from the object header
 * and the blob is never buffered, so list, show and reindex stay bounded in memory and the
 * problem names the file.
 */

const track = trackCleanups();
const TIME = '/usr/bin/time';

/** Peak RSS of `tack args` in KiB (GNU time's %M) and its stderr. */
function peak(cwd: string, args: string[]): { kib: number; stderr: string } {
  const r = spawnSync(TIME, ['-f', 'PEAK %M', process.execPath, TACK_BIN, ...args], {
    cwd,
    env: testEnv(),
    encoding: 'utf8',
  });
  const m = /PEAK (\d+)\s*$/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return { kib: Number(m![1]), stderr: r.stderr };
}

describe.skipIf(!existsSync(TIME))('a huge ticket blob', () => {
  it('list, show and reindex stay within 40 MiB of a run without it; the problem names the file', () => {
    const repo = tempStore();
    track(repo.cleanup);
    const dir = repo.dir;
    tackJson(dir, 'create', 'normal');
    const base = Math.max(peak(dir, ['list']).kib, peak(dir, ['reindex']).kib);
    const id = 'tk-b1gb1g00';
    const big = Buffer.concat([
      Buffer.from(`---\nid: ${id}\ntitle: big\nstatus: todo\n---\n`),
      Buffer.alloc(64 * 1024 * 1024, 'z'),
    ]);
    commitToStore(dir, { [`tickets/${id}.md`]: big }, 'huge');
    const where = `tickets/${id}.md:1: file is ${big.length} bytes; expected at most 8388608`;
    for (const args of [['list'], ['reindex'], ['show', id], ['list']]) {
      const r = peak(dir, args);
      expect(r.kib - base, `${args.join(' ')}: ${r.kib} KiB vs ${base} KiB`).toBeLessThan(40 * 1024);
      if (args[0] !== 'reindex') expect(r.stderr).toContain(where);
    }
  });
});

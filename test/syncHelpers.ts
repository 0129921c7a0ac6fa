import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, removeTempDir, tack, TACK_BIN, tempRepo } from './helpers.js';

/** A `tack` command on PATH for git's merge driver (`tack merge-file …`), running the built CLI. */
export function tackShim(): { env: Record<string, string>; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tack-shim-'));
  writeFileSync(join(dir, 'tack'), `#!/bin/sh\nexec "${process.execPath}" "${TACK_BIN}" "$@"\n`);
  chmodSync(join(dir, 'tack'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, cleanup: () => removeTempDir(dir) };
}

/**
 * A bare remote holding a fresh Tack store, and a function that clones it (with `tack setup`).
 * With `code`, the remote has the code branch `main` too, and clones check it out.
 */
export function remoteWithStore(
  track: (c: () => void) => void,
  opts: { code?: boolean } = {},
): {
  remote: string;
  first: string;
  clone: () => string;
} {
  const root = mkdtempSync(join(tmpdir(), 'tack-remote-'));
  track(() => removeTempDir(root));
  const remote = join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', remote);
  const a = tempRepo();
  track(a.cleanup);
  git(a.dir, 'remote', 'add', 'origin', remote);
  tack(a.dir, 'init');
  tack(a.dir, 'sync');
  if (opts.code) {
    git(a.dir, 'push', '-q', 'origin', 'main');
    git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/main');
  }
  let n = 0;
  const clone = () => {
    const dir = join(root, `clone-${++n}`);
    git(root, 'clone', '-q', remote, dir);
    git(dir, 'config', 'user.name', 'Test User');
    git(dir, 'config', 'user.email', 'test@example.com');
    tack(dir, 'setup');
    return dir;
  };
  return { remote, first: a.dir, clone };
}

export function ticketText(dir: string, id: string, ref = 'tack'): string {
  return git(dir, 'show', `${ref}:tickets/${id}.md`);
}

export const CONFLICT_MARKERS = /^(<<<<<<<|=======|>>>>>>>)/m;

/** The driver line the built CLI registers: itself by absolute path, then `tack`, then git's line merge. */
export function builtDriver(node = process.execPath, bin = TACK_BIN): string {
  return [
    `n='${node}' b='${bin}';`,
    'if [ -x "$n" ] && [ -f "$b" ]; then exec "$n" "$b" merge-file %O %A %B %P;',
    'elif command -v tack >/dev/null 2>&1; then exec tack merge-file %O %A %B %P;',
    'else exec git merge-file -L ours -L base -L theirs %A %O %B; fi',
  ].join(' ');
}

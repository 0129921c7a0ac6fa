import type { z } from 'zod';
import type { hookChangeShape } from '../model/settingsShapes.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CHAINED_SUFFIX, hookScript, isTackHook } from '../model/hookScript.js';
import { git } from './run.js';
import type { Repo } from './repo.js';

/**
 * Installing and removing Tack's git hooks in the directory git runs hooks from
 * (core.hooksPath when set, else the common git dir's hooks/, shared by all worktrees).
 */

export function hooksDir(repo: Repo): string {
  const out = git(['rev-parse', '--git-path', 'hooks'], { cwd: repo.workTree }).trim();
  return isAbsolute(out) ? out : resolve(repo.workTree, out);
}

export type HookChange = z.infer<ReturnType<typeof hookChangeShape>>;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Write our hook; a hook that is not ours is kept as `<name>.pre-tack` and run by ours. */
export function installHook(dir: string, name: string, node: string, bin: string, stateDir: string): HookChange {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const chainedPath = path + CHAINED_SUFFIX;
  const current = readText(path);
  let action: HookChange['action'] = 'installed';
  if (current !== null && isTackHook(current)) action = 'updated';
  else if (current !== null) {
    // A leftover .pre-tack from an earlier install would be lost: refuse to overwrite it.
    if (existsSync(chainedPath)) return { name, path, action: 'foreign', chained: chainedPath };
    renameSync(path, chainedPath);
  }
  writeFileSync(`${path}.tack-tmp`, hookScript(name, node, bin, stateDir));
  chmodSync(`${path}.tack-tmp`, 0o755);
  renameSync(`${path}.tack-tmp`, path);
  return { name, path, action, chained: existsSync(chainedPath) ? chainedPath : null };
}

/** Remove our hook and put the one it replaced back; a hook that is not ours stays. */
export function uninstallHook(dir: string, name: string): HookChange {
  const path = join(dir, name);
  const chainedPath = path + CHAINED_SUFFIX;
  const current = readText(path);
  if (current === null) return { name, path, action: 'absent', chained: null };
  if (!isTackHook(current)) return { name, path, action: 'foreign', chained: null };
  if (existsSync(chainedPath)) {
    renameSync(chainedPath, path);
    return { name, path, action: 'restored', chained: null };
  }
  rmSync(path);
  return { name, path, action: 'removed', chained: null };
}

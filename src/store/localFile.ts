import { existsSync, readFileSync, realpathSync } from 'node:fs';

/*
 * Files on this machine that are neither the store nor its work tree, named by the user or
 * the running program (`docs add --file`, a workspace path, the Tack script itself).
 */

/** The text of a local file; throws as `readFileSync` does (callers word the error). */
export function readLocalFile(path: string): string {
  return readFileSync(path, 'utf8');
}

export function localPathExists(path: string): boolean {
  return existsSync(path);
}

/** The path with every symlink resolved; null when it does not exist. */
export function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

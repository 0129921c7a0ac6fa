import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from './repo.js';

/**
 * The repository's object format (`git init --object-format=sha256`): which hash names
 * objects, how long ids are, and the all-zero id ("no object") of that length. Every
 * place that hashes, parses or writes an object id asks here, never assumes SHA-1.
 */
export type ObjectFormat = 'sha1' | 'sha256';

const cache = new Map<string, ObjectFormat>();

export function objectFormat(repo: Repo): ObjectFormat {
  let v = cache.get(repo.commonDir);
  if (v === undefined) {
    let text = '';
    try {
      text = readFileSync(join(repo.commonDir, 'config'), 'utf8');
    } catch {
      // no config file: git's default
    }
    v = /^\s*objectformat\s*=\s*"?sha256"?\s*$/im.test(text) ? 'sha256' : 'sha1';
    cache.set(repo.commonDir, v);
  }
  return v;
}

/** Bytes in a raw object id (20 for SHA-1, 32 for SHA-256). */
export function oidBytes(repo: Repo): number {
  return objectFormat(repo) === 'sha256' ? 32 : 20;
}

/** The all-zero id: "does not exist" to update-ref, "remove" to update-index. */
export function zeroOid(repo: Repo): string {
  return '0'.repeat(oidBytes(repo) * 2);
}

/** The id git gives an object of this type and body. */
export function hashObject(format: ObjectFormat, type: string, body: Buffer): string {
  return createHash(format).update(`${type} ${body.length}\0`).update(body).digest('hex');
}

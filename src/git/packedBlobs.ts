import { hashObject, objectFormat } from './objectFormat.js';
import type { Repo } from './repo.js';
import { gitRaw } from './run.js';

/**
 * From this many blobs on, a commit's blobs go into one pack written by one
 * `git fast-import` instead of one loose file each: creating a file costs about half a
 * millisecond (more on a busy disk), so 100,000 loose blobs took most of an import's time,
 * and then as long again to pack.
 */
export const PACKED_BLOBS_FROM = 256;

/**
 * Write blobs into one new pack (`git fast-import`, blobs only: no ref moves, no commit),
 * returning their ids in order. The ids are computed here, as git does, so no marks file
 * is read back; fast-import checks each object it writes and skips those already packed.
 */
export function writePackedBlobs(repo: Repo, contents: ReadonlyArray<string>): string[] {
  const format = objectFormat(repo);
  const ids: string[] = [];
  const parts: Buffer[] = [];
  for (const text of contents) {
    const body = Buffer.from(text, 'utf8');
    ids.push(hashObject(format, 'blob', body));
    parts.push(Buffer.from(`blob\ndata ${body.length}\n`), body, Buffer.from('\n'));
  }
  parts.push(Buffer.from('done\n'));
  // --done: a stream cut short (a crash of ours) writes nothing rather than a partial pack.
  gitRaw(['fast-import', '--quiet', '--done'], { cwd: repo.workTree, input: Buffer.concat(parts) });
  return ids;
}

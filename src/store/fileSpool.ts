import { TackError } from '../model/errors.js';
import { readBlobs } from '../git/objects.js';
import type { FileChange } from '../git/commitWriter.js';
import { BlobPack } from '../git/packedBlobs.js';
import type { Store } from './store.js';

/**
 * The files a large write has finished, written away as they are finished so that none is
 * held until the commit (a close of 34,000 tickets held every one: 1.1 GiB). In branch mode
 * each goes into a pack (BlobPack) and the change names its blob; inline, the text stays in
 * the change, since the write puts it in the checked-out file too.
 */
export class FileSpool {
  private pack: BlobPack | null = null;

  constructor(private readonly store: Store) {}

  /** The change writing `text` at `path` (store-relative). */
  put(path: string, text: string): FileChange {
    if (this.store.mode !== 'branch') return { path, content: text };
    this.pack ??= new BlobPack(this.store.repo);
    return { path, blob: this.pack.add(text) };
  }

  /**
   * The texts of changes put here, in order (null: a deletion), for a ticket edited again
   * later in the same write: what is packed so far is handed to git first, to be read back.
   */
  texts(changes: readonly FileChange[]): Array<string | null> {
    const blobs = changes.flatMap((c) => (c.blob === undefined ? [] : [c.blob]));
    if (blobs.length) this.finish();
    const read = readBlobs(this.store.repo, blobs);
    return changes.map((c) => {
      if (c.blob === undefined) return c.content;
      const body = read.get(c.blob);
      if (!body) throw new TackError('internal', `${c.path}: blob ${c.blob} was packed and git does not have it`);
      return body.toString('utf8');
    });
  }

  /** Hand what was put to git (one `fast-import`), before a commit names it. */
  finish(): void {
    const pack = this.pack;
    this.pack = null;
    pack?.finish();
  }

  /** Drop what was put and not yet handed to git (the write failed, or is planned again). */
  abandon(): void {
    this.pack?.abandon();
    this.pack = null;
  }
}

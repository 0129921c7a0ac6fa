import type { FileChange } from '../git/commitWriter.js';
import { FileSpool } from '../store/fileSpool.js';
import type { Store } from '../store/store.js';

/** A ticket finished before the commit (TicketEditor.each): what it writes and what later checks need. */
export interface Sealed {
  /** Its file changes, a written blob packed already (a branch-mode store); none when unchanged. */
  changes: FileChange[];
  /** It is written or deleted (a Tack-Ticket trailer). */
  changed: boolean;
  /** Where it points as written ([kind, target], parent included): the cycle check and a later delete's. */
  links: Array<[string, string]>;
}

/**
 * The tickets a bulk edit has sealed, their files written away as they came (FileSpool):
 * what is kept of each is one string of its changes and links (JSON), not its file, nor an
 * object per change and link (~470 bytes a ticket as objects, most of what a close of 34,000
 * tickets kept alive by its last batch; ~150 as a string).
 */
export class SealedTickets {
  private readonly byId = new Map<string, string>();
  private spool: FileSpool | null = null;

  constructor(private readonly store: Store) {}

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Sealed | undefined {
    const kept = this.byId.get(id);
    return kept === undefined ? undefined : (JSON.parse(kept) as Sealed);
  }

  add(id: string, sealed: Sealed): void {
    this.byId.set(id, JSON.stringify(sealed));
  }

  /** The change writing `text` at `path`, written away now. */
  put(path: string, text: string): FileChange {
    this.spool ??= new FileSpool(this.store);
    return this.spool.put(path, text);
  }

  /** Take these tickets back (edited again): the text each was sealed with, null when it wrote none. */
  take(ids: readonly string[]): Map<string, string | null> {
    const out = new Map<string, string | null>();
    const sealed = ids.filter((id) => this.byId.has(id));
    if (sealed.length === 0) return out;
    const written = sealed.map((id) => this.get(id)!.changes.find((c) => c.content !== null) ?? null);
    const texts = this.spool ? this.spool.texts(written.filter((c) => c !== null)) : [];
    let n = 0;
    sealed.forEach((id, i) => {
      out.set(id, written[i] ? texts[n++] : null);
      this.byId.delete(id);
    });
    return out;
  }

  /** Hand the written files to git, before the commit names them. */
  finish(): void {
    this.spool?.finish();
  }

  /** Drop what was written and no commit will name (the write failed). */
  discard(): void {
    this.spool?.abandon();
  }
}

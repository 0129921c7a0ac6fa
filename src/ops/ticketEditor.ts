import { TackError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { checkNewOneLine, oneLineValues } from '../model/oneLine.js';
import { layoutOf, type Schema } from '../model/schema.js';
import { ticketIdFromPath, ticketPath, ticketPaths, type TicketDir } from '../model/ticketPath.js';
import { assertValid, type Ticket } from '../model/ticket.js';
import {
  newTicketFile,
  parseTicketFile,
  serializeTicketFile,
  setField,
  ticketFromFile,
  type TicketFile,
} from '../model/ticketCodec.js';
import type { Index } from '../index/indexDb.js';
import { idExists } from '../index/ticketIds.js';
import { findTicketText, readStoreFilesAt, readTicketFile } from '../store/storeReader.js';
import { batches } from '../model/batches.js';
import type { ChangeSet } from '../store/storeWriter.js';
import type { Store } from '../store/store.js';
import type { FileChange } from '../git/commitWriter.js';
import { checkCycles } from './editCycles.js';
import { SealedTickets, type Sealed } from './sealedTickets.js';
import { checkTargets, expandReferences, linksOf } from './editReferences.js';

/**
 * Tickets whose files one git process reads ahead (a few MB of text), and that a bulk edit
 * holds at a time (each, seal).
 */
const EDIT_BATCH = 2_000;

export interface EditorOptions {
  /** Tickets a bulk edit holds at a time (tests make it small). */
  batch?: number;
  /** Checks on tickets about to be sealed (the gates), as `mutate` runs them on the rest after the edit. */
  beforeSeal?: (ids: readonly string[]) => void;
}

/**
 * Edits to ticket files within one operation, computed against one head. Every touched
 * ticket gets `updated`, is validated against the schema, and the relation graph is
 * checked for cycles before anything is committed. A bulk edit (`each`) finishes its
 * tickets a batch at a time instead, writing their blobs as it goes (sealed: their files
 * let go of, null here), so it holds one batch of files however many it edits.
 */
export class TicketEditor {
  private files = new Map<string, TicketFile | null>();
  private readonly sealed: SealedTickets;
  private readonly batch: number;
  private created = new Set<string>();
  private deleted = new Set<string>();
  /** Where each loaded ticket's file is now (store-relative): archived ones are edited where they are. */
  private paths = new Map<string, string>();
  /** Where a replaced file must go instead of where it is (see replace). */
  private targets = new Map<string, string>();
  /** Each loaded file as it was, to leave out edits that change nothing. */
  private originals = new Map<string, string>();
  /** One-line values as loaded: only a value this edit adds must pass the one-line check. */
  private before = new Map<string, Array<[string, string]>>();

  constructor(
    readonly store: Store,
    readonly schema: Schema,
    readonly head: string | null,
    readonly index: Index,
    readonly now: string,
    private readonly opts: EditorOptions = {},
  ) {
    this.batch = opts.batch ?? EDIT_BATCH;
    this.sealed = new SealedTickets(store);
  }

  /** The ticket's file as of the head (inline mode: as on disk). */
  load(id: string): TicketFile {
    const have = this.files.get(id);
    if (have) return have;
    if (this.sealed.has(id)) {
      this.readHeads([id]);
      return this.files.get(id)!;
    }
    const rev = this.store.mode === 'inline' ? null : this.head;
    const dir = this.dirOf(id);
    const loaded =
      this.head === null && this.store.mode !== 'inline'
        ? null
        : readTicketFile(this.store, rev, id, dir, layoutOf(this.schema));
    if (!loaded) throw new TackError('not_found', `no ticket with id "${id}" at ${this.store.ref}`, { id });
    return this.adopt(id, loaded.rel, loaded.file);
  }

  private adopt(id: string, rel: string, file: TicketFile): TicketFile {
    this.paths.set(id, rel);
    this.files.set(id, file);
    this.originals.set(id, serializeTicketFile(file));
    this.before.set(id, oneLineValues(this.schema, ticketFromFile(this.schema, file)));
    return file;
  }

  /**
   * Read ahead the files of the tickets a bulk edit is about to load (`close` of 34,000 ids
   * started a git process for each), a batch to a git process. What is not found here is
   * left to `load`, which says so.
   */
  preload(ids: readonly string[]): void {
    if (this.store.mode === 'inline' || this.head === null) return;
    const todo = [...new Set(ids)].filter((id) => !this.files.get(id) && !this.created.has(id));
    if (todo.length < 2) return;
    for (const part of batches(todo, this.batch)) this.readHeads(part);
  }

  /** Load these tickets as of the head, in one git process; a sealed one then as it was sealed. */
  private readHeads(ids: readonly string[]): void {
    const texts = this.sealed.take(ids);
    const heads = ids.filter((id) => !this.created.has(id));
    if (this.store.mode === 'inline' || this.head === null || heads.length < 2) {
      for (const id of heads) if (texts.has(id)) this.load(id);
    } else {
      const layout = layoutOf(this.schema);
      const places = new Map(heads.map((id) => [id, ticketPaths(id, layout, this.dirOf(id))]));
      const found = readStoreFilesAt(this.store, this.head, [...places.values()].flat());
      for (const [id, rels] of places) {
        const rel = rels.find((r) => found.has(r));
        if (rel) this.adopt(id, rel, parseTicketFile(found.get(rel)!, `${this.store.prefix}${rel}`));
      }
    }
    for (const [id, text] of texts) {
      const rel = this.created.has(id) ? ticketPath(id, layoutOf(this.schema)) : this.currentPath(id);
      if (text !== null) this.files.set(id, parseTicketFile(text, `${this.store.prefix}${rel}`));
    }
  }

  /**
   * Apply `edit` to each of `ids`; past one batch, a batch at a time, each sealed before the
   * next is read, so memory holds one batch of tickets (a close of 34,000 held them all: 1.1 GiB).
   */
  each(ids: readonly string[], edit: (id: string) => void): void {
    if (ids.length <= this.batch) {
      this.preload(ids);
      for (const id of ids) edit(id);
      return;
    }
    for (const part of batches(ids, this.batch)) {
      this.preload(part);
      for (const id of part) edit(id);
      this.seal(part);
    }
  }

  /**
   * Finish these tickets now, as `finish` would (checked, `updated` set, blob written), and
   * let go of their files; one edited again later is read back (readHeads). A ticket created
   * and deleted here stays held: it has no version to read back.
   */
  private seal(ids: readonly string[]): void {
    const held = [...new Set(ids)].filter(
      (id) => this.files.get(id) && !(this.created.has(id) && this.deleted.has(id)),
    );
    if (held.length === 0) return;
    this.opts.beforeSeal?.(held);
    for (const id of held) {
      this.sealed.add(
        id,
        this.settle(id, this.files.get(id)!, (path, text) => this.sealed.put(path, text)),
      );
      this.files.set(id, null);
      this.originals.delete(id);
      this.before.delete(id);
    }
  }

  /** Tickets edited here whose files are held (not sealed). */
  heldIds(): string[] {
    return [...this.files].filter(([, f]) => f !== null).map(([id]) => id);
  }

  /** Drop what sealing wrote and no commit will name (the write failed). */
  discard(): void {
    this.sealed.discard();
  }

  private dirOf(id: string): TicketDir {
    return this.index.db.prepare('SELECT 1 FROM tickets WHERE id = ? AND archived = 1').get(id) ? 'archive' : 'tickets';
  }

  /**
   * Where the file of a ticket replaced without loading (edit) is now: as indexed (a broken
   * file has a problem row, not a ticket row), else the schema's layout.
   */
  private currentPath(id: string): string {
    const known = this.paths.get(id);
    if (known) return known;
    const row = this.index.db.prepare<{ path: string }>('SELECT path FROM tickets WHERE id = ?').get(id);
    const rel = row?.path ?? this.foundPath(id);
    return rel ?? ticketPath(id, layoutOf(this.schema));
  }

  private foundPath(id: string): string | null {
    const rev = this.store.mode === 'inline' ? null : this.head;
    if (this.head === null && this.store.mode !== 'inline') return null;
    return findTicketText(this.store, rev, id, this.dirOf(id), layoutOf(this.schema))?.rel ?? null;
  }

  ticket(id: string): Ticket {
    return ticketFromFile(this.schema, this.load(id));
  }

  /** The ticket as of the head, before this edit; null for one created here. */
  original(id: string): Ticket | null {
    if (this.created.has(id)) return null;
    const text = this.originals.get(id);
    if (text === undefined) {
      // Replaced without loading (edit) or not touched: read the head's version apart.
      const rev = this.store.mode === 'inline' ? null : this.head;
      const dir = this.dirOf(id);
      const loaded =
        this.head === null && this.store.mode !== 'inline'
          ? null
          : readTicketFile(this.store, rev, id, dir, layoutOf(this.schema));
      return loaded ? ticketFromFile(this.schema, loaded.file) : null;
    }
    return ticketFromFile(this.schema, parseTicketFile(text, `${id}.md`));
  }

  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  exists(id: string): boolean {
    return this.files.has(id) || idExists(this.index.db, id);
  }

  create(fields: Array<[string, unknown]>, body: string): string {
    const id = newId(this.schema.idPrefix, (c) => this.exists(c));
    const file = newTicketFile([['id', id], ...fields], body);
    this.files.set(id, file);
    this.created.add(id);
    return id;
  }

  /**
   * Replace a ticket's whole file (edit), without reading the old one: it may not parse.
   * `target`: where the file goes (restore: into tickets/), its current one removed.
   */
  replace(id: string, file: TicketFile, target?: string): void {
    if (this.sealed.has(id)) this.readHeads([id]);
    this.files.set(id, file);
    if (target) this.targets.set(id, target);
  }

  set(id: string, key: string, value: unknown): void {
    setField(this.load(id), key, value);
  }

  remove(id: string): void {
    this.load(id);
    this.deleted.add(id);
  }

  touchedIds(): string[] {
    return [...this.files.keys()];
  }

  createdIds(): string[] {
    return [...this.created];
  }

  private targetPath(path: string, id: string): string {
    const loc = ticketIdFromPath(path);
    return loc ? ticketPath(id, layoutOf(this.schema), loc.dir) : path;
  }

  /** Validate every touched ticket and turn the edits into one commit's worth of changes. */
  finish(subject: string, op: string): ChangeSet {
    const changes: ChangeSet['changes'] = [];
    const changed = new Set<string>();
    for (const [id, file] of this.files) {
      const s = file ? this.settle(id, file, (path, content) => ({ path, content })) : this.sealed.get(id)!;
      // Sealed before a later part of the edit deleted what it points at.
      if (!file && s.changed && this.deleted.size) checkTargets(this, id, s.links, (x) => this.deleted.has(x));
      changes.push(...s.changes);
      if (s.changed) changed.add(id);
    }
    checkCycles({
      schema: this.schema,
      index: this.index,
      touched: [...this.files.keys()],
      isDeleted: (id) => this.deleted.has(id),
      outgoing: (id, kind) => this.outgoing(id, kind),
    });
    this.sealed.finish();
    const ids = [...this.files.keys()].filter((id) => changed.has(id));
    return {
      changes,
      subject,
      trailers: [['Tack-Op', op], ...ids.map((id) => ['Tack-Ticket', id] as [string, string])],
    };
  }

  /**
   * One touched ticket's part of the commit: checked, `updated` set, its file changes (the
   * text through `put`). Setting what is already there (a label twice, the same status) is
   * no change: no `updated` bump, no file, and with nothing else to write, no commit.
   */
  private settle(id: string, file: TicketFile, put: (path: string, text: string) => FileChange): Sealed {
    const created = this.created.has(id);
    const path = created ? ticketPath(id, layoutOf(this.schema)) : this.currentPath(id);
    if (this.deleted.has(id)) return { changes: [{ path, content: null }], changed: true, links: [] };
    // A file still in the other layout moves to the schema's on its next write (one commit).
    const target = created ? path : (this.targets.get(id) ?? this.targetPath(path, id));
    if (!created && serializeTicketFile(file) === this.originals.get(id))
      return { changes: [], changed: false, links: linksOf(ticketFromFile(this.schema, file)) };
    if (!created) setField(file, 'updated', this.now);
    expandReferences(this, file);
    const t = ticketFromFile(this.schema, file);
    checkNewOneLine(oneLineValues(this.schema, t), this.before.get(id));
    assertValid(this.schema, t, id);
    const links = linksOf(t);
    checkTargets(this, id, links, (x) => this.deleted.has(x));
    const changes: FileChange[] = target === path ? [] : [{ path, content: null }];
    changes.push(put(target, serializeTicketFile(file)));
    return { changes, changed: true, links };
  }

  private outgoing(id: string, kind: string): string[] {
    const links = this.sealed.get(id)?.links ?? linksOf(this.ticket(id));
    return links.filter(([k]) => k === kind).map(([, x]) => x);
  }
}

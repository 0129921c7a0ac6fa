import { isCrossRef } from '../model/crossRef.js';
import { TackError } from '../model/errors.js';
import { cycleEnds, cycleText, findCycle } from '../model/graph.js';
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
import { idExists, resolveId } from '../index/ticketIds.js';
import { findTicketText, readStoreFilesAt, readTicketFile } from '../store/storeReader.js';
import { batches } from '../model/batches.js';
import type { ChangeSet } from '../store/storeWriter.js';
import type { Store } from '../store/store.js';

/** Tickets whose files one git process reads ahead (a few MB of text). */
const PRELOAD_BATCH = 2_000;

/**
 * Edits to ticket files within one operation, computed against one head. Every touched
 * ticket gets `updated`, is validated against the schema, and the relation graph is
 * checked for cycles before anything is committed.
 */
export class TicketEditor {
  private files = new Map<string, TicketFile>();
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
  ) {}

  /** The ticket's file as of the head (inline mode: as on disk). */
  load(id: string): TicketFile {
    const have = this.files.get(id);
    if (have) return have;
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
   * started a git process for each), PRELOAD_BATCH to a git process. What is not found here
   * is left to `load`, which says so.
   */
  preload(ids: readonly string[]): void {
    if (this.store.mode === 'inline' || this.head === null) return;
    const todo = [...new Set(ids)].filter((id) => !this.files.has(id) && !this.created.has(id));
    if (todo.length < 2) return;
    const layout = layoutOf(this.schema);
    for (const part of batches(todo, PRELOAD_BATCH)) {
      const places = new Map(part.map((id) => [id, ticketPaths(id, layout, this.dirOf(id))]));
      const texts = readStoreFilesAt(this.store, this.head, [...places.values()].flat());
      for (const [id, rels] of places) {
        const rel = rels.find((r) => texts.has(r));
        if (rel) this.adopt(id, rel, parseTicketFile(texts.get(rel)!, `${this.store.prefix}${rel}`));
      }
    }
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

  /** The full id of an existing ticket for `x`, accepting a unique prefix (hand-written references). */
  private fullId(x: string): string | null {
    if (this.exists(x)) return x;
    try {
      return resolveId(this.index.db, x);
    } catch {
      return null;
    }
  }

  /** Hand-written prefixes (`blocks: [tk-3fa9]`) in a ticket being written become full ids. */
  private expandReferences(file: TicketFile): void {
    const t = ticketFromFile(this.schema, file);
    if (t.parent && !this.exists(t.parent)) {
      const full = this.fullId(t.parent);
      if (full) setField(file, 'parent', full);
    }
    for (const [kind, ids] of Object.entries(t.relations)) {
      const full = ids.map((x) => (this.exists(x) ? x : (this.fullId(x) ?? x)));
      if (full.some((x, i) => x !== ids[i])) setField(file, kind, full);
    }
  }

  private checkTargets(t: Ticket): void {
    const targets: Array<[string, string]> = [];
    if (t.parent) targets.push(['parent', t.parent]);
    for (const [kind, ids] of Object.entries(t.relations)) for (const x of ids) targets.push([kind, x]);
    for (const [kind, x] of targets) {
      // Another store's ticket (`planning:tk-3fa9`) is checked by the workspace, not here.
      if (isCrossRef(x)) continue;
      if (!this.exists(x) || this.deleted.has(x)) {
        throw new TackError(
          'invalid_input',
          `ticket ${t.id}: ${kind} points at "${x}", which does not exist; expected an existing ticket id`,
          { id: t.id, field: kind, received: x },
        );
      }
    }
  }

  private outgoing(id: string, kind: string): string[] {
    const t = this.ticket(id);
    return kind === 'parent' ? (t.parent ? [t.parent] : []) : (t.relations[kind] ?? []);
  }

  private addsEdge(kind: string): boolean {
    const has =
      kind === 'parent'
        ? this.index.db.prepare('SELECT 1 FROM tickets WHERE id = ? AND parent = ?')
        : this.index.db.prepare('SELECT 1 FROM relations WHERE src = ? AND dst = ? AND kind = ?');
    for (const id of this.files.keys()) {
      if (this.deleted.has(id)) continue;
      for (const dst of this.outgoing(id, kind)) {
        if ((kind === 'parent' ? has.get(id, dst) : has.get(id, dst, kind)) === undefined) return true;
      }
    }
    return false;
  }

  /** Refuse changes that would make `blocks` or `parent` circular. */
  private checkCycles(): void {
    const kinds = ['parent', ...this.schema.relations.filter((r) => r.acyclic).map((r) => r.name)];
    for (const kind of kinds) {
      // Only an edge the index does not have yet can close a cycle: most edits add none.
      if (!this.addsEdge(kind)) continue;
      const edges = new Map<string, string[]>();
      const rows =
        kind === 'parent'
          ? this.index.db
              .prepare<{ src: string; dst: string }>(
                'SELECT id AS src, parent AS dst FROM tickets WHERE parent IS NOT NULL',
              )
              .all()
          : this.index.db
              .prepare<{
                src: string;
                dst: string;
              }>('SELECT src, dst FROM relations WHERE kind = ?')
              .all(kind);
      for (const r of rows)
        if (!this.files.has(r.src)) (edges.get(r.src) ?? edges.set(r.src, []).get(r.src)!).push(r.dst);
      for (const id of this.files.keys()) if (!this.deleted.has(id)) edges.set(id, this.outgoing(id, kind));
      const cycle = findCycle(edges, [...this.files.keys()]);
      if (cycle) {
        const shown = cycleText(cycle, kind === 'parent' ? ' → parent → ' : ` ${kind} `);
        throw new TackError('cycle', `refused: this change would make a cycle in "${kind}": ${shown}`, {
          kind,
          cycle: cycleEnds(cycle),
          cycle_length: cycle.length,
        });
      }
    }
  }

  private targetPath(path: string, id: string): string {
    const loc = ticketIdFromPath(path);
    return loc ? ticketPath(id, layoutOf(this.schema), loc.dir) : path;
  }

  /** Validate every touched ticket and turn the edits into one commit's worth of changes. */
  finish(subject: string, op: string): ChangeSet {
    const changes: ChangeSet['changes'] = [];
    const changed: string[] = [];
    for (const [id, file] of this.files) {
      const path = this.created.has(id) ? ticketPath(id, layoutOf(this.schema)) : this.currentPath(id);
      if (this.deleted.has(id)) {
        changes.push({ path, content: null });
        continue;
      }
      // A file still in the other layout moves to the schema's on its next write (one commit).
      const target = this.created.has(id) ? path : (this.targets.get(id) ?? this.targetPath(path, id));
      // Setting what is already there (a label twice, the same status) is no change: no
      // `updated` bump, no file, and with nothing else to write, no commit.
      if (!this.created.has(id) && serializeTicketFile(file) === this.originals.get(id)) continue;
      if (!this.created.has(id)) setField(file, 'updated', this.now);
      this.expandReferences(file);
      const t = ticketFromFile(this.schema, file);
      checkNewOneLine(oneLineValues(this.schema, t), this.before.get(id));
      assertValid(this.schema, t, id);
      this.checkTargets(t);
      if (target !== path) changes.push({ path, content: null });
      changes.push({ path: target, content: serializeTicketFile(file) });
      changed.push(id);
    }
    this.checkCycles();
    const ids = [...this.files.keys()].filter((id) => this.deleted.has(id) || changed.includes(id));
    return {
      changes,
      subject,
      trailers: [['Tack-Op', op], ...ids.map((id) => ['Tack-Ticket', id] as [string, string])],
    };
  }
}

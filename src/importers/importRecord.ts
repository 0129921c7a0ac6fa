import type { Comment } from '../model/comments.js';
import type { Category } from '../model/schema.js';

/**
 * One ticket as a source describes it, before it has a Tack id. Importers turn their
 * format into these; the engine (importPlan.ts) matches them to existing tickets by
 * alias, writes the changed ones and the schema additions they need in one commit.
 */
export interface ImportRecord {
  /** The source's own id: kept in `aliases`, how a re-import finds the ticket again. */
  key: string;
  /** Front-matter fields the source sets (core fields and extra keys such as `beads: {...}`). */
  fields: Record<string, unknown>;
  body: string;
  /** Comments with stable ids (derived from the source), so a re-import adds none twice. */
  comments: Comment[];
  /** Source key (or Tack id / alias already in the store) of the parent. */
  parent?: string;
  /** Forward edges stored in this ticket: relation kind → source keys. */
  relations: Record<string, string[]>;
  /** New tickets go to archive/ (the source had them archived); existing ones stay where they are. */
  archived?: boolean;
  /**
   * For formats that hold a body only in a form of their own (a task list): true when the
   * ticket's current body already says what the record says, so it is kept as it is.
   */
  keepsBody?: (current: string) => boolean;
  /**
   * Called when `parent` names neither a record of the source nor a ticket of the store:
   * the source keeps it its own way and may name another parent instead.
   */
  unresolvedParent?: () => string | undefined;
  /** The key is a Tack id (Tack's own export): a new ticket keeps it when it is free. */
  keepId?: boolean;
  /** Aliases the source already knows for the ticket (kept besides the key). */
  aliases?: string[];
  /**
   * The extra key that marks this source's tickets (`backlog`): a record whose key no ticket
   * knows may be one the source has renumbered (Backlog.md's task-N → BACK-N), found by
   * content: the one ticket of the source with the same title and creation time that no
   * other record claims. It keeps its old alias and gets the new one.
   */
  sameContent?: string;
  /** A field holding only the source's key (`markdown: {key}`): left out when the key is the ticket's own id. */
  keyField?: string;
}

/** A store doc written by the import (docs/…), verbatim. */
export interface ImportDoc {
  path: string;
  content: string;
}

/** What the schema must offer for the records (added in the import commit when missing). */
export interface SchemaNeeds {
  types: string[];
  states: Array<{ name: string; category: Category }>;
  priorities: string[];
  relations: Array<{ name: string; inverse: string; acyclic?: boolean }>;
  /** Projects (milestones) tickets name in `project`. */
  projects: Array<{ key: string; name: string; description?: string }>;
}

export interface Skipped {
  key: string;
  reason: string;
}

/**
 * The records of a source, as often as they are iterated: an array, or records made again
 * from the source file each time (a source too large to hold, see beadsParse.ts).
 */
export interface RecordList extends Iterable<ImportRecord> {
  readonly length: number;
  /** Drop what the list keeps for making its records (made again if it is iterated later). */
  release?(): void;
}

/** A parsed source: the records plus what the parser had to note or leave out. */
export interface ImportSource {
  kind: string;
  records: RecordList;
  docs?: ImportDoc[];
  needs: SchemaNeeds;
  /**
   * Front-matter keys this importer owns: set from the source on every import, removed
   * when the source no longer has them. Other keys (added by hand in Tack) are kept.
   */
  managedKeys: string[];
  /**
   * The extra key every ticket of this source carries (`beads`, `backlog`, …): tickets with
   * it that the source no longer holds are closed on import (goneTickets.ts). Sources that
   * may be a part of a whole (a task list, a Tack export) leave it out.
   */
  ownKey?: string;
  warnings: string[];
  skipped: Skipped[];
}

export function emptyNeeds(): SchemaNeeds {
  return { types: [], states: [], priorities: [], relations: [], projects: [] };
}

/** A source whose records are all in memory (what most importers build). */
export type ListedSource = ImportSource & { records: ImportRecord[] };

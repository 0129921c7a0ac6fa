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

/** A parsed source: the records plus what the parser had to note or leave out. */
export interface ImportSource {
  kind: string;
  records: ImportRecord[];
  docs?: ImportDoc[];
  needs: SchemaNeeds;
  /**
   * Front-matter keys this importer owns: set from the source on every import, removed
   * when the source no longer has them. Other keys (added by hand in Tack) are kept.
   */
  managedKeys: string[];
  warnings: string[];
  skipped: Skipped[];
}

export function emptyNeeds(): SchemaNeeds {
  return { types: [], states: [], priorities: [], relations: [], projects: [] };
}

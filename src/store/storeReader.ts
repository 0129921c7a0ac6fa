import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { parseYamlFile } from '../model/boundedYaml.js';
import { parseSchema, type Schema } from '../model/schema.js';
import { parseTicketFile, type TicketFile } from '../model/ticketCodec.js';
import { ticketPaths, type TicketDir, type TicketLayout } from '../model/ticketPath.js';
import { prefetchFilesAt, readFileAt, readFilesAt } from '../git/objects.js';
import { schemaPath, type Store } from './store.js';

/**
 * Read a store file. `rev` null means "as the user sees it now": the checked-out files
 * in inline mode (uncommitted edits included), the ref's head in branch mode.
 */
export function readStoreFile(store: Store, rev: string | null, rel: string): string | null {
  if (rev === null && store.filesDir) {
    const f = join(store.filesDir, rel);
    // A directory where the file would be is no file (a write there is refused as a collision).
    return existsSync(f) && statSync(f).isFile() ? readFileSync(f, 'utf8') : null;
  }
  const commit = rev ?? store.ref;
  return readFileAt(store.repo, commit, `${store.prefix}${rel}`);
}

/** Many store files at commit `rev` (store path → text), in one git process; missing ones left out. */
export function readStoreFilesAt(store: Store, rev: string, rels: readonly string[]): Map<string, string> {
  const texts = readFilesAt(
    store.repo,
    rev,
    rels.map((rel) => `${store.prefix}${rel}`),
  );
  return new Map([...texts].map(([path, text]) => [path.slice(store.prefix.length), text]));
}

/** Read ahead, from one live git process, the store files at `rev` that readStoreFile will be asked for. */
export function prefetchStoreFiles(store: Store, rev: string, rels: readonly string[]): Promise<void> {
  return prefetchFilesAt(
    store.repo,
    rev,
    rels.map((rel) => `${store.prefix}${rel}`),
  );
}

export function parseSchemaText(text: string, path = 'schema.yaml'): Schema {
  return parseSchema(parseYamlFile(text, path, 'invalid_schema'));
}

export function loadSchema(store: Store, rev: string | null): Schema {
  const text = readStoreFile(store, rev, 'schema.yaml');
  if (text === null) {
    throw new TackError(
      'no_store',
      `the store has no ${schemaPath(store)} at ${rev ?? store.ref}; expected one (run \`tack init\`)`,
    );
  }
  return parseSchemaText(text, schemaPath(store));
}

export interface LoadedTicket {
  file: TicketFile;
  text: string;
  /** Path in the tree ('.tack/tickets/x.md'). */
  path: string;
  /** Path inside the store ('tickets/3f/x.md'): where the file was found. */
  rel: string;
}

/**
 * A ticket file's text and where it was found: in `layout`'s place first, then the other
 * layout's (a store mid-migration, a branch still in the old layout reads the same).
 */
export function findTicketText(
  store: Store,
  rev: string | null,
  id: string,
  dir: TicketDir = 'tickets',
  layout: TicketLayout = 'flat',
): { text: string; rel: string } | null {
  for (const rel of ticketPaths(id, layout, dir)) {
    const text = readStoreFile(store, rev, rel);
    if (text !== null) return { text, rel };
  }
  return null;
}

/** A ticket's file; `dir` 'archive' reads an archived one (see `tack archive`). */
export function readTicketFile(
  store: Store,
  rev: string | null,
  id: string,
  dir: TicketDir = 'tickets',
  layout: TicketLayout = 'flat',
): LoadedTicket | null {
  const found = findTicketText(store, rev, id, dir, layout);
  if (found === null) return null;
  const path = `${store.prefix}${found.rel}`;
  return { file: parseTicketFile(found.text, path), text: found.text, path, rel: found.rel };
}

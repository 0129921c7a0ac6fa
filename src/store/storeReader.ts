import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { parseYamlFile } from '../model/boundedYaml.js';
import { parseSchema, type Schema } from '../model/schema.js';
import { parseTicketFile, type TicketFile } from '../model/ticketCodec.js';
import { readFileAt } from '../git/objects.js';
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
  path: string;
}

/** A ticket's file; `dir` 'archive' reads an archived one (see `tack archive`). */
export function readTicketFile(
  store: Store,
  rev: string | null,
  id: string,
  dir: 'tickets' | 'archive' = 'tickets',
): LoadedTicket | null {
  const text = readStoreFile(store, rev, `${dir}/${id}.md`);
  if (text === null) return null;
  const path = `${store.prefix}${dir}/${id}.md`;
  return { file: parseTicketFile(text, path), text, path };
}

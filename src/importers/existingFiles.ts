import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ticketPaths, type TicketLayout } from '../model/ticketPath.js';
import type { Store } from '../store/store.js';
import { readStoreFilesAt } from '../store/storeReader.js';

/**
 * The current text of many store files at once (`tickets/x.md` → text): a few git
 * processes for the whole import instead of one per ticket (readStoreFilesAt). Inline mode
 * reads the checked-out files, as every other write does.
 */
export function readStoreFiles(store: Store, head: string | null, paths: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  if (store.mode === 'inline' || head === null) {
    if (!store.filesDir) return out;
    for (const p of paths) {
      const f = join(store.filesDir, p);
      if (existsSync(f)) out.set(p, readFileSync(f, 'utf8'));
    }
    return out;
  }
  return readStoreFilesAt(store, head, paths);
}

/** Each ticket's file (text and store path), in whichever layout it is; missing ones are left out. */
export function readTicketFiles(
  store: Store,
  head: string | null,
  tickets: ReadonlyArray<{ id: string; archived: boolean }>,
  layout: TicketLayout,
): Map<string, { rel: string; text: string }> {
  const pathsOf = (t: { id: string; archived: boolean }) =>
    ticketPaths(t.id, layout, t.archived ? 'archive' : 'tickets');
  const texts = readStoreFiles(store, head, tickets.flatMap(pathsOf));
  const out = new Map<string, { rel: string; text: string }>();
  for (const t of tickets) {
    const rel = pathsOf(t).find((p) => texts.has(p));
    if (rel) out.set(t.id, { rel, text: texts.get(rel)! });
  }
  return out;
}

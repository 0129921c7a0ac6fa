import type { DB } from './indexDb.js';
import { resolveFromCandidates } from '../model/ids.js';
import { TackError } from '../model/errors.js';
import { parseCrossRef } from '../model/crossRef.js';
import { ticketIdFromPath, ticketPathPrefixes } from '../model/ticketPath.js';

/* Ticket ids as users type them: unique prefixes, imported aliases, and why a name finds nothing. */

/**
 * SQL: `column` starts with `prefix` (SQL expressions), as a range of the column's index: found
 * in O(log n), taken literally (no LIKE wildcards) and case for case. The range ends at the
 * prefix followed by the byte 0xFF, which sorts after every UTF-8 character (a bound of
 * U+FFFF left out names with an emoji, or U+FFFF itself, after the prefix).
 */
export function startsWithSql(column: string, prefix: string): string {
  return `${column} >= ${prefix} AND ${column} < ${prefix} || CAST(X'FF' AS TEXT)`;
}

/**
 * A full id from any unique prefix. `broken`: also tickets whose file does not parse
 * (so `tack edit` can repair them); otherwise naming one is an error that says why.
 */
export function resolveId(db: DB, input: string, opts: { broken?: boolean } = {}): string {
  const needle = input.trim().replace(/^\+/, '');
  const rows = db
    .prepare<{ id: string }>(`SELECT id FROM tickets WHERE ${startsWithSql('id', '?')} ORDER BY id LIMIT 50`)
    .all(needle, needle);
  const ids = rows.map((r) => r.id);
  if (opts.broken) ids.push(...brokenIds(db, needle).filter((id) => !ids.includes(id)));
  else if (ids.length === 0) explainBroken(db, needle);
  if (ids.length === 0) {
    const alias = aliasOwner(db, needle);
    if (alias) return alias;
    explainOtherStore(needle);
  }
  return resolveFromCandidates(needle, ids);
}

/** `planning:tk-3fa9` reached a command that works on this clone's store only: say where to run it. */
function explainOtherStore(needle: string): void {
  const cross = parseCrossRef(needle);
  if (!cross) return;
  throw new TackError(
    'not_found',
    `"${needle}" names a ticket of the workspace store "${cross.store}"; this command changes this clone's store only — run it in that store's repository (\`tack -C PATH …\`; \`tack workspace list\` shows the paths)`,
    { id: needle, store: cross.store },
  );
}

/**
 * The ticket that lists `name` in its `aliases` (an id from another tracker, kept by
 * `tack import`): exact match only, looked up only when no id starts with `name`.
 */
function aliasOwner(db: DB, name: string): string | null {
  const row = db
    .prepare<{ id: string }>(`SELECT t.id AS id FROM tickets t, json_each(t.fields, '$.aliases') a
    WHERE t.fields LIKE '%"aliases"%' AND a.value = ? LIMIT 1`)
    .get(name);
  return row?.id ?? null;
}

function brokenIds(db: DB, needle: string): string[] {
  const scan = db.prepare<{ path: string }>(`SELECT path FROM problems WHERE ${startsWithSql('path', '?')}`);
  const rows = ticketPathPrefixes(needle).flatMap((p) => scan.all(p, p));
  return rows.map((r) => ticketIdFromPath(r.path)?.id).filter((x): x is string => !!x);
}

/** A ticket whose file does not parse is not in the index: say why instead of "no such ticket". */
function explainBroken(db: DB, needle: string): void {
  const scan = db.prepare<{ path: string; line: number; message: string }>(
    `SELECT path, line, message FROM problems WHERE ${startsWithSql('path', '?')} LIMIT 1`,
  );
  const p = ticketPathPrefixes(needle)
    .map((x) => scan.get(x, x))
    .find((x) => x !== undefined);
  if (p) {
    throw new TackError('parse_error', `${p.path}:${p.line}: ${p.message} (repair it with \`tack edit\`)`, {
      path: p.path,
      line: p.line,
      problem: p.message,
    });
  }
}

/** Ids starting with `needle` (at most 50): the candidates of a prefix, for a workspace-wide lookup. */
export function idsWithPrefix(db: DB, needle: string): string[] {
  return db
    .prepare<{ id: string }>(`SELECT id FROM tickets WHERE ${startsWithSql('id', '?')} ORDER BY id LIMIT 50`)
    .all(needle, needle)
    .map((r) => r.id);
}

export function idExists(db: DB, id: string): boolean {
  return db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(id) !== undefined;
}

/**
 * Ticket mentions in a code commit message. Every id mentioned links the commit to the
 * ticket; an id that follows a closing word ("fixes tk-3fa9", "Closes: tk-3fa9, tk-77c1",
 * "resolved tk-3fa9 and tk-1a2b") also asks for the ticket to be completed once the commit
 * reaches the default branch. Link words ("refs", "part of", "towards") only link, and
 * they end a closing clause: "fixes tk-a, refs tk-b" closes tk-a only.
 */

export interface Mention {
  /** As written, lower-cased: a full id or a unique prefix, resolved by the caller. */
  id: string;
  closes: boolean;
}

const CLOSING = '(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?|complete[sd]?)';
/** "do not close", "don't fix", "never resolves", "not yet fixed": a closing word said negatively. */
const NEGATED = String.raw`(?<!(?:\bnot|\bnever|\bno|n't|n’t)[ \t]+(?:yet[ \t]+)?)`;
/** `git revert`'s message quotes the reverted subject: its closing words are not meant. */
const REVERT = /^Revert "|\bThis reverts commit [0-9a-f]{7,}/m;
/** An id with its prefix: `tk-3fa9` (a `#` or `+` in front is allowed and dropped). */
const idPattern = (prefixes: readonly string[]): string =>
  String.raw`[#+]?(?:${prefixes.map(escapeRe).join('|')})-[0-9a-z]{4,}\b`;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Mentions of ids with one of `prefixes`, in order of first appearance, one per id. */
export function parseMentions(message: string, prefixes: readonly string[]): Mention[] {
  if (prefixes.length === 0) return [];
  const id = idPattern(prefixes);
  const closing = new RegExp(
    String.raw`${NEGATED}\b${CLOSING}\b:?[ \t]*((?:${id})(?:[ \t]*(?:,|&|\band\b)?[ \t]*(?:${id}))*)`,
    'gi',
  );
  const closed = new Set<string>();
  for (const m of REVERT.test(message) ? [] : message.matchAll(closing)) {
    for (const one of m[1].matchAll(new RegExp(id, 'gi'))) closed.add(clean(one[0]));
  }
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const m of message.matchAll(new RegExp(String.raw`(?<![\w-])${id}`, 'gi'))) {
    const key = clean(m[0]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: key, closes: closed.has(key) });
  }
  return out;
}

function clean(raw: string): string {
  return raw.replace(/^[#+]/, '').toLowerCase();
}

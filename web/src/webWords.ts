/*
 * The server's error messages are written for the terminal: they name `tack …` commands and
 * `--flags` to run next. A reader of the web UI can do neither, so the web says the same
 * thing without them: a clause that names a command goes; a flag reads as its name.
 */

/** Text that only a terminal user can act on. */
const CLI = /`tack[\s`][^`]*`|`git [^`]*`|--no-verify\b/;

/** What an error says, in its code's plain words, when nothing of the server's is left. */
const FALLBACK: Record<string, string> = {
  conflict: 'Someone changed this meanwhile; reload to see their change, then try again.',
  not_found: 'Not found: it may have been deleted or moved.',
  invalid_input: 'That value is not accepted.',
  forbidden: 'You are not allowed to do that.',
  timeout: 'The server took too long to answer; try again.',
  no_store: 'This repository has no Tack store yet.',
};

/** One clause or sentence, kept when it does not name a command. */
function keep(part: string): boolean {
  return !CLI.test(part);
}

/** Parentheticals that name a command go, with the space before them. */
function dropAsides(text: string): string {
  let out = text;
  for (let i = 0; i < 4; i++) {
    const next = out.replace(/\s*\(([^()]*)\)/g, (m, inner: string) => (keep(inner) ? m : ''));
    if (next === out) break;
    out = next;
  }
  return out;
}

/** "…; run `tack sync`", ", or run `tack edit`", " — run it in …`tack -C`": the clause goes. */
function dropClauses(text: string): string {
  const sentences = text.split(/(?<=\.)\s+(?=[A-Z])/);
  const kept = sentences
    .map((s) =>
      s
        .split(/;\s+/)
        .map((c) =>
          c
            .split(/,\s+(?:or|and|then)\s+/)
            .filter(keep)
            .join(', or '),
        )
        .map((c) =>
          c
            .split(/\s+—\s+/)
            .filter(keep)
            .join(' — '),
        )
        .filter((c) => c.trim() !== '')
        .join('; '),
    )
    .filter((s) => s.trim() !== '');
  return kept.join(' ');
}

/** `--done-before` reads as “done before”; the rest of the sentence stays. */
function flagsAsNames(text: string): string {
  return text.replace(
    /(^|[\s(“"'])--([a-z][a-z0-9-]*)\b/g,
    (_m, pre: string, name: string) => `${pre}“${name.replace(/-/g, ' ')}”`,
  );
}

/** A server message as the web shows it: no command to run, no flag to type. */
export function webWords(message: string, code: string): string {
  const text = flagsAsNames(dropClauses(dropAsides(message)))
    .replace(/\s+([;,.:])/g, '$1')
    .replace(/[;,:]\s*$/, '')
    .trim();
  if (text === '' || CLI.test(text)) return FALLBACK[code] ?? 'Something went wrong; try again.';
  return text;
}

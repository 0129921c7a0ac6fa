// The capture syntax, as the store reads it (src/model/bodyRefs.ts): `#tag`, `+tk-3fa9`, `[[docs/x.md]]`.
const TAG = /(^|[\s(,;])#([A-Za-z][\w/-]*[\w])(?=$|[\s.,;:!?)])/g;
const PLUS_LINK = /(^|[\s(,;])\+([a-z][a-z0-9]{0,9}-[0-9a-z]{3,})\b/g;
const WIKI_LINK = /\[\[([^\]|\n]+)(?:\|[^\]\n]*)?\]\]/g;

export function tagsOf(text: string): string[] {
  return [...new Set([...text.matchAll(TAG)].map((m) => m[2].toLowerCase()))];
}

export function linksOf(text: string): { tickets: string[]; docs: string[] } {
  const tickets = new Set([...text.matchAll(PLUS_LINK)].map((m) => m[2]));
  const docs = new Set<string>();
  for (const m of text.matchAll(WIKI_LINK)) {
    const target = m[1].trim();
    if (/^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/.test(target)) tickets.add(target);
    else docs.add(target);
  }
  return { tickets: [...tickets], docs: [...docs] };
}

/** An entry's title: its first line without the markup, shortened. */
export function titleOf(text: string): string {
  const first = text.split('\n').find((l) => l.trim()) ?? 'note';
  const t = first.replace(/^#+\s+/, '').trim();
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}

/** `+` typed at a word start (not inside a word or an id): open the link picker. */
export function plusAt(text: string, caret: number): boolean {
  return text[caret - 1] === '+' && (caret === 1 || /[\s(,;]/.test(text[caret - 2]));
}

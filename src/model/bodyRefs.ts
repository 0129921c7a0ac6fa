/**
 * Tags and links written in markdown: `#tag`, `+tk-3fa9`, `[[tk-3fa9]]`, `[[docs/x.md]]`.
 * Code (fenced blocks and inline spans) is skipped so `#include` in a snippet is no tag.
 */
export interface BodyRefs {
  tags: string[];
  tickets: string[];
  docs: string[];
}

const TAG = /(^|[\s(,;])#([A-Za-z][\w/-]*[\w])(?=$|[\s.,;:!?)])/g;
const PLUS_LINK = /(^|[\s(,;])\+([a-z][a-z0-9]{0,9}-[0-9a-z]{3,})\b/g;
const WIKI_LINK = /\[\[([^\]|\n]+)(?:\|[^\]\n]*)?\]\]/g;
const TICKET_ID = /^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/;

/** The doc a link target names: a target may carry an anchor (docs/x.md#usage), still that doc. */
export function linkedDoc(target: string): string {
  const hash = target.indexOf('#');
  return hash < 0 ? target : target.slice(0, hash);
}

function stripCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

export function extractRefs(markdown: string): BodyRefs {
  const text = stripCode(markdown);
  const tags = new Set<string>();
  const tickets = new Set<string>();
  const docs = new Set<string>();
  for (const m of text.matchAll(TAG)) tags.add(m[2].toLowerCase());
  for (const m of text.matchAll(PLUS_LINK)) tickets.add(m[2]);
  for (const m of text.matchAll(WIKI_LINK)) {
    const target = m[1].trim();
    if (TICKET_ID.test(target)) tickets.add(target);
    else docs.add(target);
  }
  return { tags: [...tags], tickets: [...tickets], docs: [...docs] };
}

import { nextPage, type PageInfo } from '../ops/page.js';

const n = (x: number) => x.toLocaleString('en-US');

/** What a page of a long answer leaves out, and the flags that get the rest; null when nothing is left out. */
export function pageNote(info: PageInfo | undefined): string | null {
  const next = nextPage(info);
  if (!info || !next) return null;
  const range = info.shown ? `${n(info.offset + 1)}–${n(info.offset + info.shown)}` : 'none';
  return `showing ${range} of ${n(info.total)} (${n(next.more)} more): next page --offset ${next.offset}, a bigger page --limit N, all --limit 0`;
}

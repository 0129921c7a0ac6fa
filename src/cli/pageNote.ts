import { nextPage, type PageInfo } from '../ops/page.js';

/** 12,345: by hand, as toLocaleString would start ICU, which costs a read command 10–20 ms. */
export const n = (x: number): string => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** What a page of a long answer leaves out, and the flags that get the rest; null when nothing is left out. */
export function pageNote(info: PageInfo | undefined): string | null {
  const next = nextPage(info);
  if (!info || !next) return null;
  const range = info.shown ? `${n(info.offset + 1)}–${n(info.offset + info.shown)}` : 'none';
  return `showing ${range} of ${n(info.total)} (${n(next.more)} more): next page --offset ${next.offset}, a bigger page --limit N, all --limit 0`;
}

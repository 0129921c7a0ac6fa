import { nextPage, type PageInfo } from './page.js';

/** 12,345: by hand, as toLocaleString would start ICU, which costs a read command 10–20 ms. */
export const n = (x: number): string => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * What a page of a long answer leaves out, and the flags that get the rest; null when nothing
 * is left out. `noun` names what is counted when the page is part of a larger answer.
 */
export function pageNote(info: PageInfo | undefined, noun?: string): string | null {
  const next = nextPage(info);
  if (!info || !next) return null;
  const range = info.shown ? `${n(info.offset + 1)}–${n(info.offset + info.shown)}` : 'none';
  const of = noun ? `${n(info.total)} ${noun}` : n(info.total);
  return `showing ${range} of ${of} (${n(next.more)} more): next page --offset ${next.offset}, a bigger page --limit N, all --limit 0`;
}

import { lcsPairs } from './lineDiff.js';

/**
 * A small three-way line merge (diff3): the changes base→ours and base→theirs, found with
 * a longest common subsequence, are applied together; where they touch the same base
 * lines differently the chunk is a conflict, and the caller decides what to keep.
 */
export type Chunk =
  | { kind: 'ok'; lines: string[] }
  | { kind: 'conflict'; base: string[]; ours: string[]; theirs: string[] };

/** base[bStart, bEnd) was replaced by side[sStart, sEnd). */
interface Hunk {
  bStart: number;
  bEnd: number;
  sStart: number;
  sEnd: number;
  side: 'ours' | 'theirs';
}

function hunks(base: string[], side: string[], name: Hunk['side']): Hunk[] {
  const out: Hunk[] = [];
  let bi = 0;
  let si = 0;
  for (const [b, s] of [...lcsPairs(base, side), [base.length, side.length] as [number, number]]) {
    if (b > bi || s > si) out.push({ bStart: bi, bEnd: b, sStart: si, sEnd: s, side: name });
    bi = b + 1;
    si = s + 1;
  }
  return out;
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The lines of `side` that stand for base[start, end), given that side's hunks inside it. */
function sideRange(side: string[], group: Hunk[], start: number, end: number, base: string[]): string[] {
  if (group.length === 0) return base.slice(start, end);
  const first = group[0];
  const last = group[group.length - 1];
  return side.slice(first.sStart - (first.bStart - start), last.sEnd + (end - last.bEnd));
}

export function merge3(base: string[], ours: string[], theirs: string[]): Chunk[] {
  const all = [...hunks(base, ours, 'ours'), ...hunks(base, theirs, 'theirs')].sort(
    (x, y) => x.bStart - y.bStart || x.bEnd - y.bEnd,
  );
  const chunks: Chunk[] = [];
  const emit = (lines: string[]) => {
    if (lines.length === 0) return;
    const last = chunks[chunks.length - 1];
    if (last && last.kind === 'ok') last.lines.push(...lines);
    else chunks.push({ kind: 'ok', lines: [...lines] });
  };
  let pos = 0;
  for (let k = 0; k < all.length; ) {
    const group = [all[k]];
    const start = all[k].bStart;
    let end = all[k].bEnd;
    k++;
    // Changes that overlap, or that touch a change of the other side, belong together
    // (like git, adjacent edits of both sides are a conflict: order would be a guess).
    while (
      k < all.length &&
      (all[k].bStart < end || (all[k].bStart === end && group.some((h) => h.side !== all[k].side)))
    ) {
      end = Math.max(end, all[k].bEnd);
      group.push(all[k]);
      k++;
    }
    emit(base.slice(pos, start));
    const o = sideRange(
      ours,
      group.filter((h) => h.side === 'ours'),
      start,
      end,
      base,
    );
    const t = sideRange(
      theirs,
      group.filter((h) => h.side === 'theirs'),
      start,
      end,
      base,
    );
    const b = base.slice(start, end);
    if (same(o, t) || same(t, b)) emit(o);
    else if (same(o, b)) emit(t);
    else chunks.push({ kind: 'conflict', base: b, ours: o, theirs: t });
    pos = end;
  }
  emit(base.slice(pos));
  return chunks;
}

/** Text → lines; a final newline is implied (joinLines adds it back). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function joinLines(lines: string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}

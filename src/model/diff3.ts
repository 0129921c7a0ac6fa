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

const MAX_CELLS = 4_000_000;

/** Matched index pairs (base, side) of a longest common subsequence. */
function lcsPairs(a: string[], b: string[]): Array<[number, number]> {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < pre; k++) pairs.push([k, k]);
  // Past this size the table would take hundreds of MB: the middle becomes one change
  // (more conflicts, never lost text).
  if (n * m > MAX_CELLS) {
    for (let k = 0; k < suf; k++) pairs.push([a.length - suf + k, b.length - suf + k]);
    return pairs;
  }
  // len[i][j]: LCS length of a[pre+i..] and b[pre+j..], kept flat.
  const len = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * (m + 1) + j] =
        a[pre + i] === b[pre + j]
          ? len[(i + 1) * (m + 1) + j + 1] + 1
          : Math.max(len[(i + 1) * (m + 1) + j], len[i * (m + 1) + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[pre + i] === b[pre + j]) {
      pairs.push([pre + i, pre + j]);
      i++;
      j++;
    } else if (len[(i + 1) * (m + 1) + j] >= len[i * (m + 1) + j + 1]) i++;
    else j++;
  }
  for (let k = 0; k < suf; k++) pairs.push([a.length - suf + k, b.length - suf + k]);
  return pairs;
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

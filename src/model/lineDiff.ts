/**
 * Line diffs by longest common subsequence, shared by the three-way merge and the web UI's
 * history view (which imports this file; keep it free of Node built-ins). The table is
 * capped: past MAX_CELLS the unmatched middle becomes one change, never a memory blow-up.
 */
const MAX_CELLS = 4_000_000;

/** Matched index pairs (base, side) of a longest common subsequence. */
export function lcsPairs(a: string[], b: string[]): Array<[number, number]> {
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

export type DiffLine = { op: ' ' | '-' | '+'; text: string };

/** The lines of `a` removed, of `b` added and of both kept, in order. */
export function lineDiff(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...lcsPairs(x, y), [x.length, y.length] as [number, number]]) {
    while (i < pi) out.push({ op: '-', text: x[i++] });
    while (j < pj) out.push({ op: '+', text: y[j++] });
    if (pi < x.length) out.push({ op: ' ', text: x[pi] });
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

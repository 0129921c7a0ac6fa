/**
 * Edit distance with adjacent transpositions (optimal string alignment): "lsit" is one
 * step from "list", as a typist sees it, not two.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The few candidates a mistyped `word` most likely meant (the nearest ones): within a third
 * of its length (at least 2 edits, so short words still match), or starting with it.
 * Long inputs are not compared (no quadratic work on a hostile argument).
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  if (!w || w.length > 64) return [];
  const limit = Math.max(2, Math.floor(w.length / 3));
  const scored: Array<[string, number]> = [];
  for (const c of new Set(candidates)) {
    const d = c.startsWith(w) && w.length >= 2 ? 1 : editDistance(w, c.toLowerCase());
    if (d <= limit && c !== word) scored.push([c, d]);
  }
  // Only the nearest tier: "lsit" means list, not also edit and init (two edits away).
  const best = Math.min(...scored.map(([, d]) => d));
  return scored
    .filter(([, d]) => d === best)
    .sort((x, y) => x[0].localeCompare(y[0]))
    .slice(0, max)
    .map(([c]) => c);
}

/** "; did you mean X?" or "; did you mean X, Y or Z?", or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, show: (c: string) => string = (c) => c): string {
  const found = closest(word, candidates).map(show);
  if (!found.length) return '';
  return `; did you mean ${found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} or ${found[found.length - 1]}`}?`;
}

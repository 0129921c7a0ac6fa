export interface Section {
  level: number;
  title: string;
  body: string;
}

/** A doc's sections: each heading with the text up to the next heading of its level or above. */
export function sectionsOf(markdown: string): Section[] {
  const lines = markdown.split('\n');
  const heads: Array<{ i: number; level: number; title: string }> = [];
  let fence = false;
  lines.forEach((l, i) => {
    if (/^(```|~~~)/.test(l)) fence = !fence;
    const m = !fence && /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(l);
    if (m) heads.push({ i, level: m[1].length, title: m[2] });
  });
  return heads.map((h, n) => {
    const next = heads.slice(n + 1).find((x) => x.level <= h.level);
    return {
      level: h.level,
      title: h.title,
      body: lines
        .slice(h.i + 1, next ? next.i : lines.length)
        .join('\n')
        .trim(),
    };
  });
}

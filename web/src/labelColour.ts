/**
 * A label's colour, the same everywhere and for everyone: labels carry no colour in the
 * store, so it is derived from the name (a hue from its hash, light enough for AA on the
 * dark panels).
 */
export function labelColour(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0;
  return `hsl(${h % 360} 65% 62%)`;
}

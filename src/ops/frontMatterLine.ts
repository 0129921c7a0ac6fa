/**
 * The 1-based line of a top-level front-matter key in a ticket or YAML file, so a
 * validation error can point at the line to fix; the opening line when the key is absent.
 */
export function frontMatterLine(text: string, key: string): number {
  const lines = text.split('\n');
  const fenced = lines[0]?.replace(/^\ufeff/, '').trim() === '---';
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^["']?${escaped}["']?\\s*:`);
  for (let i = fenced ? 1 : 0; i < lines.length; i++) {
    if (fenced && /^---\s*$/.test(lines[i])) break;
    if (re.test(lines[i])) return i + 1;
  }
  return 1;
}

/**
 * The 1-based line of a top-level front-matter key in a ticket or YAML file, so a
 * validation error can point at the line to fix; the opening line when the key is absent.
 */
export function frontMatterLine(text: string, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^["']?${escaped}["']?\\s*:`);
  // Line by line from the top, never splitting the whole file: the body (up to 8 MiB) is
  // not read once the front matter closes.
  let fenced = false;
  for (let start = 0, i = 0; start <= text.length; i++) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (i === 0 && line.replace(/^\ufeff/, '').trim() === '---') fenced = true;
    else if (fenced && /^---\s*$/.test(line)) break;
    else if (re.test(line)) return i + 1;
    if (end < 0) break;
    start = end + 1;
  }
  return 1;
}

/**
 * The start of a text that fits a budget of UTF-8 bytes, cut at the last line break that
 * fits (a paragraph stays whole when it can), else at the last character that fits.
 * `shown` is the number of characters kept, so a reader can ask for the rest from there.
 */
export function cutText(text: string, maxBytes: number): { text: string; shown: number; cut: boolean } {
  if (Buffer.byteLength(text) <= maxBytes) return { text, shown: text.length, cut: false };
  // Characters never take more than 4 bytes, nor less than 1: binary search the longest prefix.
  let lo = 0;
  let hi = Math.min(text.length, maxBytes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(text.slice(0, mid)) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  // Never split a surrogate pair.
  if (lo > 0 && /[\uD800-\uDBFF]/.test(text[lo - 1])) lo--;
  const nl = text.lastIndexOf('\n', lo);
  const end = nl > lo / 2 ? nl : lo;
  return { text: text.slice(0, end), shown: end, cut: true };
}

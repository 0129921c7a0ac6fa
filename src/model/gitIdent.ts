/**
 * A name or email as git writes it into a commit (git's ident.c): "crud" (control
 * characters, space, and `,:;<>"\'`) trimmed from both ends, and `<`, `>` and newlines
 * removed inside, since they delimit the identity line. Bytes above ASCII are never crud,
 * nor is a dot since git 2.42 ("Jr."; older git trimmed it: both pass fsck).
 * What git would turn `<a@b>` into (`a@b`), Tack does too, so a strict fsck accepts it.
 */
function isCrud(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c <= 32 || ',:;<>"\\\''.includes(ch);
}

export function gitIdent(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isCrud(raw[start])) start++;
  while (end > start && isCrud(raw[end - 1])) end--;
  return raw.slice(start, end).replace(/[<>\n]/g, '');
}

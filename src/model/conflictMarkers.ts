/**
 * Git's conflict markers, as a merge without Tack's driver leaves them in a file. Only
 * the full shape counts (`<<<<<<< `, then `=======`, then `>>>>>>> ` at line starts, in
 * that order), so a ticket that merely quotes one marker line is not taken for one.
 */
export function hasConflictMarkers(text: string): boolean {
  const open = text.search(/^<{7}(?: |$)/m);
  if (open < 0) return false;
  const rest = text.slice(open);
  const mid = rest.search(/^={7}$/m);
  return mid >= 0 && /^>{7}(?: |$)/m.test(rest.slice(mid));
}

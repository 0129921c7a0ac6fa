/**
 * The code branch `tack start ID --branch` makes for a ticket, from a template
 * (git config `tack.branchTemplate`, default `{short}-{slug}`): `{id}` the full id,
 * `{short}` its shown form, `{slug}` the title in lower-case words joined by dashes
 * (at most 40 characters), `{type}` the ticket type, `{user}` the acting user.
 */
export const DEFAULT_BRANCH_TEMPLATE = '{short}-{slug}';

export function titleSlug(title: string, max = 40): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let out = '';
  for (const w of words) {
    const next = out ? `${out}-${w}` : w;
    if (next.length > max) break;
    out = next;
  }
  return out || (words[0] ?? '').slice(0, max);
}

function refPart(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9._/-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-./]+|[-./]+$/g, '');
}

export function branchNameFor(
  template: string,
  t: { id: string; short: string; title: string; type: string; user: string },
): string {
  const filled = template.replace(/\{(id|short|slug|type|user)\}/g, (_, k: string) =>
    k === 'slug' ? titleSlug(t.title) : refPart(t[k as 'id' | 'short' | 'type' | 'user']),
  );
  // Empty placeholders (no title words) must not leave doubled or dangling separators.
  return filled
    .replace(/-{2,}/g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '')
    .replace(/-\//g, '/');
}

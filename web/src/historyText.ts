import type { Change, TicketDetails } from './api';

/** Fields of a ticket file that point at other tickets (or docs): parent, links and every relation kind. */
export function relationFields(t: Pick<TicketDetails, 'relations'>): Set<string> {
  return new Set(['parent', 'links', ...Object.keys(t.relations ?? {})]);
}

/** A history value as a list: relation fields are stored as JSON lists, `parent` as one id. */
function valuesOf(v: string | null): string[] {
  if (v === null || v === '') return [];
  try {
    const parsed: unknown = JSON.parse(v);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // A plain id (parent).
  }
  return [v];
}

/**
 * What one history row did to a relation, as lines a person reads: "added blocks tk-a1b2
 * (Title)", "removed parent tk-c3d4". `titleOf` names the other ticket when it is known.
 */
export function relationChanges(c: Pick<Change, 'field' | 'old' | 'new'>, titleOf: (id: string) => string | undefined) {
  const before = valuesOf(c.old);
  const after = valuesOf(c.new);
  const named = (id: string) => {
    const title = titleOf(id);
    return title ? `${id} (${title})` : id;
  };
  return [
    ...after.filter((x) => !before.includes(x)).map((x) => `added ${c.field} ${named(x)}`),
    ...before.filter((x) => !after.includes(x)).map((x) => `removed ${c.field} ${named(x)}`),
  ];
}

/** The kinds a ticket's own file holds (the inverse ones come from other tickets' commits). */
const FORWARD = ['blocks', 'related', 'duplicates'] as const;

/** The ticket as text, for the diff between two versions: fields, relations, description, comments. */
export function ticketText(t: TicketDetails): string {
  const head = ['title', 'type', 'status', 'priority', 'assignee', 'project'].map(
    (k) => `${k}: ${(t as unknown as Record<string, unknown>)[k] ?? ''}`,
  );
  head.push(`labels: ${t.labels.join(', ')}`);
  const titled = (id: string) => (t.refs?.[id]?.title ? `${id} (${t.refs[id].title})` : id);
  const rels = [
    ...(t.parent ? [`parent ${titled(t.parent)}`] : []),
    ...FORWARD.flatMap((k) => (t[k] ?? []).map((id) => `${k} ${titled(id)}`)),
    ...t.links.map((l) => `link ${titled(l)}`),
  ];
  const comments = t.comments.map((c) => `— ${c.author}: ${c.body}`);
  return [
    ...head,
    ...rels,
    '',
    ...(t.description ?? '').split('\n'),
    ...(comments.length ? ['', 'comments:', ...comments] : []),
  ].join('\n');
}

import {
  splitMarker,
  type Priority,
  type RemoteComment,
  type RemoteIssue,
  type RemoteRelation,
  type StateCategory,
} from '../connector.js';
import type { LinearIssue } from './linearQueries.js';

/** Linear's priority numbers, by Tack's (Linear's) names. */
export const PRIORITIES: Priority[] = ['none', 'urgent', 'high', 'medium', 'low'];

/**
 * Tack's name for a Linear relation type. Linear's `type` is a free string; one Tack does not
 * know passes through unchanged, and callers drop it by name (blocks, related, duplicates).
 */
export function relationType(linear: string): RemoteRelation['type'] {
  return (linear === 'duplicate' ? 'duplicates' : linear) as RemoteRelation['type'];
}

/** A Linear issue (every nested list read to its end) in the connector contract's terms. */
export function toRemoteIssue(n: LinearIssue): RemoteIssue {
  const comments: RemoteComment[] = n.comments.nodes.map((c) => {
    const { text, tackId } = splitMarker(c.body ?? '');
    return {
      id: c.id,
      author: c.user?.displayName ?? '',
      body: text,
      createdAt: c.createdAt,
      ...(tackId ? { tackId } : {}),
    };
  });
  return {
    id: n.id,
    key: n.identifier,
    url: n.url,
    title: n.title,
    description: n.description ?? '',
    state: n.state.type as StateCategory,
    stateName: n.state.name,
    priority: PRIORITIES[n.priority] ?? 'none',
    labels: n.labels.nodes.map((l) => l.name).sort(),
    assignee: n.assignee?.displayName ?? null,
    parent: n.parent?.id ?? null,
    relations: n.relations.nodes
      .filter((r) => ['blocks', 'related', 'duplicate'].includes(r.type))
      .map((r) => ({ type: relationType(r.type), target: r.relatedIssue.id })),
    due: n.dueDate ?? null,
    comments: comments.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)),
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
    ...(n.trashed ? { deleted: true } : n.archivedAt ? { archived: true } : {}),
  };
}

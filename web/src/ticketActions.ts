import type { Schema, TicketDetails } from './api';
import type { PageAction } from './pageActions';

/** What the ticket page lends its palette actions. */
export interface TicketActionDeps {
  t: TicketDetails;
  schema: Schema;
  /** Who the server acts as, once known. */
  me: string | null;
  update: (patch: Record<string, unknown>) => unknown;
  focusAssignee: () => void;
  focusLabels: () => void;
  editDescription: () => void;
  editTitle: () => void;
  addRelation: () => void;
  newSubIssue: () => void;
  askDelete: () => void;
  /** Moves it to the archive, or brings it back from there. */
  archive: () => void;
  restore: () => void;
  copy: (text: string, what: string) => void;
}

/**
 * Every action on the open ticket, for the command palette (⌘K): move, assign, label, link,
 * sub-issue, copy, edit, archive, delete — each the same write its field or button makes.
 */
export function ticketActions(d: TicketActionDeps): PageAction[] {
  const { t, schema } = d;
  return [
    ...schema.states
      .filter((x) => x.name !== t.status)
      .map((x) => ({
        key: `status:${x.name}`,
        label: `Set status: ${x.name}`,
        run: () => d.update({ status: x.name }),
      })),
    ...schema.priorities
      .filter((x) => x !== t.priority)
      .map((x) => ({ key: `priority:${x}`, label: `Set priority: ${x}`, run: () => d.update({ priority: x }) })),
    ...(d.me && d.me !== t.assignee
      ? [{ key: 'assign:me', label: `Assign to me (${d.me})`, run: () => d.update({ assignee: d.me }) }]
      : []),
    ...(t.assignee ? [{ key: 'assign:none', label: 'Unassign', run: () => d.update({ assignee: 'none' }) }] : []),
    { key: 'assign', label: 'Assign to…', run: d.focusAssignee },
    { key: 'labels', label: 'Add or remove labels…', run: d.focusLabels },
    ...schema.types
      .filter((x) => x !== t.type)
      .map((x) => ({ key: `type:${x}`, label: `Set type: ${x}`, run: () => d.update({ type: x }) })),
    { key: 'relation', label: 'Add a relation (blocks, related, parent…)…', run: d.addRelation },
    { key: 'sub-issue', label: 'New sub-issue', run: d.newSubIssue },
    { key: 'copy:id', label: `Copy id (${t.id})`, run: () => d.copy(t.id, 'the id') },
    {
      key: 'copy:link',
      label: 'Copy link',
      run: () => d.copy(`${location.origin}/t/${encodeURIComponent(t.id)}`, 'the link'),
    },
    { key: 'edit', label: 'Edit description', run: d.editDescription },
    { key: 'title', label: 'Edit title', run: d.editTitle },
    t.archived
      ? { key: 'restore', label: 'Restore from the archive', run: d.restore }
      : { key: 'archive', label: 'Archive ticket', run: d.archive },
    { key: 'delete', label: 'Delete ticket…', run: d.askDelete },
  ];
}

/**
 * Wake rules: whom a trigger event should wake, so that an agent or a human waiting on
 * someone else is told instead of polling. Each rule adds a `wake.<why>` name to the event
 * (a hook on `on.wake.*` gets them all) and an entry in its `wake` list.
 */
export type WakeReason = 'answered' | 'submitted' | 'child-done' | 'child-blocked';

export interface Wake {
  why: WakeReason;
  /** Whom to wake (a user name as tickets record it); null when nobody holds the ticket concerned. */
  who: string | null;
  /** The ticket they should look at. */
  ticket: string;
}

export interface WakeFacts {
  op: string | null;
  /** The ticket as the commit left it. */
  id: string;
  type: string | null;
  assignee: string | null;
  parent: string | null;
  /** The parent's assignee as of the same commit. */
  parentAssignee: string | null;
  created: boolean;
  categoryTo: string | null;
}

export function wakesOf(f: WakeFacts): Wake[] {
  const out: Wake[] = [];
  // `answer` assigns the ticket back to whoever asked.
  if (f.op === 'answer') out.push({ why: 'answered', who: f.assignee, ticket: f.id });
  // `submit` creates a review ticket assigned to the work's human owner: one wake, on it.
  if (f.op === 'submit' && f.created && f.type === 'review')
    out.push({ why: 'submitted', who: f.assignee, ticket: f.id });
  if (f.parent) {
    if (f.categoryTo === 'completed') out.push({ why: 'child-done', who: f.parentAssignee, ticket: f.parent });
    // A child parked by `ask` waits on someone: its parent's owner may be the one who knows.
    else if (f.op === 'ask') out.push({ why: 'child-blocked', who: f.parentAssignee, ticket: f.parent });
  }
  return out;
}

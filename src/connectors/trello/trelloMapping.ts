import { splitMarker, type RemoteComment, type RemoteIssue, type StateCategory } from '../connector.js';

/**
 * Pure translations between Trello cards and the contract's normalized issues. A card's
 * state is the list it is in: the connection maps each state category to a list id
 * (`lists`), categories without a list of their own fall back to a neighbour, and a card
 * in a list nobody mapped reads as `unstarted`. Archived cards (`closed: true`) read as
 * archived. Trello has no priority and no parent: those stay `undefined`.
 */

export interface TrelloCard {
  id: string;
  shortLink: string;
  url: string;
  name: string;
  desc: string;
  closed: boolean;
  idList: string;
  idMembers: string[];
  labels: { id: string; name: string }[];
  due: string | null;
  dateLastActivity: string;
  badges?: { comments?: number };
}

export interface TrelloAction {
  id: string;
  type: string;
  date: string;
  data: { text?: string; card?: { id: string; shortLink?: string; name?: string } };
  memberCreator?: { username: string };
}

export type ListMap = Partial<Record<StateCategory, string>>;

/** Where a category goes when it has no list of its own. */
const FALLBACK: Record<StateCategory, StateCategory | null> = {
  triage: 'backlog',
  backlog: 'unstarted',
  unstarted: null,
  started: 'unstarted',
  completed: null,
  canceled: 'completed',
};

export function listForState(lists: ListMap, state: StateCategory): string | undefined {
  for (let s: StateCategory | null = state; s; s = FALLBACK[s]) if (lists[s]) return lists[s];
  return undefined;
}

/** A list's category; when several categories share a list, the one that owns it outright wins. */
export function stateForList(lists: ListMap, idList: string): StateCategory {
  const order: StateCategory[] = ['unstarted', 'completed', 'backlog', 'started', 'triage', 'canceled'];
  return order.find((s) => lists[s] === idList) ?? 'unstarted';
}

/** Trello stores a due date-time; the contract has a day. Noon UTC keeps the day in most zones. */
export function dueToTrello(due: string | null): string {
  return due ? `${due}T12:00:00.000Z` : '';
}

export function dueFromTrello(due: string | null): string | null {
  return due ? due.slice(0, 10) : null;
}

/** Trello ids start with the creation time in seconds (8 hex digits). */
export function createdAtFromId(id: string): string {
  return new Date(parseInt(id.slice(0, 8), 16) * 1000).toISOString();
}

export function commentFromTrello(a: TrelloAction): RemoteComment {
  const { text, tackId } = splitMarker(a.data.text ?? '');
  return {
    id: a.id,
    author: a.memberCreator?.username ?? 'unknown',
    body: text,
    createdAt: a.date,
    ...(tackId ? { tackId } : {}),
  };
}

export interface CardContext {
  lists: ListMap;
  listNames: Map<string, string>;
  usernames: Map<string, string>;
  comments?: TrelloAction[];
}

export function cardToRemote(card: TrelloCard, ctx: CardContext): RemoteIssue {
  const { text, tackId } = splitMarker(card.desc);
  const member = card.idMembers[0];
  return {
    id: card.id,
    key: card.shortLink,
    url: card.url,
    title: card.name,
    description: text,
    state: stateForList(ctx.lists, card.idList),
    stateName: ctx.listNames.get(card.idList) ?? card.idList,
    stateId: card.idList,
    labels: card.labels.map((l) => l.name).filter((n) => n !== ''),
    assignee: member ? (ctx.usernames.get(member) ?? member) : null,
    due: dueFromTrello(card.due),
    ...(ctx.comments ? { comments: ctx.comments.map(commentFromTrello) } : {}),
    createdAt: createdAtFromId(card.id),
    updatedAt: card.dateLastActivity,
    ...(card.closed ? { archived: true } : {}),
    ...(tackId ? { tackId } : {}),
  };
}

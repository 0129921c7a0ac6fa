import type { Comment } from '../model/comments.js';
import { TackError } from '../model/errors.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';
import { listState } from './listState.js';

/**
 * A Trello board export (board menu → Print, export and share → Export as JSON) → import
 * records. One ticket per card, keyed by its short link; the card's list is its state
 * (named after the list, the category guessed from the name: "Done" completed, "Doing"
 * started...), archived cards and cards of archived lists go to archive/, checklists
 * become task lists in the body, comments come from the `commentCard` actions. Everything
 * else about the card is kept under `trello:`. Trello puts only the newest 1000 actions in
 * an export: with 1000, older comments may be missing, and the summary says so.
 */

interface TList {
  id: string;
  name: string;
  closed?: boolean;
}
interface TCard {
  id: string;
  shortLink?: string;
  url?: string;
  name?: string;
  desc?: string;
  closed?: boolean;
  idList?: string;
  idMembers?: string[];
  labels?: { name?: string; color?: string | null }[];
  due?: string | null;
  dueComplete?: boolean;
  dateLastActivity?: string;
  idChecklists?: string[];
}
interface TAction {
  id: string;
  type: string;
  date?: string;
  data?: { text?: string; card?: { id?: string } };
  memberCreator?: { username?: string };
}
interface TChecklist {
  id: string;
  idCard?: string;
  name?: string;
  checkItems?: { name?: string; state?: string; pos?: number }[];
}
interface TBoard {
  name?: string;
  lists?: TList[];
  cards?: TCard[];
  members?: { id: string; username?: string }[];
  actions?: TAction[];
  checklists?: TChecklist[];
}

/** The export holds at most this many actions (the newest). */
const EXPORT_ACTIONS = 1000;

export function trelloSource(text: string): ImportSource {
  let board: TBoard;
  try {
    board = JSON.parse(text) as TBoard;
  } catch (e) {
    throw new TackError('invalid_input', `not a Trello board export: ${(e as Error).message}`);
  }
  if (!board || typeof board !== 'object' || !Array.isArray(board.cards) || !Array.isArray(board.lists))
    throw new TackError('invalid_input', 'not a Trello board export: expected a JSON object with "cards" and "lists"');
  const src: ListedSource = {
    kind: 'trello',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    ownKey: 'trello',
    managedKeys: ['title', 'type', 'status', 'labels', 'assignee', 'due', 'trello'],
  };
  src.needs.types.push('task');
  const lists = new Map(board.lists.map((l) => [l.id, l]));
  const usernames = new Map((board.members ?? []).map((m) => [m.id, m.username ?? m.id]));
  const actions = Array.isArray(board.actions) ? board.actions : [];
  if (actions.length >= EXPORT_ACTIONS)
    src.warnings.push(
      `the export holds ${actions.length} actions, Trello's most: comments older than the oldest action (${actions.at(-1)?.date ?? '?'}) are not in it`,
    );
  const comments = new Map<string, Comment[]>();
  for (const a of actions) {
    const card = a.data?.card?.id;
    if (a.type !== 'commentCard' || !card) continue;
    const c = {
      id: `trello-${a.id}`,
      author: a.memberCreator?.username ?? 'unknown',
      created: a.date ?? '',
      text: a.data?.text ?? '',
    };
    comments.set(card, [c, ...(comments.get(card) ?? [])]);
  }
  const checklists = new Map<string, TChecklist[]>();
  for (const cl of board.checklists ?? [])
    if (cl.idCard) checklists.set(cl.idCard, [...(checklists.get(cl.idCard) ?? []), cl]);
  for (const card of board.cards) {
    if (!card?.id || typeof card.id !== 'string') {
      src.skipped.push({ key: String(card?.id ?? '?'), reason: 'a card without an id' });
      continue;
    }
    src.records.push(
      cardRecord(
        card,
        lists.get(card.idList ?? ''),
        usernames,
        comments.get(card.id) ?? [],
        checklists.get(card.id) ?? [],
        src,
      ),
    );
  }
  return src;
}

function cardRecord(
  card: TCard,
  list: TList | undefined,
  usernames: Map<string, string>,
  comments: Comment[],
  checklists: TChecklist[],
  src: ImportSource,
): ImportRecord {
  const state = listState(list?.name ?? 'unsorted');
  if (!src.needs.states.some((s) => s.name === state.name)) src.needs.states.push(state);
  const members = (card.idMembers ?? []).map((m) => usernames.get(m) ?? m);
  const labels = (card.labels ?? []).map((l) => l.name || l.color || '').filter((n) => n !== '');
  const sections = checklists.map(
    (cl) =>
      `## ${cl.name ?? 'Checklist'}\n\n${[...(cl.checkItems ?? [])]
        .sort((a, b) => (a.pos ?? 0) - (b.pos ?? 0))
        .map((i) => `- [${i.state === 'complete' ? 'x' : ' '}] ${i.name ?? ''}`)
        .join('\n')}`,
  );
  const parts = [card.desc ?? '', ...sections].filter((p) => p.trim() !== '');
  return {
    key: card.shortLink || card.id,
    fields: {
      title: (card.name ?? '').trim() || card.shortLink || card.id,
      type: 'task',
      status: state.name,
      labels: [...new Set(labels)],
      assignee: members[0] ?? null,
      due: card.due ? card.due.slice(0, 10) : null,
      trello: {
        id: card.id,
        ...(card.url ? { url: card.url } : {}),
        list: list?.name ?? null,
        ...(members.length > 1 ? { members } : {}),
        ...(card.due ? { due: card.due, dueComplete: !!card.dueComplete } : {}),
        ...(card.dateLastActivity ? { dateLastActivity: card.dateLastActivity } : {}),
        ...(card.closed ? { closed: true } : {}),
      },
    },
    body: parts.join('\n\n') + (parts.length ? '\n' : ''),
    comments,
    relations: {},
    archived: !!card.closed || !!list?.closed,
    aliases: card.shortLink ? [card.id] : [],
  };
}

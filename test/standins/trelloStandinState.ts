/**
 * The Trello stand-in's in-memory board: lists, cards, labels, members and the action log
 * (Trello's change history, which `GET /boards/{id}/actions?since=` and webhooks expose).
 * Objects have the field names and formats of Trello's API (24-hex ids whose first 8 hex
 * digits are the creation time, ISO dates with milliseconds).
 */

export interface TMember {
  id: string;
  username: string;
  fullName: string;
}
export interface TLabel {
  id: string;
  idBoard: string;
  name: string;
  color: string | null;
}
export interface TList {
  id: string;
  idBoard: string;
  name: string;
  closed: boolean;
  pos: number;
}
export interface TCard {
  id: string;
  idBoard: string;
  idList: string;
  idShort: number;
  shortLink: string;
  shortUrl: string;
  url: string;
  name: string;
  desc: string;
  closed: boolean;
  due: string | null;
  dueComplete: boolean;
  idMembers: string[];
  idLabels: string[];
  labels: TLabel[];
  pos: number;
  dateLastActivity: string;
  badges: { comments: number; description: boolean; due: string | null };
}
export interface TAction {
  id: string;
  idMemberCreator: string;
  type: string;
  date: string;
  data: Record<string, unknown> & {
    card?: { id: string; name: string; idShort: number; shortLink: string };
    text?: string;
  };
  memberCreator: { id: string; username: string; fullName: string };
}

export class TrelloBoardState {
  readonly board: { id: string; name: string; url: string; shortLink: string };
  readonly lists: TList[] = [];
  readonly cards = new Map<string, TCard>();
  readonly labels: TLabel[] = [];
  readonly members: TMember[] = [];
  /** Newest last. */
  readonly actions: TAction[] = [];
  private counter = 0;
  private lastMs = 0;
  clockOffsetMs = 0;

  constructor(boardName: string, listNames: string[], usernames: string[]) {
    const id = this.newId();
    this.board = { id, name: boardName, url: `https://trello.com/b/${id.slice(-8)}/board`, shortLink: id.slice(-8) };
    for (const [i, name] of listNames.entries())
      this.lists.push({ id: this.newId(), idBoard: id, name, closed: false, pos: (i + 1) * 16384 });
    for (const username of usernames) this.members.push({ id: this.newId(), username, fullName: username });
  }

  /** Strictly increasing milliseconds, so every action has its own date. */
  nowMs(): number {
    this.lastMs = Math.max(Date.now() + this.clockOffsetMs, this.lastMs + 1);
    return this.lastMs;
  }

  newId(ms = Date.now()): string {
    const ts = Math.floor(ms / 1000)
      .toString(16)
      .padStart(8, '0');
    return ts + (++this.counter).toString(16).padStart(16, '0');
  }

  member(idOrName: string): TMember | undefined {
    return this.members.find((m) => m.id === idOrName || m.username === idOrName);
  }

  list(id: string): TList | undefined {
    return this.lists.find((l) => l.id === id);
  }

  createCard(fields: {
    idList: string;
    name: string;
    desc?: string;
    due?: string | null;
    idMembers?: string[];
    idLabels?: string[];
  }): TCard {
    const ms = this.nowMs();
    const id = this.newId(ms);
    const idShort = this.cards.size + 1;
    const shortLink = id.slice(-8);
    const card: TCard = {
      id,
      idBoard: this.board.id,
      idList: fields.idList,
      idShort,
      shortLink,
      shortUrl: `https://trello.com/c/${shortLink}`,
      url: `https://trello.com/c/${shortLink}/${idShort}`,
      name: fields.name,
      desc: fields.desc ?? '',
      closed: false,
      due: fields.due ?? null,
      dueComplete: false,
      idMembers: fields.idMembers ?? [],
      idLabels: fields.idLabels ?? [],
      labels: [],
      pos: idShort * 16384,
      dateLastActivity: new Date(ms).toISOString(),
      badges: { comments: 0, description: !!fields.desc, due: fields.due ?? null },
    };
    this.syncLabels(card);
    this.cards.set(id, card);
    return card;
  }

  syncLabels(card: TCard): void {
    card.labels = card.idLabels.map((i) => this.labels.find((l) => l.id === i)!).filter(Boolean);
    card.badges.description = card.desc !== '';
    card.badges.due = card.due;
  }

  addLabel(name: string, color: string | null): TLabel {
    const l = { id: this.newId(), idBoard: this.board.id, name, color };
    this.labels.push(l);
    return l;
  }

  /** Record an action on a card and bump its activity date. */
  act(type: string, card: TCard, by: TMember, extra: Record<string, unknown> = {}): TAction {
    const ms = this.nowMs();
    const date = new Date(ms).toISOString();
    card.dateLastActivity = date;
    const list = this.list(card.idList);
    const action: TAction = {
      id: this.newId(ms),
      idMemberCreator: by.id,
      type,
      date,
      data: {
        card: { id: card.id, name: card.name, idShort: card.idShort, shortLink: card.shortLink },
        board: { id: this.board.id, name: this.board.name, shortLink: this.board.shortLink },
        ...(list ? { list: { id: list.id, name: list.name } } : {}),
        ...extra,
      },
      memberCreator: { id: by.id, username: by.username, fullName: by.fullName },
    };
    this.actions.push(action);
    return action;
  }

  comments(cardId: string): TAction[] {
    return this.actions
      .filter((a) => a.type === 'commentCard' && a.data.card?.id === cardId && !a.data.deleted)
      .map((a) => this.commentText(a))
      .reverse();
  }

  /** A comment action as Trello lists it: with its latest text, after any edits. */
  commentText(a: TAction): TAction {
    let text: string | undefined;
    for (const e of this.actions)
      if (e.type === 'updateComment' && (e.data.action as { id: string }).id === a.id)
        text = (e.data.action as { text: string }).text;
    return text === undefined ? a : { ...a, data: { ...a.data, text } };
  }
}

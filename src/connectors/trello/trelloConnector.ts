import {
  ConnectorError,
  splitMarker,
  UnknownUser,
  withMarker,
  type ConnectionConfig,
  type Connector,
  type Cursor,
  type Headers,
  type IssueFields,
  type PullPage,
  type RateBudget,
  type RemoteComment,
  type RemoteIssue,
  type StateCategory,
} from '../connector.js';
import { TrelloClient, type TrelloParams } from './trelloClient.js';
import {
  cardToRemote,
  commentFromTrello,
  dueToTrello,
  listForState,
  stateForList,
  type ListMap,
  type TrelloAction,
  type TrelloCard,
} from './trelloMapping.js';
import { callbackCandidates, parseTrelloWebhook, verifyTrelloSignature } from './trelloWebhook.js';

/** Actions that change what a card looks like to Tack. */
const CARD_ACTIONS =
  'createCard,updateCard,commentCard,updateComment,deleteComment,deleteCard,addMemberToCard,removeMemberFromCard,addLabelToCard,removeLabelFromCard,moveCardToBoard';
const PAGE = 1000;
/** `GET /cards/{id}/actions` answers 50 actions a page, pages 0 to 19 (Trello's OpenAPI). */
const CARD_ACTIONS_PAGE = 50;
const CARD_ACTIONS_LAST_PAGE = 19;
/** The most labels a board has (Trello's per-board limit), all in one `limit=1000` page. */
const LABELS_LIMIT = 1000;
/** Re-read the last two minutes of actions on every pull: Trello's feed is not instant. */
const OVERLAP_MS = 120_000;

interface TrelloCursor {
  since?: string;
  paging?: { querySince: string; before: string };
}

/**
 * Trello boards through the REST API with fetch. Remote ids are card ids; the state is the
 * list (one per category, from `config.lists`); archive is Trello's archive (`closed`),
 * never a delete. Cards carry the Tack id as a marker line in their description.
 */
export class TrelloConnector implements Connector {
  readonly kind = 'trello' as const;
  private readonly client: TrelloClient;
  private readonly lists: ListMap;
  private members?: { id: string; username: string }[];
  private labels?: { id: string; name: string }[];
  private listNames?: Map<string, string>;

  constructor(
    private readonly config: ConnectionConfig,
    private readonly credentials: Record<string, string>,
  ) {
    if (!credentials.key || !credentials.token)
      throw new ConnectorError('missing_credentials', 'Trello needs an API key and token (TRELLO_KEY, TRELLO_TOKEN)');
    this.client = new TrelloClient(config.apiUrl ?? 'https://api.trello.com/1', credentials.key, credentials.token);
    this.lists = config.lists ?? {};
    if (!this.lists.unstarted || !this.lists.completed) {
      throw new ConnectorError(
        'bad_config',
        'a Trello connection needs at least the lists for "unstarted" and "completed"',
        { lists: this.lists },
      );
    }
  }

  /** Requests left of the token's and the app key's windows, as Trello's last answer said. */
  budget(): RateBudget {
    return this.client.budget();
  }

  private get board(): string {
    return this.config.scope;
  }

  async pull(cursor: Cursor | undefined): Promise<PullPage> {
    const c = parseCursor(cursor);
    if (!c.since && !c.paging) return this.pullAll();
    const querySince = c.paging?.querySince ?? new Date(Date.parse(c.since!) - OVERLAP_MS).toISOString();
    const actions = await this.client.request<TrelloAction[]>('GET', `/boards/${this.board}/actions`, {
      since: querySince,
      filter: CARD_ACTIONS,
      limit: PAGE,
      ...(c.paging ? { before: c.paging.before } : {}),
    });
    const cardIds = [...new Set(actions.map((a) => a.data.card?.id).filter((x): x is string => !!x))];
    const items: RemoteIssue[] = [];
    for (const id of cardIds) {
      const r = await this.get(id);
      items.push(r ?? deletedCard(id, actions));
    }
    const newest = [c.since, ...actions.map((a) => a.date)]
      .filter((x): x is string => !!x)
      .sort()
      .at(-1)!;
    const more = actions.length === PAGE;
    const next: TrelloCursor = more
      ? { since: newest, paging: { querySince, before: actions.at(-1)!.id } }
      : { since: newest };
    return {
      items: items.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)),
      nextCursor: JSON.stringify(next),
      more,
    };
  }

  /** The first pull: every card, open and archived; the cursor starts at the newest action. */
  private async pullAll(): Promise<PullPage> {
    const newest = await this.client.request<TrelloAction[]>('GET', `/boards/${this.board}/actions`, { limit: 1 });
    const cards = await this.client.request<TrelloCard[]>('GET', `/boards/${this.board}/cards/all`);
    const items = [];
    for (const card of cards) items.push(await this.withComments(card));
    const since = newest[0]?.date ?? new Date().toISOString();
    return {
      items: items.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)),
      nextCursor: JSON.stringify({ since }),
      more: false,
    };
  }

  async get(remoteId: string): Promise<RemoteIssue | null> {
    try {
      return await this.withComments(await this.client.request<TrelloCard>('GET', `/cards/${remoteId}`));
    } catch (e) {
      if (e instanceof ConnectorError && e.details?.status === 404) return null;
      throw e;
    }
  }

  async create(fields: IssueFields & { title: string }, clientId: string): Promise<RemoteIssue> {
    const params: TrelloParams = {
      idList: this.listFor(fields.state ?? 'unstarted'),
      name: fields.title,
      desc: withMarker(fields.description ?? '', clientId),
      ...(await this.fieldParams(fields)),
    };
    const card = await this.client.request<TrelloCard>('POST', '/cards', params);
    return this.withComments(card);
  }

  async findByMarker(clientId: string): Promise<RemoteIssue | null> {
    const cards = await this.client.request<TrelloCard[]>('GET', `/boards/${this.board}/cards/all`);
    const hit = cards.find((c) => splitMarker(c.desc).tackId === clientId);
    return hit ? this.withComments(hit) : null;
  }

  async update(remoteId: string, patch: IssueFields): Promise<RemoteIssue> {
    const params: TrelloParams = await this.fieldParams(patch);
    if (patch.title !== undefined) params.name = patch.title;
    if (patch.description !== undefined) {
      const current = await this.client.request<TrelloCard>('GET', `/cards/${remoteId}`);
      const marker = splitMarker(current.desc).tackId;
      params.desc = marker ? withMarker(patch.description, marker) : patch.description;
    }
    if (patch.state !== undefined) params.idList = this.listFor(patch.state);
    if (Object.keys(params).length === 0) return (await this.get(remoteId)) ?? this.gone(remoteId);
    return this.withComments(await this.client.request<TrelloCard>('PUT', `/cards/${remoteId}`, params));
  }

  async addComment(remoteId: string, body: string, tackId: string): Promise<RemoteComment> {
    const a = await this.client.request<TrelloAction>('POST', `/cards/${remoteId}/actions/comments`, {
      text: withMarker(body, tackId),
    });
    return commentFromTrello(a);
  }

  async updateComment(remoteId: string, commentId: string, body: string, tackId?: string): Promise<void> {
    await this.client.request('PUT', `/cards/${remoteId}/actions/${commentId}/comments`, {
      text: tackId ? withMarker(body, tackId) : body,
    });
  }

  async close(remoteId: string, reason: 'completed' | 'canceled'): Promise<RemoteIssue> {
    return this.update(remoteId, { state: reason });
  }

  /** Back to the "unstarted" list, out of the archive if it was there. */
  async reopen(remoteId: string): Promise<RemoteIssue> {
    const card = await this.client.request<TrelloCard>('PUT', `/cards/${remoteId}`, {
      idList: this.listFor('unstarted'),
      closed: false,
    });
    return this.withComments(card);
  }

  async archive(remoteId: string): Promise<RemoteIssue> {
    return this.withComments(await this.client.request<TrelloCard>('PUT', `/cards/${remoteId}`, { closed: true }));
  }

  /** Trello signs body + callback URL: the configured one, else Tack's route on this host. */
  verifyWebhook(rawBody: Buffer, headers: Headers): boolean {
    const secret = this.config.webhookSecret ?? this.credentials.secret;
    const configured = this.config.options?.callbackUrl as string | undefined;
    const urls = configured ? [configured] : callbackCandidates(headers);
    return urls.some((url) => verifyTrelloSignature(rawBody, headers, secret, url));
  }

  parseWebhook(rawBody: Buffer, _headers: Headers) {
    return parseTrelloWebhook(rawBody);
  }

  /** Register the board's webhook (Trello first checks the URL answers HEAD with 200). */
  async registerWebhook(callbackUrl: string, description = 'Tack sync'): Promise<{ id: string }> {
    return this.client.request<{ id: string }>('POST', '/webhooks/', {
      callbackURL: callbackUrl,
      idModel: this.board,
      description,
    });
  }

  /** The token's webhook for this board and URL if Trello has one, else a new one. */
  async ensureWebhook(callbackUrl: string): Promise<{ id: string; created: boolean }> {
    const hooks = await this.client.request<{ id: string; idModel: string; callbackURL: string }[]>(
      'GET',
      `/tokens/${this.credentials.token}/webhooks`,
    );
    const found = hooks.find((h) => h.idModel === this.board && h.callbackURL === callbackUrl);
    if (found) return { id: found.id, created: false };
    return { id: (await this.registerWebhook(callbackUrl)).id, created: true };
  }

  /** Categories without a list of their own share a neighbour's: what `s` reads back as. */
  roundTripState(s: StateCategory): StateCategory {
    return stateForList(this.lists, this.listFor(s));
  }

  // -- helpers --

  private listFor(state: StateCategory): string {
    return listForState(this.lists, state)!;
  }

  private gone(remoteId: string): never {
    throw new ConnectorError('not_found', `Trello card ${remoteId} does not exist on board ${this.board} (deleted)`, {
      remoteId,
    });
  }

  /** Members and labels by name → the id lists Trello wants; unknown labels are created. */
  private async fieldParams(f: IssueFields): Promise<TrelloParams> {
    const out: TrelloParams = {};
    if (f.assignee !== undefined) out.idMembers = f.assignee ? [await this.memberId(f.assignee)] : [];
    if (f.labels !== undefined) {
      const ids = [];
      for (const name of f.labels) ids.push(await this.labelId(name));
      out.idLabels = ids;
    }
    if (f.due !== undefined) out.due = dueToTrello(f.due);
    return out;
  }

  private async memberId(username: string): Promise<string> {
    for (const fresh of [false, true]) {
      if (fresh || !this.members) this.members = await this.client.request('GET', `/boards/${this.board}/members`);
      const m = this.members!.find((x) => x.username === username);
      if (m) return m.id;
    }
    throw new UnknownUser(username, `"${username}" is not a member of Trello board ${this.board}`);
  }

  private async labelId(name: string): Promise<string> {
    if (!this.labels)
      this.labels = await this.client.request('GET', `/boards/${this.board}/labels`, { limit: LABELS_LIMIT });
    let l = this.labels!.find((x) => x.name === name);
    if (!l) {
      l = await this.client.request<{ id: string; name: string }>('POST', `/boards/${this.board}/labels`, {
        name,
        color: 'null',
      });
      this.labels!.push(l);
    }
    return l.id;
  }

  private async withComments(card: TrelloCard): Promise<RemoteIssue> {
    if (!this.listNames?.has(card.idList)) {
      const lists = await this.client.request<{ id: string; name: string }[]>('GET', `/boards/${this.board}/lists`);
      this.listNames = new Map(lists.map((l) => [l.id, l.name]));
    }
    if (card.idMembers.some((id) => !this.members?.some((m) => m.id === id)))
      this.members = await this.client.request('GET', `/boards/${this.board}/members`);
    const comments = card.badges?.comments ? await pageComments(this.client, this.board, card.id) : [];
    return cardToRemote(card, {
      lists: this.lists,
      listNames: this.listNames,
      usernames: new Map((this.members ?? []).map((m) => [m.id, m.username])),
      comments: [...comments].sort((a, b) => a.date.localeCompare(b.date)),
    });
  }
}

/**
 * Every comment on a card (Trello pages them, 50 at a time), newest first as Trello lists
 * them; the oldest read so far is where the next page starts.
 */
async function pageComments(client: TrelloClient, board: string, cardId: string): Promise<TrelloAction[]> {
  const all: TrelloAction[] = [];
  for (let page = 0; page <= CARD_ACTIONS_LAST_PAGE; page++) {
    const got = await client.request<TrelloAction[]>('GET', `/cards/${cardId}/actions`, {
      filter: 'commentCard',
      page,
    });
    all.push(...got);
    if (got.length < CARD_ACTIONS_PAGE) return all;
  }
  // Past the card endpoint's last page: the board's action feed for this card, 1000 at a
  // time, each page before the oldest comment read so far.
  for (;;) {
    const got = await client.request<TrelloAction[]>('GET', `/boards/${board}/actions`, {
      filter: 'commentCard',
      idModels: cardId,
      before: all.at(-1)!.id,
      limit: PAGE,
    });
    all.push(...got.filter((a) => a.data.card?.id === cardId));
    if (got.length < PAGE) return all;
  }
}

function parseCursor(cursor: string | undefined): TrelloCursor {
  if (!cursor) return {};
  try {
    return JSON.parse(cursor) as TrelloCursor;
  } catch {
    return {};
  }
}

/** A card that is gone (deleted on Trello): reported so the engine cancels its ticket. */
function deletedCard(id: string, actions: TrelloAction[]): RemoteIssue {
  const del = actions.find((a) => a.type === 'deleteCard' && a.data.card?.id === id);
  const at = del?.date ?? new Date().toISOString();
  return {
    id,
    key: del?.data.card?.shortLink ?? id,
    url: '',
    title: '',
    description: '',
    state: 'canceled',
    createdAt: at,
    updatedAt: at,
    deleted: true,
  };
}

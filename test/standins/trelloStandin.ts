import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrelloRate, type TrelloRateOptions } from './trelloStandinRate.js';
import { TrelloSpec } from './trelloStandinSpec.js';
import { TrelloBoardState, type TAction, type TCard, type TMember } from './trelloStandinState.js';
import {
  HttpError,
  json,
  parseBody,
  signTrello,
  text,
  TrelloHooks,
  type TrelloDelivery,
} from './trelloStandinHooks.js';

export type { TrelloDelivery } from './trelloStandinHooks.js';

/**
 * A local stand-in for Trello's REST API on 127.0.0.1. Every request is validated against
 * Trello's OpenAPI document (path template, method, declared parameters, required ones,
 * enums, id patterns; 400 otherwise) and the subset a connector needs is executed over an
 * in-memory board: lists, cards (create, update, archive, delete), labels, members,
 * comments (commentCard actions), `GET /boards/{id}/actions?since=`, webhooks (HEAD check
 * of the callback on creation, then POSTs signed `X-Trello-Webhook: base64 HMAC-SHA1(body +
 * callbackURL)` with the app secret). Tests can inject 429s and 5xx failures. Requests are
 * counted against a token's and an app key's windows, with Trello's rate-limit headers and
 * 429s (`trelloStandinRate.ts`).
 */

export interface TrelloStandinOptions {
  key?: string;
  token?: string;
  /** The app secret that signs webhooks. */
  secret?: string;
  lists?: string[];
  members?: string[];
  /** The member the token belongs to. */
  tokenMember?: string;
  holdWebhooks?: boolean;
  /** Request budgets (default: far above Trello's, so only budget tests are paced). */
  rate?: TrelloRateOptions;
}

type Params = Record<string, string>;
interface Ctx {
  op: string;
  path: Record<string, string>;
  params: Params;
  res: ServerResponse;
}

export class TrelloStandin {
  readonly state: TrelloBoardState;
  readonly spec = new TrelloSpec();
  readonly requests: { method: string; path: string; status: number; problems?: string[] }[] = [];
  readonly hooks: TrelloHooks;
  readonly rate: TrelloRate;
  private failures: { status: number; retryAfter?: number }[] = [];
  /** Cards deleted so far (they no longer exist, but did). */
  deletedCards = 0;
  private server: Server;
  url = '';

  constructor(readonly opts: TrelloStandinOptions = {}) {
    this.state = new TrelloBoardState(
      'Tack',
      opts.lists ?? ['Backlog', 'To Do', 'Doing', 'Done', "Won't do"],
      opts.members ?? ['tack-bot', 'alice', 'bob'],
    );
    this.hooks = new TrelloHooks(opts.secret ?? '', opts.holdWebhooks);
    this.rate = new TrelloRate(opts.rate);
    this.server = createServer((req, res) => void this.dispatch(req, res));
  }

  get webhooks() {
    return this.hooks.webhooks;
  }

  get deliveries(): TrelloDelivery[] {
    return this.hooks.deliveries;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/1`;
    return this;
  }

  async close(): Promise<void> {
    await this.hooks.settled();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get boardId(): string {
    return this.state.board.id;
  }

  listId(name: string): string {
    const l = this.state.lists.find((x) => x.name === name);
    if (!l) throw new Error(`no list ${name}`);
    return l.id;
  }

  fail(status: number, count = 1, retryAfter?: number): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, retryAfter });
  }

  pendingFailures(): number {
    return this.failures.length;
  }

  /** Requests refused for not matching Trello's OpenAPI document. */
  violations(): string[] {
    return this.requests
      .filter((r) => r.problems?.length)
      .map((r) => `${r.method} ${r.path}: ${r.problems!.join('; ')}`);
  }

  /** Requests that changed something: the "no loops" count. */
  writes(): number {
    return this.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length;
  }

  /** A webhook on the board as if registered already (null: remove them all). */
  pointWebhook(callbackURL: string | null, secret: string): void {
    this.webhooks.length = 0;
    this.hooks.secret = secret;
    if (callbackURL)
      this.webhooks.push({
        id: this.state.newId(),
        idModel: this.boardId,
        callbackURL,
        active: true,
        description: 'test',
      });
  }

  sign(body: string, callbackURL: string, secret = this.hooks.secret): string {
    return signTrello(body, callbackURL, secret, this.hooks.encoding);
  }

  // -- a person using trello.com --

  remoteCreate(fields: { list: string; name: string; desc?: string }, by = 'alice'): TCard {
    const card = this.state.createCard({ idList: this.listId(fields.list), name: fields.name, desc: fields.desc });
    this.emit(this.state.act('createCard', card, this.who(by)));
    return card;
  }

  remoteUpdate(
    cardId: string,
    patch: {
      name?: string;
      desc?: string;
      list?: string;
      closed?: boolean;
      due?: string | null;
      members?: string[];
      labels?: string[];
    },
    by = 'alice',
  ): void {
    const p: Params = {};
    if (patch.members) p.idMembers = patch.members.map((m) => this.who(m).id).join(',');
    if (patch.labels)
      p.idLabels = patch.labels
        .map((n) => (this.state.labels.find((l) => l.name === n) ?? this.state.addLabel(n, 'green')).id)
        .join(',');
    if (patch.name !== undefined) p.name = patch.name;
    if (patch.desc !== undefined) p.desc = patch.desc;
    if (patch.list !== undefined) p.idList = this.listId(patch.list);
    if (patch.closed !== undefined) p.closed = String(patch.closed);
    if (patch.due !== undefined) p.due = patch.due ?? '';
    this.updateCard(this.state.cards.get(cardId)!, p, this.who(by));
  }

  remoteComment(cardId: string, text: string, by = 'alice'): string {
    const card = this.state.cards.get(cardId)!;
    card.badges.comments++;
    const a = this.state.act('commentCard', card, this.who(by), { text });
    this.emit(a);
    return a.id;
  }

  /** A person edits a comment (an `updateComment` action, as Trello records it). */
  remoteEditComment(cardId: string, actionId: string, text: string, by = 'alice'): void {
    const card = this.state.cards.get(cardId)!;
    const old = this.state.comments(cardId).find((a) => a.id === actionId)!;
    this.emit(
      this.state.act('updateComment', card, this.who(by), {
        action: { id: actionId, text },
        old: { text: old.data.text },
      }),
    );
  }

  remoteDelete(cardId: string, by = 'alice'): void {
    const card = this.state.cards.get(cardId)!;
    const a = this.state.act('deleteCard', card, this.who(by));
    this.state.cards.delete(cardId);
    this.deletedCards++;
    this.emit(a);
  }

  flushWebhooks(order: 'sent' | 'reversed' = 'sent'): Promise<TrelloDelivery[]> {
    return this.hooks.flush(order);
  }

  /** Send a delivery again, or any delivery as given (forged signatures in tests). */
  redeliver(d: TrelloDelivery): Promise<number> {
    return this.hooks.send(d);
  }

  settled(): Promise<void> {
    return this.hooks.settled();
  }

  // -- HTTP --

  private who(name: string): TMember {
    const m = this.state.member(name);
    if (!m) throw new Error(`no member ${name}`);
    return m;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const log: TrelloStandin['requests'][number] = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      status: 0,
    };
    this.requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    try {
      const params: Params = Object.fromEntries(url.searchParams);
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw) Object.assign(params, parseBody(raw, req.headers['content-type']));
      if (this.opts.key && (params.key !== this.opts.key || params.token !== this.opts.token))
        return text(res, 401, 'invalid key');
      const failure = this.failures.shift();
      if (failure) {
        if (failure.retryAfter !== undefined) res.setHeader('retry-after', String(failure.retryAfter));
        return failure.status === 429
          ? json(res, 429, { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' })
          : text(res, failure.status, 'Internal Server Error');
      }
      if (this.rate.refuse(res)) return;
      const pathname = url.pathname.replace(/^\/1(?=\/)/, '');
      const check = this.spec.check(req.method ?? 'GET', pathname, params);
      if (check.problems.length || !check.matched) {
        log.problems = check.problems;
        return text(res, check.status, check.problems.join('; '));
      }
      delete params.key;
      delete params.token;
      await this.execute({ op: check.matched.operationId, path: check.matched.path, params, res });
    } catch (e) {
      if (e instanceof HttpError) text(res, e.status, e.message);
      else text(res, 500, String(e));
    }
  }

  private async execute(c: Ctx): Promise<void> {
    const s = this.state;
    const me = this.who(this.opts.tokenMember ?? 'tack-bot');
    switch (c.op) {
      case 'get-boards-id':
        return json(c.res, 200, this.board(c.path.id));
      case 'get-boards-id-lists':
        this.board(c.path.id);
        return json(
          c.res,
          200,
          s.lists.filter((l) => !l.closed),
        );
      case 'get-boards-id-members':
        this.board(c.path.id);
        return json(c.res, 200, s.members);
      case 'get-boards-id-labels':
        this.board(c.path.id);
        return json(c.res, 200, s.labels.slice(0, Number(c.params.limit ?? 50)));
      case 'post-boards-id-labels':
        this.board(c.path.id);
        if (
          c.params.color !== 'null' &&
          !['yellow', 'purple', 'blue', 'red', 'green', 'orange', 'black', 'sky', 'pink', 'lime'].includes(
            c.params.color,
          )
        )
          throw new HttpError(400, 'invalid value for color');
        return json(c.res, 200, s.addLabel(c.params.name, c.params.color === 'null' ? null : c.params.color));
      case 'get-boards-id-cards':
      case 'get-boards-id-cards-filter': {
        this.board(c.path.id);
        const f = c.path.filter ?? 'visible';
        const all = [...s.cards.values()];
        return json(
          c.res,
          200,
          f === 'all' ? all : f === 'closed' ? all.filter((x) => x.closed) : all.filter((x) => !x.closed),
        );
      }
      case 'get-boards-id-actions':
        this.board(c.path.boardId);
        return json(c.res, 200, this.boardActions(c.params));
      case 'post-cards':
        return this.createCard(c, me);
      case 'get-cards-id':
        return json(c.res, 200, this.card(c.path.id));
      case 'put-cards-id':
        return json(c.res, 200, this.updateCard(this.card(c.path.id), c.params, me));
      case 'delete-cards-id': {
        const card = this.card(c.path.id);
        const a = s.act('deleteCard', card, me);
        s.cards.delete(card.id);
        this.deletedCards++;
        this.emit(a);
        return json(c.res, 200, { limits: {} });
      }
      case 'get-cards-id-actions': {
        const card = this.card(c.path.id);
        const types = (c.params.filter ?? 'commentCard,updateCard:idList')
          .split(',')
          .map((t) => t.trim().split(':')[0]);
        const page = Number(c.params.page ?? 0);
        const acts = types.includes('commentCard') ? s.comments(card.id) : [];
        return json(c.res, 200, acts.slice(page * 50, page * 50 + 50));
      }
      case 'post-cards-id-actions-comments': {
        const card = this.card(c.path.id);
        card.badges.comments++;
        const a = s.act('commentCard', card, me, { text: c.params.text });
        this.emit(a);
        return json(c.res, 200, a);
      }
      case 'put-cards-id-actions-idaction-comments': {
        const card = this.card(c.path.id);
        const orig = s.actions.find((a) => a.id === c.path.idAction && a.type === 'commentCard');
        if (!orig) throw new HttpError(404, 'action not found');
        const a = s.act('updateComment', card, me, {
          action: { id: orig.id, text: c.params.text },
          old: { text: s.comments(card.id).find((x) => x.id === orig.id)?.data.text },
        });
        this.emit(a);
        return json(c.res, 200, { ...orig, data: { ...orig.data, text: c.params.text } });
      }
      case 'post-webhooks':
        return this.createWebhook(c);
      case 'get-tokens-token-webhooks':
        return json(c.res, 200, this.webhooks);
      case 'delete-webhooks-id': {
        const i = this.webhooks.findIndex((w) => w.id === c.path.id);
        if (i < 0) throw new HttpError(404, 'webhook not found');
        this.webhooks.splice(i, 1);
        return json(c.res, 200, {});
      }
      default:
        throw new HttpError(501, `the stand-in does not implement ${c.op}`);
    }
  }

  private board(id: string) {
    if (id !== this.state.board.id && id !== this.state.board.shortLink) throw new HttpError(404, 'board not found');
    return { ...this.state.board, desc: '', closed: false };
  }

  private card(id: string): TCard {
    const card = this.state.cards.get(id) ?? [...this.state.cards.values()].find((x) => x.shortLink === id);
    if (!card) throw new HttpError(404, 'The requested resource was not found.');
    return card;
  }

  /** Newest first, like Trello; `since`/`before` take a date or an action id. */
  private boardActions(p: Params): TAction[] {
    const bound = (v: string | undefined) =>
      v === undefined ? undefined : /^[0-9a-f]{24}$/.test(v) ? this.state.actions.find((a) => a.id === v)?.date : v;
    const since = bound(p.since);
    const before = bound(p.before);
    const types = p.filter && p.filter !== 'all' ? new Set(p.filter.split(',')) : null;
    const models = p.idModels ? new Set(p.idModels.split(',')) : null;
    const limit = Number(p.limit ?? 50);
    if (!(limit >= 0 && limit <= 1000)) throw new HttpError(400, 'invalid value for limit');
    const text = (a: TAction) => (a.type === 'commentCard' ? this.state.commentText(a) : a);
    return this.state.actions
      .filter((a) => (!since || a.date > since) && (!before || a.date < before) && (!types || types.has(a.type)))
      .filter((a) => !models || models.has(a.data.card?.id ?? ''))
      .map(text)
      .reverse()
      .slice(0, limit);
  }

  private ids(value: string | undefined, kind: 'member' | 'label'): string[] | undefined {
    if (value === undefined) return undefined;
    const ids = value.split(',').filter(Boolean);
    for (const id of ids) {
      const ok =
        kind === 'member' ? this.state.members.some((m) => m.id === id) : this.state.labels.some((l) => l.id === id);
      if (!ok) throw new HttpError(400, `invalid value for id${kind === 'member' ? 'Members' : 'Labels'}: ${id}`);
    }
    return ids;
  }

  private createCard(c: Ctx, me: TMember): void {
    const p = c.params;
    if (!this.state.list(p.idList)) throw new HttpError(400, 'invalid value for idList');
    const card = this.state.createCard({
      idList: p.idList,
      name: p.name ?? '',
      desc: p.desc,
      due: p.due || null,
      idMembers: this.ids(p.idMembers, 'member'),
      idLabels: this.ids(p.idLabels, 'label'),
    });
    this.emit(this.state.act('createCard', card, me));
    json(c.res, 200, card);
  }

  private updateCard(card: TCard, p: Params, by: TMember): TCard {
    const old: Record<string, unknown> = {};
    const set = <K extends keyof TCard>(k: K, v: TCard[K]) => {
      if (JSON.stringify(card[k]) !== JSON.stringify(v)) (old[k] = card[k]), (card[k] = v);
    };
    if (p.idList !== undefined && !this.state.list(p.idList)) throw new HttpError(400, 'invalid value for idList');
    if (p.name !== undefined) set('name', p.name);
    if (p.desc !== undefined) set('desc', p.desc);
    if (p.closed !== undefined) set('closed', p.closed === 'true');
    if (p.idList !== undefined) set('idList', p.idList);
    if (p.due !== undefined) set('due', p.due === '' || p.due === 'null' ? null : new Date(p.due).toISOString());
    if (p.dueComplete !== undefined) set('dueComplete', p.dueComplete === 'true');
    const members = this.ids(p.idMembers, 'member');
    if (members) set('idMembers', members);
    const labels = this.ids(p.idLabels, 'label');
    if (labels) set('idLabels', labels);
    this.state.syncLabels(card);
    if (Object.keys(old).length) {
      const listBefore = old.idList ? this.state.list(old.idList as string) : undefined;
      this.emit(
        this.state.act('updateCard', card, by, {
          old,
          ...(listBefore ? { listBefore: { id: listBefore.id, name: listBefore.name } } : {}),
        }),
      );
    }
    return card;
  }

  /** Trello checks the callback answers HEAD with 200 before it saves the webhook. */
  private async createWebhook(c: Ctx): Promise<void> {
    const { callbackURL, idModel, description = '' } = c.params;
    if (idModel !== this.state.board.id) throw new HttpError(400, 'invalid value for idModel');
    if (this.webhooks.some((w) => w.idModel === idModel && w.callbackURL === callbackURL))
      throw new HttpError(400, 'A webhook with that callback, model, and token already exists');
    const head = await fetch(callbackURL, { method: 'HEAD' }).then(
      (r) => r.status,
      () => 0,
    );
    if (head !== 200) throw new HttpError(400, `URL (${callbackURL}) did not return 200 status code, got ${head}`);
    const hook = {
      id: this.state.newId(),
      idModel,
      callbackURL,
      active: c.params.active !== 'false',
      description,
      consecutiveFailures: 0,
      firstConsecutiveFailDate: null,
    };
    this.webhooks.push(hook);
    json(c.res, 200, hook);
  }

  private emit(action: TAction): void {
    const model = this.board(this.state.board.id);
    this.hooks.emit((hook) => ({
      action,
      model,
      webhook: { id: hook.id, idModel: hook.idModel, description: hook.description },
    }));
  }
}

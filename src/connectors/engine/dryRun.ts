import type { Connector, IssueFields, RemoteComment, RemoteIssue } from '../connector.js';
import {
  ConnectionStore,
  type BaseSnapshot,
  type Connection,
  type ConnectionState,
  type PendingCreate,
} from './connectionStore.js';
import type { ConnectorKind } from '../connector.js';
import type { Store } from '../../store/store.js';

/** One change a pass would make: on this store (`local`) or on the service (`remote`). */
export interface PlanEntry {
  /** `skip`: a remote item outside the connection's `--pull-filter`, not imported. */
  action: 'create' | 'update' | 'close' | 'skip';
  /** The Tack ticket, when known. */
  ticket?: string;
  /** The remote issue's key ("#12", "ENG-3"), when it exists already. */
  remote?: string;
  title?: string;
  /** The fields written (remote updates), or what changed. */
  fields?: string[];
}

export interface SyncPlan {
  local: PlanEntry[];
  remote: PlanEntry[];
}

export const emptyPlan = (): SyncPlan => ({ local: [], remote: [] });

const CLOSED = new Set(['completed', 'canceled']);

/**
 * The connection's files as a pass would leave them, kept in memory: a dry run reads the
 * real cursor, bases and pending creates and writes nothing under .git/tack/.
 */
export class DryConnectionStore extends ConnectionStore {
  private readonly baseOverlay = new Map<string, BaseSnapshot | null>();
  private readonly pendingOverlay = new Map<string, PendingCreate | null>();
  private readonly stateOverlay = new Map<string, Partial<ConnectionState>>();

  constructor(store: Store) {
    super(store);
  }

  override get(kind: ConnectorKind): Connection {
    const c = super.get(kind);
    return { ...c, state: { ...c.state, ...this.stateOverlay.get(kind) } };
  }
  override save(): void {}
  override saveCredentials(): void {}
  override updateState(kind: ConnectorKind, patch: Partial<ConnectionState>): void {
    this.stateOverlay.set(kind, { ...this.stateOverlay.get(kind), ...patch });
  }
  override base(kind: ConnectorKind, ticket: string): BaseSnapshot | null {
    const k = `${kind}:${ticket}`;
    return this.baseOverlay.has(k) ? this.baseOverlay.get(k)! : super.base(kind, ticket);
  }
  override saveBase(kind: ConnectorKind, ticket: string, b: BaseSnapshot): void {
    this.baseOverlay.set(`${kind}:${ticket}`, b);
  }
  override dropBase(kind: ConnectorKind, ticket: string): void {
    this.baseOverlay.set(`${kind}:${ticket}`, null);
  }
  override pending(kind: ConnectorKind): PendingCreate[] {
    const real = super.pending(kind).filter((p) => !this.pendingOverlay.has(`${kind}:${p.ticket}`));
    const added = [...this.pendingOverlay.entries()]
      .filter(([k, p]) => k.startsWith(`${kind}:`) && p)
      .map(([, p]) => p!);
    return [...real, ...added];
  }
  override addPending(kind: ConnectorKind, p: PendingCreate): void {
    this.pendingOverlay.set(`${kind}:${p.ticket}`, p);
  }
  override dropPending(kind: ConnectorKind, ticket: string): void {
    this.pendingOverlay.set(`${kind}:${ticket}`, null);
  }
}

/**
 * The connector with every write replaced by an entry in `plan` and an answer made up
 * from what was asked (reads go to the service): a dry run runs the real pass, so what
 * it prints is what a real pass would do, and the service sees only GETs.
 */
export function dryConnector(real: Connector, plan: SyncPlan): Connector {
  const made = new Map<string, RemoteIssue>();
  const keys = new Map<string, string>();
  let n = 0;
  const now = () => new Date().toISOString();
  const current = async (id: string) => made.get(id) ?? (await real.get(id));
  const written = async (id: string, fields: IssueFields): Promise<RemoteIssue> => {
    const before = await current(id);
    const after = { ...(before as RemoteIssue), ...fields, id, updatedAt: now() } as RemoteIssue;
    made.set(id, after);
    return after;
  };
  const key = (id: string) => keys.get(id) ?? made.get(id)?.key ?? id;
  const overrides: Partial<Connector> = {
    async get(id) {
      return current(id);
    },
    async create(fields, clientId) {
      const id = `dry-${++n}`;
      const r: RemoteIssue = {
        id,
        key: `(new ${n})`,
        url: '',
        description: '',
        state: 'unstarted',
        createdAt: now(),
        updatedAt: now(),
        comments: [],
        ...fields,
      } as RemoteIssue;
      made.set(id, r);
      plan.remote.push({ action: 'create', ticket: clientId, title: fields.title, fields: Object.keys(fields) });
      return r;
    },
    async update(id, patch) {
      const r = await written(id, patch);
      const closes = patch.state !== undefined && CLOSED.has(patch.state);
      plan.remote.push({
        action: closes ? 'close' : 'update',
        remote: key(id),
        title: r.title,
        fields: Object.keys(patch),
      });
      return r;
    },
    async close(id, reason) {
      const r = await written(id, { state: reason });
      plan.remote.push({ action: 'close', remote: key(id), title: r.title });
      return r;
    },
    async reopen(id) {
      const r = await written(id, { state: 'unstarted' });
      plan.remote.push({ action: 'update', remote: key(id), title: r.title, fields: ['state'] });
      return r;
    },
    async archive(id) {
      const r = await written(id, {});
      r.archived = true;
      plan.remote.push({ action: 'close', remote: key(id), title: r.title, fields: ['archived'] });
      return r;
    },
    async addComment(id, body, tackId): Promise<RemoteComment> {
      plan.remote.push({ action: 'update', remote: key(id), fields: ['comment'] });
      return { id: `dry-c-${++n}`, author: '', body, createdAt: now(), tackId };
    },
  };
  if (real.updateComment)
    overrides.updateComment = async (id) => {
      plan.remote.push({ action: 'update', remote: key(id), fields: ['comment'] });
    };
  if (real.setRelations)
    overrides.setRelations = async (id) => {
      plan.remote.push({ action: 'update', remote: key(id), fields: ['relations'] });
    };
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof Connector];
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

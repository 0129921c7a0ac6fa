import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../../model/errors.js';
import type { Store } from '../../store/store.js';
import type { ConnectionConfig, ConnectorKind, Cursor, RateBudget } from '../connector.js';
import type { LocalView } from './localView.js';
import type { Reconciliation } from './reconciliationTally.js';

/**
 * A clone's connection state, kept beside the index in the common git dir (never
 * committed, never pushed): the configs (`connections.json`), the credentials
 * (`credentials.json`, mode 600), and per connection the base snapshot of every synced
 * ticket (what both sides agreed on at the last sync, the base of the three-way merge)
 * and pending creates (written before the remote call, so a crash cannot duplicate).
 * What every clone must know, the ticket ↔ remote issue mapping, is in git instead.
 */
export interface ConnectionState {
  cursor?: Cursor;
  lastSync?: string;
  lastError?: string | null;
  /** Problems of the last pass (unknown users, refused writes), for `tack connections`. */
  errors: string[];
  /** Conflicts recorded in tickets by sync passes so far. */
  conflicts: number;
  /** What the last full pass proved about the remote items it read. */
  reconciliation?: Reconciliation;
  /** The service's budgets as its last answer of a pass gave them (when it reports them). */
  budget?: RateBudget;
}

export interface Connection {
  config: ConnectionConfig;
  state: ConnectionState;
}

/** What both sides agreed on at the last sync of one ticket. */
export interface BaseSnapshot {
  remoteId: string;
  /** The remote's `updatedAt` after our last write or read: a pull with it is our echo. */
  remoteUpdatedAt: string;
  view: LocalView;
  /** Remote comment id → local comment id. */
  comments: Record<string, string>;
  /** The ticket was in archive/ (and the remote issue archived) at that sync. */
  archived?: boolean;
  /**
   * Deleted here and archived remotely: kept only so the archived remote issue is never
   * imported back as a new ticket.
   */
  tombstone?: boolean;
}

export interface PendingCreate {
  ticket: string;
  startedAt: string;
}

const write = (file: string, data: unknown, mode?: number) => {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, mode ? { mode } : {});
  renameSync(tmp, file); // atomic: a crash leaves the old or the new file, never half of one
};
const read = <T>(file: string, fallback: T): T =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;

export class ConnectionStore {
  readonly dir: string;

  constructor(store: Store) {
    this.dir = join(store.repo.commonDir, 'tack');
    mkdirSync(this.dir, { recursive: true });
  }

  private get file() {
    return join(this.dir, 'connections.json');
  }

  all(): Record<string, Connection> {
    return read<{ connections: Record<string, Connection> }>(this.file, { connections: {} }).connections;
  }

  get(kind: ConnectorKind): Connection {
    const c = this.all()[kind];
    if (!c)
      throw new TackError('not_found', `no ${kind} connection in this clone; run \`tack connect ${kind} ...\` first`, {
        kind,
      });
    return c;
  }

  save(kind: ConnectorKind, c: Connection): void {
    write(this.file, { connections: { ...this.all(), [kind]: c } });
  }

  updateState(kind: ConnectorKind, patch: Partial<ConnectionState>): void {
    const c = this.get(kind);
    this.save(kind, { ...c, state: { ...c.state, ...patch } });
  }

  /** Credentials: the environment wins (LINEAR_API_KEY ...), then credentials.json. */
  credentials(kind: ConnectorKind): Record<string, string> {
    return read<Record<string, Record<string, string>>>(join(this.dir, 'credentials.json'), {})[kind] ?? {};
  }

  saveCredentials(kind: ConnectorKind, creds: Record<string, string>): void {
    const file = join(this.dir, 'credentials.json');
    write(file, { ...read<Record<string, unknown>>(file, {}), [kind]: creds }, 0o600);
  }

  private sub(kind: ConnectorKind, what: 'base' | 'pending'): string {
    const d = join(this.dir, 'connectors', kind, what);
    mkdirSync(d, { recursive: true });
    return d;
  }

  base(kind: ConnectorKind, ticket: string): BaseSnapshot | null {
    return read<BaseSnapshot | null>(join(this.sub(kind, 'base'), `${ticket}.json`), null);
  }

  saveBase(kind: ConnectorKind, ticket: string, b: BaseSnapshot): void {
    write(join(this.sub(kind, 'base'), `${ticket}.json`), b);
  }

  dropBase(kind: ConnectorKind, ticket: string): void {
    rmSync(join(this.sub(kind, 'base'), `${ticket}.json`), { force: true });
  }

  bases(kind: ConnectorKind): string[] {
    return readdirSync(this.sub(kind, 'base'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
  }

  pending(kind: ConnectorKind): PendingCreate[] {
    const d = this.sub(kind, 'pending');
    return readdirSync(d)
      .filter((f) => f.endsWith('.json'))
      .map((f) => read<PendingCreate>(join(d, f), { ticket: f.slice(0, -5), startedAt: '' }));
  }

  addPending(kind: ConnectorKind, p: PendingCreate): void {
    write(join(this.sub(kind, 'pending'), `${p.ticket}.json`), p);
  }

  dropPending(kind: ConnectorKind, ticket: string): void {
    rmSync(join(this.sub(kind, 'pending'), `${ticket}.json`), { force: true });
  }
}

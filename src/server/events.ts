/** What the live stream says happened to a ticket (or the store). */
export type EventType = 'created' | 'updated' | 'deleted' | 'commented' | 'claimed' | 'synced' | 'problem' | 'reset';

export interface TackEvent {
  /** Monotonic within a server run; also the SSE `id:` (for Last-Event-ID). */
  id: number;
  type: EventType;
  ticket: string | null;
  /** The commit that made the change; null for an uncommitted edit of a checked-out file. */
  commit: string | null;
  fields: string[];
  /** True for an edit seen on disk and not committed yet. */
  uncommitted?: boolean;
  op?: string | null;
  author?: string;
  time: string;
  message?: string;
}

export type EventInput = Omit<TackEvent, 'id' | 'time'> & { time?: string };

/**
 * The event log of one server run: ids grow by one, starting from the boot time in ms so
 * an id from an earlier run is recognisably older than any of this run; the last
 * `capacity` events are kept for clients that reconnect with Last-Event-ID.
 */
export class EventLog {
  private buffer: TackEvent[] = [];
  private next: number;
  private readonly first: number;
  private listeners = new Set<(e: TackEvent) => void>();

  constructor(
    private readonly capacity = 1000,
    start = Date.now(),
  ) {
    this.first = start;
    this.next = start;
  }

  emit(input: EventInput): TackEvent {
    const e: TackEvent = { ...input, id: this.next++, time: input.time ?? new Date().toISOString() };
    this.buffer.push(e);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const l of this.listeners) l(e);
    return e;
  }

  /** The id the next event will get minus one: what a fresh client has "seen". */
  lastId(): number {
    return this.next - 1;
  }

  /**
   * Events after `lastId`, or null when they cannot all be replayed (the id is from an
   * earlier run, or older than the buffer): the client must re-read everything.
   */
  since(lastId: number): TackEvent[] | null {
    if (!Number.isFinite(lastId) || lastId < this.first - 1 || lastId > this.lastId()) return null;
    const oldest = this.buffer[0]?.id ?? this.next;
    if (lastId < oldest - 1) return null;
    return this.buffer.filter((e) => e.id > lastId);
  }

  subscribe(fn: (e: TackEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

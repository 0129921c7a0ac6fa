import { useSyncExternalStore } from 'react';
import { get, getPage, prefetch, type Schema, type Ticket, ticketPath, token } from './api';
import { FIRST_SCREEN, setPriorityOrder } from './ticketOrder';

// One copy of every ticket's summary, kept current by the server's event stream.
// Views read it through useTickets(); a change re-renders them, nothing is polled.

interface State {
  tickets: Map<string, Ticket>;
  schema: Schema | null;
  loaded: boolean;
  /** Bumped on every change: memoised views key on it. */
  rev: number;
  live: boolean;
  /** The list's first screen (FIRST_SCREEN), shown until every summary is in. */
  first: FirstScreen | null;
}

export interface FirstScreen {
  tickets: Ticket[];
  /** How many open tickets the whole list has. */
  total: number;
}

let state: State = { tickets: new Map(), schema: null, loaded: false, rev: 0, live: false, first: null };
const listeners = new Set<() => void>();
const ticketListeners = new Set<(id: string | null) => void>();

function set(patch: Partial<State>) {
  state = { ...state, ...patch, rev: state.rev + 1 };
  for (const l of listeners) l();
}

export function useStore(): State {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => state,
  );
}

export const getState = () => state;

/** Called with a ticket id when that ticket changed (null: anything may have). */
export function onTicketChange(fn: (id: string | null) => void): () => void {
  ticketListeners.add(fn);
  return () => ticketListeners.delete(fn);
}

let firstShown: () => void = () => {};
const shown = new Promise<void>((r) => (firstShown = r));
/** A page that shows before the summaries (see loadFirst) calls this once its own data is read (or failed to be). */
export const markShown = (): void => firstShown();

/**
 * The first load. The schema (small) is set as soon as it arrives. A page that reads its own
 * data (a ticket link, the graphs, the docs: `standalone`) shows with the schema, and the
 * summaries of every ticket (megabytes at 10,000, and the server's busiest answer, parsed on
 * the page's one thread) are asked for only once that page has called markShown, so its own
 * answer comes first and it paints at once. The unfiltered list paints its first screen
 * (showFirstScreen) before reading the summaries.
 */
export async function loadFirst(ticketPath: string | null, standalone: boolean, firstScreen: boolean): Promise<void> {
  if (ticketPath) prefetch(ticketPath); // in parallel with the schema, not after it
  const schema = schemaOnce();
  if (!firstScreen) firstSet();
  if (standalone) {
    await schema;
    await shown;
  } else if (firstScreen) await showFirstScreen(schema);
  await reloadAll();
}

/**
 * The list's first rows from a small answer, painted before the whole list (megabytes at
 * 10,000 tickets) is parsed and sorted on this thread: its answer is read only once the
 * first screen is on the screen.
 */
async function showFirstScreen(schema: Promise<Schema>): Promise<void> {
  try {
    const [page] = await Promise.all([getPage<Ticket>(FIRST_SCREEN), schema]);
    if (state.loaded) return;
    set({ first: { tickets: page.items, total: page.total } });
    firstSet();
    await painted();
  } catch {
    // The whole list follows, and says what failed.
  } finally {
    firstSet();
  }
}

let firstSet: () => void = () => {};
/** Settles once the list's first screen is in the store, or will not be (main.tsx waits a moment for it). */
export const firstScreenSet = new Promise<void>((done) => (firstSet = done));

/** After the next frame; a hidden tab draws none, so not longer than 100 ms. */
const painted = () =>
  new Promise<void>((done) => {
    requestAnimationFrame(() => setTimeout(done, 0));
    setTimeout(done, 100);
  });

let schemaAnswer: Promise<Schema> | null = null;
/** The schema, asked for once (again after a failure). */
function schemaOnce(): Promise<Schema> {
  schemaAnswer ??= get<Schema>('/api/schema').then(
    (schema) => (setPriorityOrder(schema.priorities), set({ schema }), schema),
    (e) => {
      schemaAnswer = null;
      throw e;
    },
  );
  return schemaAnswer;
}

/** Every ticket's summary, and the schema when not yet read. */
export async function reloadAll(): Promise<void> {
  const [tickets, schema] = await Promise.all([
    get<Ticket[]>('/api/tickets?all=true&limit=0'),
    state.schema ?? schemaOnce(),
  ]);
  set({ tickets: new Map(tickets.map((t) => [t.id, t])), schema, loaded: true, first: null });
}

/** Put a ticket (from a write's answer or a re-read) into the store. */
export function putTicket(t: Ticket): void {
  const tickets = new Map(state.tickets);
  tickets.set(t.id, summaryOf(t));
  set({ tickets });
}

function summaryOf(t: Ticket): Ticket {
  const {
    id,
    short_id,
    title,
    type,
    status,
    category,
    priority,
    labels,
    assignee,
    parent,
    project,
    created,
    updated,
    rank,
    version,
  } = t;
  return {
    id,
    short_id,
    title,
    type,
    status,
    category,
    priority,
    labels,
    assignee,
    parent,
    project,
    created,
    updated,
    rank,
    version,
  };
}

// Tickets the event stream said were deleted: dropped without asking the server (a 404).
const deleted = new Set<string>();
/** Did the event stream say this ticket was deleted (and not made again since)? */
export const wasDeleted = (id: string): boolean => deleted.has(id);

async function refreshTickets(ids: string[]): Promise<void> {
  const tickets = new Map(state.tickets);
  await Promise.all(
    ids.map(async (id) => {
      if (deleted.has(id)) return void tickets.delete(id);
      try {
        const t = await get<Ticket>(ticketPath(id));
        // Archived: out of the lists, as the server's list leaves it out.
        if (t.archived) tickets.delete(id);
        else tickets.set(id, summaryOf(t));
      } catch {
        tickets.delete(id); // deleted (404)
      }
    }),
  );
  set({ tickets });
}

let pending = new Set<string>();
let pendingAll = false;
let timer: ReturnType<typeof setTimeout> | null = null;

/** Events come in bursts (a sync, a batch): gather them, then re-read once. */
function schedule(id: string | null) {
  if (id) pending.add(id);
  else pendingAll = true;
  if (timer) return;
  timer = setTimeout(async () => {
    timer = null;
    const ids = [...pending];
    const all = pendingAll || ids.length > 50;
    pending = new Set();
    pendingAll = false;
    if (all) await reloadAll();
    else await refreshTickets(ids);
    for (const l of ticketListeners) for (const id of all ? [null] : ids) l(id);
  }, 40);
}

interface TackEvent {
  type: string;
  ticket: string | null;
}

export function connectEvents(): () => void {
  const t = token();
  const es = new EventSource(`/api/events${t ? `?token=${encodeURIComponent(t)}` : ''}`);
  const onEvent = (m: MessageEvent) => {
    const e = JSON.parse(m.data) as TackEvent;
    if (e.type === 'problem') return;
    if (e.ticket && e.type === 'deleted') deleted.add(e.ticket);
    else if (e.ticket) deleted.delete(e.ticket);
    schedule(e.type === 'reset' ? null : e.ticket);
  };
  for (const type of ['created', 'updated', 'deleted', 'commented', 'claimed', 'synced', 'reset'])
    es.addEventListener(type, onEvent);
  es.addEventListener('ready', () => set({ live: true }));
  es.onerror = () => set({ live: false });
  return () => es.close();
}

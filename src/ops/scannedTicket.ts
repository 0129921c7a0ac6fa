import type { Ticket } from '../model/ticket.js';
import { ticketPath, type TicketLocation } from '../model/ticketPath.js';

/**
 * What the checks after doctor's scan read of a ticket: its references and where its claim
 * stands. `id` only when the file says another id than its name (a finding of its own).
 */
export type ScannedFields = Pick<Ticket, 'parent' | 'relations' | 'links' | 'category' | 'assignee' | 'status'> & {
  id?: string;
};

/** The four places a ticket's file can be, by number (a field of two bits, not a path string). */
const PLACES: ReadonlyArray<Pick<TicketLocation, 'dir' | 'layout'>> = [
  { dir: 'tickets', layout: 'flat' },
  { dir: 'tickets', layout: 'fanout' },
  { dir: 'archive', layout: 'flat' },
  { dir: 'archive', layout: 'fanout' },
];

/**
 * One ticket file as doctor's scan leaves it, in about 100 bytes: its id, its blob and
 * which of the four places it is in (the path is made again when asked: every ticket path
 * is its id's in one of them); its fields when it parsed; its text only when it has
 * conflict markers (a repair needs it). At 100,000 tickets the scan kept 48 MB as plain
 * objects with path, blob and fields each; this keeps ~12 (bench/README.md).
 */
export class ScannedTicket {
  /** The text of a file with conflict markers (the others are read again: see withTexts). */
  text: string | undefined = undefined;
  ticket: ScannedFields | null = null;

  constructor(
    /** The id its file name says. */
    readonly id: string,
    /** Its blob, as git names it. */
    readonly sha: string,
    private readonly place: number,
    private readonly prefix: string,
  ) {}

  static at(loc: TicketLocation, sha: string, prefix: string): ScannedTicket {
    const place = (loc.dir === 'archive' ? 2 : 0) + (loc.layout === 'fanout' ? 1 : 0);
    return new ScannedTicket(loc.id, sha, place, prefix);
  }

  /** Its path in the tree (`.tack/tickets/3f/tk-3fa9.md`). */
  get path(): string {
    const { dir, layout } = PLACES[this.place];
    return `${this.prefix}${ticketPath(this.id, layout, dir)}`;
  }

  get archived(): boolean {
    return this.place >= 2;
  }

  /** The id its front matter says (its file's, unless they differ). */
  get declaredId(): string | null {
    return this.ticket ? (this.ticket.id ?? this.id) : null;
  }
}

/** A scanned ticket with its text, as a repair or a finding's line needs it. */
export interface ScannedText {
  id: string;
  path: string;
  sha: string;
  ticket: ScannedFields | null;
  text: string;
}

/** Fields of tickets with no references, by category, status and assignee: most tickets share one. */
const plain = new Map<string, ScannedFields>();
const NO_RELATIONS: ScannedFields['relations'] = Object.freeze({});
const NO_LINKS: string[] = Object.freeze([]) as unknown as string[];

/**
 * The fields the store-wide checks need. A ticket with no parent, relation or link whose
 * front matter says its file's id shares one frozen object with every other such ticket of
 * its category, status and assignee (at 100,000 tickets, an object and three strings a
 * ticket were a third of the scan's memory).
 */
export function scannedFields(t: Ticket, fileId: string): ScannedFields {
  let relations: ScannedFields['relations'] = NO_RELATIONS;
  for (const [kind, dsts] of Object.entries(t.relations)) if (dsts.length) relations = { ...relations, [kind]: dsts };
  const { parent, category, assignee, status } = t;
  const links = t.links.length ? t.links : NO_LINKS;
  const own = t.id === fileId ? {} : { id: t.id };
  if (parent || relations !== NO_RELATIONS || links !== NO_LINKS || t.id !== fileId)
    return { ...own, parent, relations, links, category, assignee, status };
  const key = JSON.stringify([category, status, assignee]);
  let shared = plain.get(key);
  if (!shared) {
    // Bounded: a store's statuses and assignees are few; past that, each ticket its own.
    shared = Object.freeze({ parent: null, relations, links, category, assignee, status });
    if (plain.size < 1024) plain.set(key, shared);
  }
  return shared;
}

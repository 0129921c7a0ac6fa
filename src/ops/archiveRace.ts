import { mergeStoreFile } from '../model/merge.js';
import { ticketIdFromPath, type TicketDir } from '../model/ticketPath.js';
import { lastAdded } from '../git/markerMerges.js';
import { readFileAt } from '../git/objects.js';
import type { FileChange } from '../git/commitWriter.js';
import type { Store } from '../store/store.js';
import type { Finding, ScannedTicket } from './doctorChecks.js';

/*
 * An archive/comment race: one clone archived a ticket (tickets/X.md → archive/X.md)
 * while another edited it (a comment); merged, both files exist and say the same id.
 * The repair merges the edit into the archived file, against the ticket as it was when
 * it was archived, and removes the live copy: the archive stands and nothing is lost.
 */

export interface ArchiveRace {
  id: string;
  live: ScannedTicket;
  archived: ScannedTicket;
}

export function archiveRaces(store: Store, tickets: ScannedTicket[]): ArchiveRace[] {
  const at = (t: ScannedTicket, dir: TicketDir) => {
    const loc = ticketIdFromPath(t.path.slice(store.prefix.length));
    return t.path.startsWith(store.prefix) && loc?.id === t.id && loc.dir === dir;
  };
  const live = new Map(tickets.filter((t) => at(t, 'tickets')).map((t) => [t.id, t]));
  return tickets
    .filter((t) => at(t, 'archive') && live.has(t.id))
    .map((t) => ({ id: t.id, live: live.get(t.id)!, archived: t }));
}

/** The changes that settle a race: the archived file with the live edits merged in, the live file removed. */
export function settleArchiveRace(store: Store, head: string, race: ArchiveRace): FileChange[] {
  const archivedAt = lastAdded(store.repo, head, race.archived.path);
  const base = archivedAt ? readFileAt(store.repo, `${archivedAt}^`, race.live.path) : null;
  const merged = mergeStoreFile(`archive/${race.id}.md`, base, race.archived.text, race.live.text).text;
  return [
    { path: race.archived.path, content: merged },
    { path: race.live.path, content: null },
  ];
}

/** Both files' duplicate-id findings are the race's, and settled with it. */
export function markRaceFixed(findings: Finding[], races: ArchiveRace[]): void {
  const ids = new Set(races.map((r) => r.id));
  for (const f of findings) if (f.check === 'duplicate_id' && f.id && ids.has(f.id)) f.fixed = true;
}

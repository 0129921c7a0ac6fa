import { mergeStoreFile } from '../model/merge.js';
import type { TicketDir } from '../model/ticketPath.js';
import { lastAdded } from '../git/markerMerges.js';
import { readFileAt } from '../git/objects.js';
import type { FileChange } from '../git/commitWriter.js';
import type { Store } from '../store/store.js';
import { withTexts, type Finding, type ScannedText, type ScannedTicket } from './doctorChecks.js';

/*
 * An archive/comment race: one clone archived a ticket (tickets/X.md → archive/X.md)
 * while another edited it (a comment); merged, both files exist and say the same id.
 * The repair merges the edit into the archived file, against the ticket as it was when
 * it was archived, and removes the live copy: the archive stands and nothing is lost.
 */

type WithText = ScannedText;

export interface ArchiveRace {
  id: string;
  live: WithText;
  archived: WithText;
}

/** The races among the scanned tickets whose two copies both read, with their texts. */
export function archiveRaces(store: Store, tickets: ScannedTicket[]): ArchiveRace[] {
  const at = (t: ScannedTicket, dir: TicketDir) => t.ticket !== null && t.archived === (dir === 'archive');
  const live = new Map(tickets.filter((t) => at(t, 'tickets')).map((t) => [t.id, t]));
  const pairs = tickets.filter((t) => at(t, 'archive') && live.has(t.id)).flatMap((t) => [live.get(t.id)!, t]);
  const texts = withTexts(store, pairs);
  const out: ArchiveRace[] = [];
  for (let i = 0; i < texts.length; i += 2) out.push({ id: texts[i].id, live: texts[i], archived: texts[i + 1] });
  return out;
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

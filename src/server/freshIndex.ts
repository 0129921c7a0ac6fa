import { isStale, staleness, type Index } from '../index/indexDb.js';
import type { OpContext } from '../ops/op.js';
import { settledWithin } from './stopSignal.js';
import { TurnFlag } from './turnFlag.js';

/** Refreshes tried off the loop before one runs here (the ref kept moving meanwhile). */
const TRIES = 3;
/** The longest a stale read waits for the write lane to index its own commit before refreshing. */
const OWN_WRITE_WAIT_MS = 500;

/**
 * The server's context: its index is brought up to date in another process (`refresh`),
 * never on this event loop. A refresh runs git (log, cat-file) and parses what changed: a
 * commit by another process (a CLI, a pull, plain git) or the write lane's own, seen by
 * the ref watcher before that lane updated the index, would otherwise hold every other
 * request meanwhile. Requests that find the index stale share one refresh in flight.
 * The first open (before the server listens) and a ref that never stops moving still
 * refresh here, as the CLI does. A ref moved while the write lane has a write in hand is
 * first given that write's answer (the lane indexes its own commit).
 */
export function offLoopIndex<C extends OpContext>(
  base: C,
  refresh: () => Promise<unknown>,
  ownWrite: () => Promise<void> | null = () => null,
): C {
  let opened: Index | null = null;
  let inFlight: Promise<unknown> | null = null;
  // Found fresh in this turn of the event loop: a request asks several times (its cache key,
  // its operation, its answer's versions), and each check reads the ref's file and the
  // index's meta. A commit by another process is seen from the next turn; a write of this
  // server's own is answered in a later turn.
  const fresh = new TurnFlag();
  return {
    ...base,
    async index() {
      if (!opened) {
        opened = await base.index();
        return opened;
      }
      if (fresh.isSet) return opened;
      // Fresh (most requests): the index as it is (brought up to date by whichever process
      // refreshed it), without checking again. Not stale means the index is at the ref's head.
      const s = staleness(opened);
      if (!isStale(s)) {
        opened.commit = s.head;
        fresh.set();
        return opened;
      }
      // The ref most often moves by this server's own write, which its lane indexes as it
      // answers: a refresh meanwhile would read and parse that commit a second time.
      const own = ownWrite();
      if (own) await settledWithin(own, OWN_WRITE_WAIT_MS);
      for (let i = 0; i < TRIES && isStale(staleness(opened)); i++) {
        // A lane that fails (its child died) leaves the refresh to the last resort below.
        inFlight ??= refresh()
          .catch(() => undefined)
          .finally(() => {
            inFlight = null;
          });
        await inFlight;
      }
      return base.index();
    },
  };
}

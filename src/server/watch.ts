import { TackError } from '../model/errors.js';
import { parseCommandArgs } from '../model/commandArgs.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import { ChangeFeed } from './changeFeed.js';
import { IdleCommitter } from './committer.js';
import { EventLog, type TackEvent } from './events.js';
import { idleMs } from './idle.js';
import { liveHandlers, watchStore } from './watcher.js';
import { closeWithin, STOP_GRACE_MS, stopSignal } from './stopSignal.js';
import { inProcessDeliverer } from '../ops/triggerKick.js';

export const WATCH_HELP = `tack watch [options]

Watch the checked-out store files (a mount made by \`tack mount\`, or inline .tack/) and
commit hand edits once they have been quiet for the idle time. A file that does not
validate is reported (file:line) and left uncommitted, as the user left it.

Options:
  --idle <duration>    quiet time before committing (default: git config tack.commit.idle, else 3s)

Global: --json (one JSON line per event), -C <dir> (run in another directory), --help`;

function describe(e: TackEvent): string | null {
  if (e.type === 'problem') return `tack watch: ${e.message ?? 'problem'}`;
  if (e.commit && e.op === 'edit' && e.ticket) return `tack watch: committed ${e.ticket} in ${e.commit.slice(0, 8)}`;
  return null;
}

/** `tack watch`: runs until SIGINT/SIGTERM. Returns the exit code; only the CLI entry exits. */
export async function watchCommand(
  argv: string[],
  g: { cwd: string; json: boolean; help: boolean },
  print: (s: string) => void,
): Promise<number> {
  if (g.help) {
    print(`${WATCH_HELP}\n`);
    return 0;
  }
  const { values } = parseCommandArgs({ args: argv, options: { idle: { type: 'string' } } }, 'watch');
  // Listening from the start: a stop that comes the moment "watching" is printed (or
  // before) must not find the default handler, which kills the process uncleanly.
  const stopped = stopSignal();
  const ctx = createContext({ effects: nodeEffects(), cwd: g.cwd });
  const store = ctx.store();
  const dir = store.filesDir;
  if (!dir)
    throw new TackError(
      'invalid_input',
      'nothing to watch: the store branch is not checked out; run `tack mount` first',
    );
  const idle = idleMs(store, values.idle);
  const log = new EventLog();
  const feed = new ChangeFeed(ctx, log);
  await feed.start();
  const committer = new IdleCommitter(ctx, feed, log, idle);
  log.subscribe((e) => {
    // The periodic rescan finds edits no watcher reported: they start the countdown too.
    if (e.uncommitted && e.type !== 'problem') committer.touch();
    const line = g.json ? JSON.stringify(e) : describe(e);
    if (line) print(`${line}\n`);
  });
  // Idle commits are spooled for triggers like any write; this process delivers them.
  const deliver = inProcessDeliverer(ctx, (e) =>
    print(`tack watch: trigger delivery failed: ${(e as Error).message}\n`),
  );
  const watcher = await watchStore(store, {
    dirs: [dir],
    ...liveHandlers(feed, committer, deliver),
  });
  // Edits made while nobody watched are committed too.
  await feed.check();
  committer.touch();
  if (!g.json) print(`tack watch: watching ${dir} (commits after ${idle} ms of quiet)\n`);
  await stopped;
  await closeWithin(
    (async () => {
      await watcher.close();
      await committer.stop();
      feed.stop();
      ctx.close();
    })(),
    STOP_GRACE_MS,
  );
  return 0;
}

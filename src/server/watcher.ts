import type { Store } from '../store/store.js';
import { watchRefs } from '../store/refWatch.js';

export interface WatchOptions {
  /** The ref moved, or HEAD or packed-refs changed. */
  onRef(): void;
  /** A file under one of the watched folders changed (store-relative path). */
  onFile(path: string): void;
  /** Periodic re-check, for changes no watcher reported (network filesystems, missed events). */
  onTick(): void;
  /** Checked-out store folders to watch: inline `.tack/`, later mounted branch worktrees. */
  dirs: string[];
  tickMs?: number;
}

export interface StoreWatcher {
  close(): Promise<void>;
}

/**
 * What a long-running surface (`tack serve`, `tack watch`) does on each watcher event:
 * a moved ref or a tick re-reads the store for the event feed and delivers spooled
 * triggers; a hand edit re-reads too and restarts the idle-commit timer.
 */
export function liveHandlers(
  feed: { check(): unknown },
  committer: { touch(): void },
  deliver: () => void,
): Omit<WatchOptions, 'dirs' | 'tickMs'> {
  // Nobody awaits a watcher's check: a failure is one line on stderr, never an unhandled
  // rejection (which would end the process).
  const check = () =>
    Promise.resolve(feed.check()).catch((e: unknown) =>
      process.stderr.write(`tack: could not read the store's changes: ${(e as Error).message}\n`),
    );
  const refresh = () => {
    void check();
    deliver();
  };
  return {
    onRef: refresh,
    onTick: refresh,
    onFile: () => {
      void check();
      committer.touch();
    },
  };
}

/**
 * Watch what can move a store: its ref (fs.watch on the directories holding the ref
 * file and packed-refs; git replaces them by rename, which a directory watch sees) and
 * its checked-out files (chokidar with awaitWriteFinish: Node's own recursive watch goes
 * deaf to a file after a vim-style rename-save), plus a timer as a fallback.
 */
export async function watchStore(store: Store, opts: WatchOptions): Promise<StoreWatcher> {
  const refs = watchRefs(store, opts.onRef);
  const chokidar = opts.dirs.length ? await import('chokidar') : null;
  const fileWatchers = opts.dirs.map((root) => {
    const w = chokidar!.watch(root, {
      ignoreInitial: true,
      awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 10 },
      // Tested below the root: the default mount itself lives under .git/tack/mount.
      ignored: (p: string) =>
        /(^|\/)\.git(\/|$)|\.sw[a-p]x?$|~$|(^|\/)4913$/.test(p.startsWith(root) ? p.slice(root.length + 1) : p),
    });
    w.on('all', (_event: string, p: string) => opts.onFile(p.startsWith(root) ? p.slice(root.length + 1) : p));
    w.on('error', () => {});
    return w;
  });
  // Until its first scan is done chokidar reports nothing: wait, so an edit made right
  // after the server says it listens is seen by the watcher, not only by the timer.
  await Promise.all(fileWatchers.map((w) => new Promise<void>((resolve) => w.once('ready', () => resolve()))));
  const timer = setInterval(opts.onTick, opts.tickMs ?? 1000);
  return {
    async close() {
      clearInterval(timer);
      refs.close();
      await Promise.all(fileWatchers.map((w) => w.close()));
    },
  };
}

import { readConfig } from '../git/config.js';
import { discoverRepo } from '../git/repo.js';
import { openStore, type Store } from '../store/store.js';
import { ensureDriver } from './mergeDriver.js';
import { openStoreAt } from '../store/workspace.js';
import { openIndex, type Index } from '../index/indexDb.js';
import { countProblems, listProblems } from '../index/queries.js';
import { n } from './pageNote.js';
import type { OpContext } from './op.js';
import type { OpEffects } from './effects.js';

export interface ContextOptions {
  cwd: string;
  /** What operations may reach beyond store and index (src/effects/nodeEffects.ts in Node). */
  effects: OpEffects;
  /** A plan branch to work on (`--branch NAME`); default: the store itself. */
  branch?: string;
  /** Open the store at this path and ref instead (a workspace member written through its own repository). */
  member?: { path: string; ref?: string };
  progress?: (done: number, total: number, label: string) => void;
  /** See OpContext.maxWaitMs: set by surfaces that must answer within a bound (MCP, a server's child). */
  maxWaitMs?: number;
  /** See OpContext.streamRows: set by the CLI. */
  streamRows?: boolean;
}

export function nowIso(): string {
  const fixed = process.env.TACK_NOW;
  if (fixed) return new Date(fixed).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Git config is not cloned: the first command in a clone registers the merge driver itself. */
function registerDriverOnce(store: Store, effects: OpEffects, warn: (m: string) => void): void {
  try {
    if (ensureDriver(store.repo, effects.tack))
      warn(
        "registered Tack's merge driver in this clone's .git/config (git config is not cloned), so git pull and merge join tickets without conflict markers",
      );
  } catch {
    // A read-only repository still reads; doctor reports the missing driver.
  }
}

/**
 * Files that do not read, named after each answer: the first ones, then how many more. A
 * store with 20,000 broken files (anyone can commit them) printed 3 MB of warnings with
 * every command, whatever it was asked.
 */
const PROBLEMS_SHOWN = 20;
/** Warnings said with a command's answer; the rest are counted. */
const WARNINGS_SHOWN = 20;

/** The context every surface hands to operations; store and index open lazily, once. */
export function createContext(opts: ContextOptions): OpContext & { close(): void } {
  let store: Store | undefined;
  let index: Index | undefined;
  const atIndexes: Index[] = [];
  let user: string | undefined;
  const warnings: string[] = [];
  // Every distinct warning is counted, the first WARNINGS_SHOWN are said: a store can name
  // 100,000 tickets that are nowhere, one warning each (an array's includes() was quadratic).
  const warned = new Set<string>();
  const moreWarnings = () =>
    warned.size > warnings.length ? [`${n(warned.size - warnings.length)} more warnings like these`] : [];
  const ctx = {
    cwd: opts.cwd,
    effects: opts.effects,
    store() {
      if (!store) {
        store = opts.member ? openStoreAt(opts.member.path, opts.member.ref) : openStore(opts.cwd, opts.branch);
        registerDriverOnce(store, opts.effects, ctx.warn);
        const declared = process.env.TACK_ACTOR?.trim().toLowerCase();
        if (declared && declared !== 'human' && declared !== 'agent')
          ctx.warn(
            `TACK_ACTOR=${JSON.stringify(process.env.TACK_ACTOR)} is ignored; expected human or agent (see docs/agents.md)`,
          );
      }
      return store;
    },
    async index() {
      if (!index) index = await openIndex(ctx.store(), opts.progress);
      else {
        const { ensureFresh } = await import('../index/indexDb.js');
        await ensureFresh(index, undefined, opts.progress);
      }
      return index;
    },
    async indexAt(rev: string) {
      const { openIndexAt } = await import('../index/atRevision.js');
      const at = await openIndexAt(await ctx.index(), rev);
      atIndexes.push(at);
      return at;
    },
    now: nowIso,
    user() {
      if (user === undefined) {
        user = process.env.TACK_USER || '';
        if (!user) {
          try {
            user = readConfig(discoverRepo(opts.cwd), 'user', 'name') ?? '';
          } catch {
            user = '';
          }
        }
        if (!user) user = process.env.USER || 'unknown';
      }
      return user;
    },
    warn(message: string) {
      if (warned.has(message)) return;
      warned.add(message);
      if (warnings.length < WARNINGS_SHOWN) warnings.push(message);
    },
    problems() {
      if (!index) return [...warnings, ...moreWarnings()];
      const shown = listProblems(index.db, PROBLEMS_SHOWN).map(
        (p) => `${store!.prefix}${p.path}:${p.line}: ${p.message}`,
      );
      const more = shown.length < PROBLEMS_SHOWN ? 0 : countProblems(index.db) - shown.length;
      if (more > 0)
        shown.push(`${n(more)} more files do not read or break the schema (\`tack doctor\` lists them all)`);
      return [...shown, ...warnings, ...moreWarnings()];
    },
    progress: opts.progress ?? (() => {}),
    maxWaitMs: opts.maxWaitMs,
    streamRows: opts.streamRows,
    close() {
      for (const a of atIndexes) a.db.close();
      index?.db.close();
    },
  };
  return ctx;
}

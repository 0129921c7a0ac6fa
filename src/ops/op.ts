import { z } from 'zod';
import { autoSyncReportShape, lazyShape } from '../model/jsonShapes.js';
import type { Index } from '../index/indexDb.js';
import type { Store } from '../store/store.js';
import type { OpEffects } from './effects.js';
import type { RowSource } from './page.js';
import type { RowList } from './rowList.js';

/**
 * Everything an operation may use. Surfaces (CLI, REST, MCP, connectors) build one and
 * call `run`; operations never print, never exit, and never read argv, the network or
 * start processes but through `effects` (scripts/check-layers.mjs refuses the rest).
 */
export interface OpContext {
  cwd: string;
  /** The network, child processes and this program's path, as the surface provides them. */
  effects: OpEffects;
  /** The store around cwd (throws no_store / not_a_repo). */
  store(): Store;
  /** The store's index, refreshed to the ref and checked-out files. */
  index(): Promise<Index>;
  /** Index of the store as it was at a past revision (read commands' --at). */
  indexAt(rev: string): Promise<Index>;
  /** ISO time of "now" (TACK_NOW overrides, for tests and imports). */
  now(): string;
  /** Who is acting: TACK_USER, else git's user.name. */
  user(): string;
  /** Broken or invalid store files the index met (file:line: problem), for surfaces to warn about. */
  problems(): string[];
  /** A warning for the surface to show next to the answer (e.g. a workspace store that cannot be read). */
  warn?(message: string): void;
  /** Progress for long work; a no-op unless a terminal is watching. */
  progress(done: number, total: number, label: string): void;
  /**
   * Optimistic concurrency for surfaces that hand out versions (REST If-Match): a write
   * to this ticket is refused with `conflict` unless its file is still at this blob id.
   * Checked inside the commit attempt, so a concurrent writer cannot slip in between.
   */
  ifVersion?: { ticket: string; version: string };
  /**
   * Aborts when the caller no longer wants the answer (a request past its deadline, a
   * server that stops): long reads that can be stopped (SQL queries) stop.
   */
  signal?: AbortSignal;
  /**
   * The longest a blocking read (`wait`) may block on this surface: a server answers every
   * request within its deadline, MCP within a bound a client will sit through. Unset: the
   * caller's own timeout rules (the CLI).
   */
  maxWaitMs?: number;
  /**
   * The surface writes an answer's long lists as it reads them (the CLI): a write of many
   * tickets may then answer with a RowList instead of an array (bulkEdit.ts changedTickets).
   */
  streamRows?: boolean;
  /** Set by writes: whether anything was changed (a repeated label or value changes nothing and commits nothing). */
  changed?: boolean;
}

export type OpKind = 'read' | 'write';

export interface CliShape {
  /** Input keys filled from positional arguments, in order; a trailing "...key" takes the rest. */
  args?: string[];
  /** One-letter flags: { s: 'status' }. */
  short?: Record<string, string>;
  /** Lines `--help` adds under the options (exit status, examples). */
  notes?: string;
}

export interface OpDef<S extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  kind: OpKind;
  /**
   * The answer depends only on the input and the index's content (not on the clock, the
   * user or refs outside the index), so a server may reuse it until the index changes.
   */
  cacheable?: boolean;
  /**
   * Input keys that give a read a side effect (fetching from a remote): with one of them
   * set, the server answers it on POST only, since a GET is what any web page can make a
   * browser send.
   */
  postOnly?: readonly string[];
  /**
   * For writes that only write when asked: with none of these input keys set the call is a
   * read (`sql` without `write`), so a server runs it as one, stopped with its request.
   */
  writesWith?: readonly string[];
  /**
   * For writes: whether the op may overwrite or remove what someone wrote (a field, a doc),
   * rather than only add (a ticket, a comment). Unset: assumed to (MCP's default).
   */
  destructive?: boolean;
  /** For writes: repeating the call with the same input changes nothing more. Unset: assumed not. */
  idempotent?: boolean;
  /**
   * Which surface may pass what, declared here once and read by each surface: a local-only
   * op is offered on the CLI alone, never to a remote client (REST; MCP offers none), since
   * it reads or changes this machine's own set-up (git config, hooks, worktrees, the
   * triggers' commands and URLs).
   */
  localOnly?: boolean;
  /** Input keys only the CLI passes (they name files on this machine's disk): remote surfaces drop them. */
  localKeys?: readonly string[];
  input: S;
  /**
   * The shape of the answer (`--json`, REST, MCP), declared once (shared parts in
   * model/jsonShapes.ts): `run` must return what it declares, and test/jsonShapes.test.ts
   * checks real CLI output against it. A thunk, built only when asked for (see lazyShape).
   * A write's answer also carries `changed` and, on the CLI, `auto_sync`: defineOp adds them.
   */
  output: () => O;
  cli?: CliShape;
  run(ctx: OpContext, input: z.infer<S>): Promise<Answer<z.infer<O>>>;
  /**
   * A paged read's rows, unpaged: the very rows `run` pages, read as they are used. Asked for
   * the whole answer (`limit` 0), the CLI writes each row as it comes instead of holding them
   * all (`list --limit 0` of 100,000 tickets). Undefined when this input's answer is not rows.
   */
  rows?(ctx: OpContext, input: z.infer<S>): Promise<RowSource<unknown> | undefined>;
}

/**
 * An answer as `run` gives it: a list among its keys may be a RowList, read as it is written,
 * when the surface asked for that (OpContext.streamRows); JSON.stringify reads it as the list.
 */
export type Answer<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]: T[K] extends Array<infer E> ? T[K] | RowList<E> : T[K] }
    : T;

export function defineOp<S extends z.ZodObject, O extends z.ZodType>(def: OpDef<S, O>): OpDef<S, O> {
  if (def.kind !== 'write') return def;
  const { run, output } = def;
  return {
    ...def,
    output: lazyShape(() => stampedShape(output())),
    run: async (ctx, input) => stampChanged(await withChangeTracking(ctx, () => run(ctx, input))),
  };
}

/** What stampChanged and the CLI's auto-sync add to a write's answer (an object; arrays are left alone). */
function stampedShape<O extends z.ZodType>(shape: O): O {
  if (shape instanceof z.ZodUnion) return z.union((shape.options as z.ZodType[]).map(stampedShape)) as unknown as O;
  if (!(shape instanceof z.ZodObject)) return shape;
  return shape.extend({ changed: z.boolean().optional(), auto_sync: autoSyncReportShape().optional() }) as unknown as O;
}

/** Writes say whether they changed anything (`changed: false`: nothing to commit, no commit made). */
async function withChangeTracking<T>(
  ctx: OpContext,
  fn: () => Promise<T>,
): Promise<{ out: T; changed: boolean | undefined }> {
  const outer = ctx.changed;
  ctx.changed = undefined;
  try {
    const out = await fn();
    return { out, changed: ctx.changed };
  } finally {
    // A nested op's change is its caller's change too (batch, adapters).
    const inner = ctx.changed;
    ctx.changed = outer === undefined && inner === undefined ? undefined : (outer ?? false) || (inner ?? false);
  }
}

function stampChanged<T>(r: { out: T; changed: boolean | undefined }): T {
  const { out, changed } = r;
  if (changed !== undefined && out && typeof out === 'object' && !Array.isArray(out) && !('changed' in out)) {
    (out as Record<string, unknown>).changed = changed;
  }
  return out;
}

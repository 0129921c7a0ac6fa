import type { z } from 'zod';
import type { autoSyncReportShape } from '../model/jsonShapes.js';
import { millisSetting } from '../model/duration.js';
import { readSettings } from '../store/store.js';
import type { TackRun } from './effects.js';
import type { OpContext } from './op.js';
import { chooseRemote } from './syncShared.js';

/** How long a write waits for its automatic sync before answering without it. */
export const AUTO_SYNC_TIMEOUT = '30s';

/** Writes that are not work to publish: the sync itself, and the clone's own set-up. */
const NOT_PUBLISHED = new Set(['sync', 'init', 'config', 'setup', 'mount', 'unmount', 'reindex']);

/** What the sync did, or why it failed; the write is done either way. */
export type AutoSyncReport = z.infer<ReturnType<typeof autoSyncReportShape>>;

/**
 * `tack config agents.auto_sync true`: after a write that committed (or a claim), run
 * `tack sync` in a child process (OpEffects.runTack) and wait for it at most
 * `agents.sync_timeout`, so that a slow or unreachable remote never holds the answer; a
 * failure is reported, never fatal (the change is committed here, and the next sync sends
 * it). Null when not configured, nothing changed, or there is no remote.
 */
export async function autoSync(
  ctx: OpContext,
  op: { name: string; kind: string },
  result: unknown,
): Promise<AutoSyncReport | null> {
  const timeout = autoSyncTimeout(ctx, op, result);
  return timeout === null ? null : syncWithin(ctx, timeout);
}

/** Run `tack sync` in a child, waiting for it at most `timeout` ms (what autoSyncTimeout said). */
export async function syncWithin(ctx: OpContext, timeout: number): Promise<AutoSyncReport> {
  const cwd = ctx.store().repo.workTree;
  return syncReport(await ctx.effects.runTack(['-C', cwd, 'sync', '--json'], cwd, timeout), timeout);
}

/** How long autoSync will wait for the sync this answer calls for; null when it calls for none. */
export function autoSyncTimeout(ctx: OpContext, op: { name: string; kind: string }, result: unknown): number | null {
  if (op.kind !== 'write' || NOT_PUBLISHED.has(op.name)) return null;
  const changed = result && typeof result === 'object' ? (result as { changed?: unknown }).changed : undefined;
  if (changed !== true) return null;
  const store = ctx.store();
  const settings = readSettings(store.repo);
  if (settings?.agents?.auto_sync !== true || !chooseRemote(store, undefined)) return null;
  return millisSetting(settings.agents.sync_timeout ?? AUTO_SYNC_TIMEOUT, 'agents.sync_timeout');
}

function syncReport(run: TackRun, timeout: number): AutoSyncReport {
  if (run.kind === 'timed_out')
    return { ok: false, message: `sync did not finish within ${timeout / 1000}s; run \`tack sync\`` };
  if (run.kind === 'not_started') return { ok: false, message: `sync could not start: ${run.message}` };
  return run.code === 0 ? synced(run.stdout) : failed(run.stderr, run.code);
}

function synced(out: string): AutoSyncReport {
  try {
    const r = JSON.parse(out) as { message: string; pulled: number; pushed: number };
    return { ok: true, message: r.message, pulled: r.pulled, pushed: r.pushed };
  } catch {
    return { ok: true, message: 'synced' };
  }
}

function failed(err: string, code: number | null): AutoSyncReport {
  const line = err.split('\n').find((l) => l.startsWith('{"error"'));
  let why = err.trim().split('\n')[0] || `exit ${code}`;
  try {
    if (line) why = (JSON.parse(line) as { error: { message: string } }).error.message;
  } catch {
    // keep the first line of stderr
  }
  return { ok: false, message: `sync failed: ${why}; the change is committed here, run \`tack sync\`` };
}

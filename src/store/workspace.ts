import type { z } from 'zod';
import type { routingRulesShape, workspaceMemberShape, workspaceSettingsShape } from '../model/settingsShapes.js';
import { TackError } from '../model/errors.js';
import { readRef } from '../git/refs.js';
import { openStore, type Store } from './store.js';

/**
 * A workspace: the store of this clone plus other stores (sibling repositories, a
 * personal planning repo, another ref of a store), read together. Which repositories
 * sit next to each other is a fact of one machine, so the list lives in the clone's
 * local settings (.git/tack/store.json), never in a commit.
 */
export type WorkspaceMember = z.infer<ReturnType<typeof workspaceMemberShape>>;

export type RoutingRules = z.infer<ReturnType<typeof routingRulesShape>>;

export type WorkspaceSettings = z.infer<ReturnType<typeof workspaceSettingsShape>>;

/** The name of this clone's own store in a workspace. */
export const LOCAL = 'local';

export const STORE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;

/** `tack-personal` → `refs/heads/tack-personal`; full ref names stay as they are. */
export function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

/** The index file of a store read at another ref than its own: one per ref. */
function refIndexFile(ref: string): string {
  return `index-ref-${ref.replace(/^refs\/heads\//, '').replace(/[^A-Za-z0-9_.-]/g, '_')}.db`;
}

/**
 * Open a store at `path` (optionally at another ref). Throws not_a_repo, no_store, or
 * not_found for a ref that does not exist (`workspace add` also checks it holds a store).
 */
export function openStoreAt(path: string, ref?: string): Store {
  const base = openStore(path);
  if (!ref) return base;
  const full = fullRef(ref);
  if (full === base.ref) return base;
  const head = readRef(base.repo, full);
  if (!head)
    throw new TackError(
      'not_found',
      `no ref ${full} in ${base.repo.workTree}; expected an existing branch holding a Tack store`,
      { path, ref: full },
    );
  return { repo: base.repo, mode: 'branch', ref: full, prefix: '', filesDir: null, indexFile: refIndexFile(full) };
}

/** The store of a workspace member, opened through its own repository. */
export function memberStore(m: WorkspaceMember): Store {
  return openStoreAt(m.path, m.ref);
}

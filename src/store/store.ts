import type { Provenance } from '../model/provenance.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { ticketIdFromPath } from '../model/ticketPath.js';
import type { TriggerConfig } from '../model/triggers.js';
import { discoverRepo, type Repo } from '../git/repo.js';
import { headBranch, listRefs, readRef, casRef } from '../git/refs.js';
import type { WorkspaceSettings } from './workspace.js';

/**
 * A store is (repository, ref, directory). Branch mode: the root of a dedicated branch
 * (`refs/heads/tack`). Inline mode: `.tack/` on the current branch.
 */
export interface Store {
  repo: Repo;
  mode: 'branch' | 'inline';
  /** Full ref name the store's commits go to. Inline: the branch HEAD points at. */
  ref: string;
  /** Path prefix of the store inside the tree: '' (branch) or '.tack/' (inline). */
  prefix: string;
  /** Directory where the store's files are checked out, if any (inline: <worktree>/.tack). */
  filesDir: string | null;
  /** A plan branch (`--branch NAME`): its name; the index keeps a separate file for it. */
  plan?: string;
  /** Index file name under .git/tack/ when not the default (a workspace member at another ref). */
  indexFile?: string;
  /** The workspace configured in this clone's local settings (read with them: no extra file). */
  workspace?: WorkspaceSettings;
  /** Who writes through this store, when a surface knows better than the environment (an MCP session). */
  provenance?: Provenance;
}

export interface StoreSettings {
  mode: 'branch' | 'inline';
  ref?: string;
  commit?: 'auto' | 'stage' | 'off';
  /** Branch mode: the folder `tack mount` checked the store branch out to. */
  mount?: string;
  /** Sign every Tack commit with git's signing setup (`tack config sign true`). */
  sign?: boolean;
  /** The store head when signing was turned on: commits after it must be signed. */
  signSince?: string | null;
  /** Event hooks, outbound and inbound webhooks of this clone (docs/triggers.md). */
  triggers?: TriggerConfig;
  /** What the pre-commit hook does when staged paths are reserved by someone else (docs/agents.md). */
  reservations?: 'warn' | 'refuse' | 'off';
  /** Other stores read together with this one (`tack workspace`): per machine, never committed. */
  workspace?: WorkspaceSettings;
  /** Agent settings of this clone: `agents.auto_sync` syncs after each write (bounded by `sync_timeout`). */
  agents?: { auto_sync?: boolean; sync_timeout?: string };
}

export const DEFAULT_BRANCH = 'tack';
export const INLINE_DIR = '.tack';

export function tackDir(repo: Repo): string {
  return join(repo.commonDir, 'tack');
}

function settingsPath(repo: Repo): string {
  return join(tackDir(repo), 'store.json');
}

export function readSettings(repo: Repo): StoreSettings | null {
  try {
    return JSON.parse(readFileSync(settingsPath(repo), 'utf8')) as StoreSettings;
  } catch {
    return null;
  }
}

export function writeSettings(repo: Repo, s: StoreSettings): void {
  mkdirSync(tackDir(repo), { recursive: true });
  writeFileSync(settingsPath(repo), `${JSON.stringify(s, null, 2)}\n`);
}

/** Whether Tack commits of this repository are to be signed (a local setting). */
export function signingOn(repo: Repo): boolean {
  return readSettings(repo)?.sign === true;
}

function inlineStore(repo: Repo): Store {
  const branch = headBranch(repo);
  return {
    repo,
    mode: 'inline',
    ref: branch ?? 'HEAD',
    prefix: `${INLINE_DIR}/`,
    filesDir: join(repo.workTree, INLINE_DIR),
  };
}

/** A mounted branch is read like inline mode: the index overlays the mount's files. */
function branchStore(repo: Repo, ref: string, mount?: string): Store {
  const filesDir = mount && existsSync(join(mount, '.git')) ? mount : null;
  return { repo, mode: 'branch', ref, prefix: '', filesDir };
}

/**
 * A fresh clone has `origin/tack` but no local `tack`: create the local branch from the
 * remote one, as `git checkout tack` would, so every command works without `init`.
 */
function adoptRemoteBranch(repo: Repo, branch: string): boolean {
  const remote = listRefs(repo, `refs/remotes/*/${branch}`)[0];
  if (!remote) return false;
  casRef(repo, `refs/heads/${branch}`, remote.sha, null, `tack: track ${remote.name}`);
  return true;
}

/** Plan branches sit next to the store branch: `refs/heads/tack` → `refs/heads/tack-NAME`. */
export function planRef(baseRef: string, name: string): string {
  return `${baseRef}-${name}`;
}

/** The store of a plan branch (`--branch NAME`), made by `tack branch create`. */
function planStore(base: Store, name: string): Store {
  if (base.mode === 'inline') {
    throw new TackError(
      'invalid_input',
      `--branch ${name}: inline stores follow your git branches; expected a branch-mode store (switch git branches instead)`,
      { branch: name },
    );
  }
  const ref = planRef(base.ref, name);
  // A clone has origin/tack-NAME only: adopt it, as for the store branch itself.
  if (!readRef(base.repo, ref) && !adoptRemoteBranch(base.repo, ref.replace(/^refs\/heads\//, ''))) {
    throw new TackError(
      'not_found',
      `no plan branch "${name}" (${ref}); expected one made by \`tack branch create ${name}\` (see \`tack branch list\`)`,
      { branch: name },
    );
  }
  // The mount holds the store branch, not the plan: a plan is read from git only.
  return { ...base, ref, plan: name, filesDir: null };
}

/** Find the store of the repository around `cwd` (of a plan branch, when `plan` is given). */
export function openStore(cwd: string, plan?: string): Store {
  if (plan) return planStore(openStore(cwd), plan);
  const repo = discoverRepo(cwd);
  const settings = readSettings(repo);
  const store = findStore(repo, settings);
  if (settings?.workspace?.members.length) store.workspace = settings.workspace;
  return store;
}

/**
 * Re-read the workspace from the local settings into an open store: a long-lived process
 * (`tack serve`, `tack mcp`) sees `tack workspace add/remove/route` without a restart.
 */
export function reloadWorkspace(store: Store): void {
  const ws = readSettings(store.repo)?.workspace;
  if (ws?.members.length) store.workspace = ws;
  else delete store.workspace;
}

function findStore(repo: Repo, settings: StoreSettings | null): Store {
  if (settings?.mode === 'inline') return inlineStore(repo);
  const ref = settings?.ref ?? `refs/heads/${DEFAULT_BRANCH}`;
  if (readRef(repo, ref)) return branchStore(repo, ref, settings?.mount);
  if (!settings && existsSync(join(repo.workTree, INLINE_DIR, 'schema.yaml'))) return inlineStore(repo);
  const short = ref.replace(/^refs\/heads\//, '');
  if (adoptRemoteBranch(repo, short)) return branchStore(repo, ref);
  throw new TackError(
    'no_store',
    `no Tack store in ${repo.workTree}; expected a "${short}" branch (local or on a remote) or a ${INLINE_DIR}/ folder — run \`tack init\``,
  );
}

/** The commit the store is at now (null: the ref does not exist yet). */
export function storeHead(store: Store): string | null {
  return readRef(store.repo, store.ref);
}

export function schemaPath(store: Store): string {
  return `${store.prefix}schema.yaml`;
}

/** Path inside the store ('tickets/x.md') for a path in the tree ('.tack/tickets/x.md'). */
export function storeRelative(store: Store, treePath: string): string | null {
  return treePath.startsWith(store.prefix) ? treePath.slice(store.prefix.length) : null;
}

/** The id of a live ticket's file (`tickets/x.md` or `tickets/<shard>/x.md`), else null. */
export function idFromTicketPath(rel: string): string | null {
  const loc = ticketIdFromPath(rel);
  return loc?.dir === 'tickets' ? loc.id : null;
}

/** Where `tack archive` moves completed tickets: out of tickets/, still in the tree. */
export const ARCHIVE_DIR = 'archive';

/** The id of a live or archived ticket file, in either layout. */
export function idFromAnyTicketPath(rel: string): string | null {
  return ticketIdFromPath(rel)?.id ?? null;
}

/** The id of the live or archived ticket a path in the tree ('.tack/tickets/x.md') holds, else null. */
export function ticketIdOfTreePath(store: Store, treePath: string): string | null {
  const rel = storeRelative(store, treePath);
  return rel ? idFromAnyTicketPath(rel) : null;
}

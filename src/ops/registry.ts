import type { OpDef } from './op.js';

/**
 * Every operation, loaded on demand so a command pays only for its own code. The CLI,
 * the REST API and MCP all dispatch through this table.
 */
export interface RegistryEntry {
  name: string;
  /** Words that invoke it on the command line (first is canonical). */
  words: string[][];
  load: () => Promise<{ default: OpDef }>;
}

const entry = (name: string, load: RegistryEntry['load'], ...words: string[][]): RegistryEntry => ({
  name,
  load,
  words: words.length ? words : [[name]],
});

export const REGISTRY: RegistryEntry[] = [
  entry('init', () => import('./init.js')),
  entry('create', () => import('./create.js'), ['create'], ['new']),
  entry('list', () => import('./list.js'), ['list'], ['ls']),
  entry('show', () => import('./show.js')),
  entry('update', () => import('./update.js')),
  entry('close', () => import('./close.js')),
  entry('reopen', () => import('./reopen.js')),
  entry('comment', () => import('./comment.js')),
  entry('comment-edit', () => import('./commentEdit.js'), ['comment', 'edit']),
  entry('comment-delete', () => import('./commentDelete.js'), ['comment', 'delete'], ['comment', 'rm']),
  entry('label-add', () => import('./labelAdd.js'), ['label', 'add']),
  entry('label-rm', () => import('./labelRemove.js'), ['label', 'rm'], ['label', 'remove']),
  entry('link', () => import('./link.js')),
  entry('unlink', () => import('./unlink.js')),
  entry('ready', () => import('./ready.js')),
  entry('blocked', () => import('./blocked.js')),
  entry('search', () => import('./search.js')),
  entry('delete', () => import('./delete.js'), ['delete'], ['rm']),
  // -- admin ops (sql, batch, edit, schema) --
  entry('sql', () => import('./sql.js')),
  entry('batch', () => import('./batch.js')),
  entry('edit', () => import('./edit.js')),
  entry('schema-show', () => import('./schemaShow.js'), ['schema'], ['schema', 'show']),
  entry('schema-rename-state', () => import('./schemaRenameState.js'), ['schema', 'rename-state']),
  entry('schema-rename-field', () => import('./schemaRenameField.js'), ['schema', 'rename-field']),
  entry('schema-edit', () => import('./schemaEdit.js'), ['schema', 'edit'], ['schema', 'set']),
  // -- report ops (tree, log, docs, stats, recent, stale, reindex) --
  entry('tree', () => import('./tree.js')),
  entry('log', () => import('./log.js')),
  entry('docs-list', () => import('./docsList.js'), ['docs'], ['docs', 'list']),
  entry('docs-show', () => import('./docsShow.js'), ['docs', 'show']),
  entry('docs-write', () => import('./docsWrite.js'), ['docs', 'add'], ['docs', 'write']),
  entry('stats', () => import('./stats.js')),
  entry('recent', () => import('./recent.js')),
  entry('stale', () => import('./stale.js')),
  entry('reindex', () => import('./reindex.js')),
  // -- sync ops (merge, sync, status, conflicts, setup, revert, branch) --
  entry('merge-file', () => import('./mergeFile.js')),
  entry('sync', () => import('./sync.js')),
  entry('status', () => import('./status.js')),
  entry('conflicts', () => import('./conflicts.js')),
  entry('conflicts-resolve', () => import('./conflictsResolve.js'), ['conflicts', 'resolve']),
  entry('setup', () => import('./setup.js')),
  entry('migrate-layout', () => import('./migrateLayout.js'), ['migrate', 'layout']),
  entry('revert', () => import('./revert.js')),
  entry('branch-list', () => import('./branchList.js'), ['branch'], ['branch', 'list']),
  entry('branch-create', () => import('./branchCreate.js'), ['branch', 'create']),
  entry('branch-merge', () => import('./branchMerge.js'), ['branch', 'merge']),
  entry('branch-delete', () => import('./branchDelete.js'), ['branch', 'delete']),
  // -- team ops (claim, release, doctor, validate) --
  entry('claim', () => import('./claim.js')),
  // `ready --claim` is matched as two words: the write has its own operation.
  entry('claim-next', () => import('./claimNextOp.js'), ['claim', 'next'], ['ready', '--claim']),
  entry('release', () => import('./release.js')),
  entry('claims', () => import('./claims.js')),
  entry('reserve', () => import('./reserve.js')),
  entry('reservations', () => import('./reservations.js')),
  entry('reservations-check', () => import('./reservationsCheck.js'), ['reservations', 'check']),
  entry('doctor', () => import('./doctor.js')),
  entry('validate', () => import('./validate.js')),
  // -- mounted editing (mount, unmount, commit; `tack watch` is a surface of its own) --
  entry('mount', () => import('./mount.js')),
  entry('unmount', () => import('./unmount.js')),
  entry('commit', () => import('./commit.js')),
  // -- archive and signing ops (archive, restore, config, verify) --
  entry('archive', () => import('./archive.js')),
  entry('restore', () => import('./restore.js')),
  entry('config', () => import('./config.js')),
  entry('verify', () => import('./verify.js')),
  // -- agents: ask/answer, submit/review, brief, prime, setup agents (MCP is `tack mcp`) --
  entry('ask', () => import('./ask.js')),
  entry('answer', () => import('./answer.js')),
  entry('submit', () => import('./submit.js')),
  entry('review', () => import('./review.js')),
  entry('brief', () => import('./brief.js')),
  entry('prime', () => import('./prime.js')),
  entry('wait', () => import('./wait.js')),
  entry('setup-agents', () => import('./setupAgents.js'), ['setup', 'agents']),
  // -- triggers: event hooks and webhooks (`hooks install`, git hooks, is gitlinks') --
  entry('hooks-log', () => import('./hooksLog.js'), ['hooks', 'log']),
  entry('hooks-list', () => import('./hooksList.js'), ['hooks', 'list']),
  entry('hooks-test', () => import('./hooksTest.js'), ['hooks', 'test']),
  entry('hooks-run', () => import('./hooksRun.js'), ['hooks', 'run']),
  // -- workspaces: multi-repo workspace, routing, propose/withdraw/accept --
  entry('workspace-list', () => import('./workspaceList.js'), ['workspace'], ['workspace', 'list']),
  entry('workspace-add', () => import('./workspaceAdd.js'), ['workspace', 'add']),
  entry('workspace-remove', () => import('./workspaceRemove.js'), ['workspace', 'remove']),
  entry('workspace-route', () => import('./workspaceRoute.js'), ['workspace', 'route']),
  entry('propose', () => import('./propose.js')),
  entry('withdraw', () => import('./withdraw.js')),
  entry('accept', () => import('./accept.js')),
  // -- importers: exporters (tack import is a surface of its own, src/importers) --
  entry('export', () => import('./export.js')),
  // -- gitlinks: git hooks, commit links, start --branch, reviews in git notes --
  entry('hooks-install', () => import('./hooksInstall.js'), ['hooks', 'install']),
  entry('hooks-uninstall', () => import('./hooksUninstall.js'), ['hooks', 'uninstall']),
  entry('commits-scan', () => import('./commitsScan.js'), ['commits', 'scan']),
  entry('start', () => import('./start.js')),
  entry('note', () => import('./note.js')),
  entry('reviews', () => import('./reviews.js')),
  // -- web: the board in a terminal, doc versions, saved views (the web UI's needs) --
  entry('board', () => import('./board.js')),
  entry('docs-log', () => import('./docsLog.js'), ['docs', 'log']),
  entry('view-list', () => import('./viewList.js'), ['view'], ['view', 'list']),
  entry('view-save', () => import('./viewSave.js'), ['view', 'save']),
  entry('view-delete', () => import('./viewDelete.js'), ['view', 'delete']),
  entry('view-rename', () => import('./viewRename.js'), ['view', 'rename']),
  entry('whoami', () => import('./whoami.js')),
];

export function findOp(name: string): RegistryEntry | undefined {
  return REGISTRY.find((e) => e.name === name);
}

/** The entry whose words match the start of argv, longest match first. */
export function matchCommand(argv: readonly string[]): { entry: RegistryEntry; rest: string[] } | null {
  let best: { entry: RegistryEntry; len: number } | null = null;
  for (const e of REGISTRY) {
    for (const w of e.words) {
      if (w.length <= argv.length && w.every((x, i) => argv[i] === x) && (!best || w.length > best.len))
        best = { entry: e, len: w.length };
    }
  }
  return best ? { entry: best.entry, rest: argv.slice(best.len) } : null;
}

/** Entries invoked as `group WORD…`: the subcommands of a command group (`hooks`, `label`). */
export function groupEntries(group: string): RegistryEntry[] {
  return REGISTRY.filter((e) => e.words.some((w) => w.length > 1 && w[0] === group && !w[1].startsWith('-')));
}

/** Every word an operation's command line starts with, for "did you mean". */
export function commandWords(): string[] {
  return [...new Set(REGISTRY.flatMap((e) => e.words.map((w) => w[0])))];
}

import type { ParseArgsConfig } from 'node:util';
import { parseCommandArgs } from '../model/commandArgs.js';
import { TackError } from '../model/errors.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import type { ConnectionConfig, ConnectorKind, RateBudget, RateWindow } from './connector.js';
import { ConnectionStore } from './engine/connectionStore.js';
import { isKind, KINDS, CREDENTIAL_ENV, makeConnector, resolveCredentials } from './engine/factories.js';
import { syncPass, type SyncResult } from './engine/syncPass.js';
import { checkSyncFilter, parseSyncFilter } from './engine/syncScope.js';
import { parsePullFilter } from './engine/pullScope.js';
import type { Reconciliation } from './engine/reconciliationTally.js';
import type { PlanEntry } from './engine/dryRun.js';
import { progressLine } from '../model/progressLine.js';

export interface Globals {
  cwd: string;
  json: boolean;
  help: boolean;
  branch?: string;
}
type Print = (s: string) => void;

export const CONNECT_HELP = `tack connect linear|github|trello [options]
tack connect status            (the same as \`tack connections\`)

Connect this clone's store to a tracker; \`tack sync <service>\` then syncs both ways.
The connection lives in .git/tack/ (never committed); credentials come from the
environment (${Object.values(CREDENTIAL_ENV)
  .flatMap((e) => Object.values(e))
  .filter((v, i, a) => a.indexOf(v) === i)
  .join(', ')})
or from --api-key/--token, saved to .git/tack/credentials.json (mode 600).

Options:
  --team <KEY>            Linear team key (e.g. ENG)
  --repo <owner/name>     GitHub repository
  --board <id>            Trello board id
  --list <category=id>    Trello: the list for a state category (repeatable)
  --user <tack=remote>    map a Tack user to the service's user (repeatable)
  --api-url <url>         the service's API (default: the public one)
  --api-key <key>         Linear API key / GitHub token / Trello key (saved locally)
  --token <token>         Trello token (saved locally)
  --webhook-secret <s>    secret the service signs webhooks with (saved locally)
  --callback-url <url>    the public URL of /hooks/<service>: registers the service's webhook there
                          (once) and is saved in the config (Trello signs it)
  --filter <key=value>    only tickets matching go out (repeatable; keys as \`tack list\`'s: type, label,
                          project, status, category, priority, assignee; GitHub also milestone: the
                          project named after it); --filter all: every ticket
  --pull-filter <key=value>
                          only remote items matching come in (repeatable): label, category (triage..canceled),
                          state (GitHub open|closed, Linear workflow state name), list (Trello list name or id),
                          milestone (GitHub milestone title); linked items keep syncing; --pull-filter all: every item
  --poll <duration>       live mode (tack serve): full pass every 30s, 5m, 500ms; 0 = webhooks only (default 60s)`;

export const SYNC_HELP = `tack sync linear|github|trello [--dry-run]

One sync pass with a connected service: pull remote changes since the cursor, merge them
field by field with the local tickets (three-way, against the last synced base), create
and update on both sides, push comments. \`tack sync\` without a service syncs git remotes.

  --dry-run   read both sides and print what the pass would create, update and close on
              each side; writes nothing (no commits, no remote writes, cursor unchanged)`;

export const CONNECTIONS_HELP = `tack connections

Each connection of this clone: scope, filters, last sync, cursor, pending creates, synced
tickets, conflicts recorded, the last pass's reconciliation count (every remote item
mirrored, left out on purpose, or missing), the service's budget left as last measured,
errors of the last pass. \`tack connect status\` is the same.`;

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, cmd: string) {
  return parseCommandArgs({ args: argv, options, allowPositionals: true }, cmd);
}

function kindArg(word: string | undefined, cmd: string): ConnectorKind {
  if (!isKind(word))
    throw new TackError(
      'invalid_input',
      `tack ${cmd} expects a service: ${KINDS.join(', ')}; received ${JSON.stringify(word ?? '')}`,
    );
  return word;
}

const pairs = (list: string[] | undefined, flag: string): Record<string, string> =>
  Object.fromEntries(
    (list ?? []).map((p) => {
      const i = p.indexOf('=');
      if (i <= 0 || i === p.length - 1)
        throw new TackError('invalid_input', `--${flag} expects NAME=VALUE; received ${JSON.stringify(p)}`);
      return [p.slice(0, i), p.slice(i + 1)];
    }),
  );

function pollMs(s: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(s.trim());
  if (!m)
    throw new TackError(
      'invalid_input',
      `--poll expects a duration like 30s, 5m or 500ms (0: off); received ${JSON.stringify(s)}`,
    );
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}

export async function connectCommand(argv: string[], g: Globals, print: Print): Promise<number> {
  if (g.help) {
    print(`${CONNECT_HELP}\n`);
    return 0;
  }
  const { values, positionals } = parse(
    argv,
    {
      team: { type: 'string' },
      repo: { type: 'string' },
      board: { type: 'string' },
      list: { type: 'string', multiple: true },
      user: { type: 'string', multiple: true },
      'api-url': { type: 'string' },
      'api-key': { type: 'string' },
      token: { type: 'string' },
      'webhook-secret': { type: 'string' },
      poll: { type: 'string' },
      'callback-url': { type: 'string' },
      filter: { type: 'string', multiple: true },
      'pull-filter': { type: 'string', multiple: true },
    },
    'connect',
  );
  if (positionals[0] === 'status' && positionals.length === 1) return connectionsCommand([], g, print);
  const kind = kindArg(positionals[0], 'connect');
  const scopeFlag = { linear: 'team', github: 'repo', trello: 'board' }[kind] as 'team' | 'repo' | 'board';
  const scope = values[scopeFlag] as string | undefined;
  if (!scope) throw new TackError('invalid_input', `tack connect ${kind} needs --${scopeFlag}`);
  const ctx = createContext({ effects: nodeEffects(), cwd: g.cwd, branch: g.branch });
  const cs = new ConnectionStore(ctx.store());
  const prev = cs.all()[kind];
  // --filter replaces the saved filter (`--filter all`: none); without it the filter stays.
  const filter = values.filter ? parseSyncFilter(values.filter as string[], kind) : (prev?.config.filter ?? null);
  if (filter) await checkSyncFilter(ctx, filter);
  const pullFilter = values['pull-filter']
    ? parsePullFilter(kind, values['pull-filter'] as string[])
    : (prev?.config.pullFilter ?? null);
  const config: ConnectionConfig = {
    kind,
    scope,
    ...(values['api-url']
      ? { apiUrl: values['api-url'] as string }
      : prev?.config.apiUrl
        ? { apiUrl: prev.config.apiUrl }
        : {}),
    users: { ...prev?.config.users, ...pairs(values.user as string[] | undefined, 'user') },
    ...(filter ? { filter: filter as Record<string, string[]> } : {}),
    ...(pullFilter ? { pullFilter: pullFilter as Record<string, string[]> } : {}),
    options: {
      ...prev?.config.options,
      ...(values.poll !== undefined ? { pollMs: pollMs(values.poll as string) } : {}),
      ...(values['callback-url'] ? { callbackUrl: values['callback-url'] as string } : {}),
    },
    ...(kind === 'trello'
      ? { lists: { ...prev?.config.lists, ...pairs(values.list as string[] | undefined, 'list') } }
      : {}),
  };
  // Re-connecting to the same scope keeps the cursor; another scope starts over. So does
  // another --pull-filter: items it left out before were passed by the cursor, and a
  // re-read is harmless (items seen again are recognised by their update time).
  const sameScope = prev && prev.config.scope === scope;
  const samePull = JSON.stringify(prev?.config.pullFilter ?? null) === JSON.stringify(config.pullFilter ?? null);
  const state = !sameScope
    ? { errors: [], conflicts: 0 }
    : samePull
      ? prev.state
      : { ...prev.state, cursor: undefined };
  cs.save(kind, { config, state });
  const creds: Record<string, string> = { ...cs.credentials(kind) };
  const keyName = kind === 'linear' ? 'apiKey' : kind === 'github' ? 'token' : 'key';
  if (values['api-key']) creds[keyName] = values['api-key'] as string;
  if (values.token && kind === 'trello') creds.token = values.token as string;
  if (values['webhook-secret']) creds.webhookSecret = values['webhook-secret'] as string;
  if (values['api-key'] || values.token || values['webhook-secret']) cs.saveCredentials(kind, creds);
  const webhook = values['callback-url'] ? await ensureWebhook(config, creds, values['callback-url'] as string) : null;
  const out = {
    connection: kind,
    scope,
    apiUrl: config.apiUrl ?? null,
    users: config.users,
    filter: config.filter ?? null,
    pullFilter: config.pullFilter ?? null,
    credentials: Object.keys(creds).sort(),
    webhook,
  };
  const hookLine = webhook ? `; webhook ${webhook.id} ${webhook.created ? 'registered' : 'already registered'}` : '';
  print(
    g.json
      ? `${JSON.stringify(out, null, 2)}\n`
      : `connected ${kind} (${scope})${hookLine}; run \`tack sync ${kind}\` to sync\n`,
  );
  return 0;
}

/**
 * Register the service's webhook for --callback-url, reusing one already there. The
 * connection is saved first, so a failure (the URL not answering yet) can simply be retried.
 */
async function ensureWebhook(
  config: ConnectionConfig,
  saved: Record<string, string>,
  url: string,
): Promise<{ id: string; created: boolean }> {
  const connector = await makeConnector(config, resolveCredentials(config.kind, saved));
  if (!connector.ensureWebhook)
    throw new TackError(
      'invalid_input',
      `tack cannot register ${config.kind} webhooks; register ${url} with the service by hand`,
    );
  try {
    return await connector.ensureWebhook(url);
  } catch (e) {
    throw new TackError(
      'invalid_input',
      `${config.kind} did not register the webhook for ${url} (the connection is saved; fix the cause, e.g. run \`tack serve\` so the URL answers, and connect again): ${(e as Error).message}`,
      { callbackUrl: url },
    );
  }
}

function tty(json: boolean) {
  if (json || !process.stderr.isTTY) return undefined;
  return progressLine((text) => process.stderr.write(text));
}

const planLine = (side: string, e: PlanEntry) =>
  `  ${side} ${e.action}: ${[e.ticket, e.remote].filter(Boolean).join(' / ')}${e.title ? ` "${e.title}"` : ''}${
    e.fields?.length && e.action !== 'create' ? ` (${e.fields.join(', ')})` : ''
  }`;

export function renderSync(r: SyncResult): string {
  if (r.plan) {
    const { local, remote } = r.plan;
    const count = (es: PlanEntry[], a: PlanEntry['action']) => es.filter((e) => e.action === a).length;
    const side = (es: PlanEntry[]) =>
      `${count(es, 'create')} create, ${count(es, 'update')} update, ${count(es, 'close')} close`;
    const skipped = count(local, 'skip');
    return [
      `${r.connection} ${r.scope} (dry run, nothing written): local: ${side(local)}${skipped ? `, ${skipped} skipped (--pull-filter)` : ''}; remote: ${side(remote)}${r.outOfScope ? `; ${r.outOfScope} out of scope` : ''}`,
      ...local.map((e) => planLine('local', e)),
      ...remote.map((e) => planLine('remote', e)),
      ...r.warnings.map((w) => `  warning: ${w}`),
      ...r.errors.map((e) => `  error: ${e}`),
    ].join('\n');
  }
  const lines = [
    `${r.connection} ${r.scope}: pulled ${r.pulled}; local: ${r.localCreated} imported, ${r.localUpdated} updated; remote: ${r.remoteCreated} created, ${r.remoteUpdated} updated, ${r.commentsPushed} comments; ${r.conflicts} conflicts; ${r.commits.length} commits`,
    `  ${reconciliationLine(r.reconciliation)}`,
  ];
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const e of r.errors) lines.push(`  error: ${e}`);
  return lines.join('\n');
}

/** Every remote item the pass read, accounted for (mirrored, left out on purpose, or missing). */
function reconciliationLine(c: Reconciliation): string {
  const parts = [`${c.seen} remote items read: ${c.mirrored} mirrored`];
  if (c.outOfScope) parts.push(`${c.outOfScope} outside --pull-filter`);
  if (c.deletedHere) parts.push(`${c.deletedHere} deleted here`);
  if (c.missing) parts.push(`${c.missing} missing (see errors)`);
  return `${parts.join(', ')}${c.skipped ? `; ${c.skipped} not issues` : ''}`;
}

type Window = { limit: number; remaining: number; resetAt: string; periodMs?: number };
type Budget = { measuredAt: string; complexity?: Window; requests?: Window; appRequests?: Window };
/** What is left of the service's budgets, as last measured (`measuredAt`), in ISO times. */
function budgetOf(b: RateBudget | undefined): Budget | null {
  if (!b?.measuredAt) return null;
  const w = (x: RateWindow | undefined) =>
    x
      ? {
          limit: x.limit,
          remaining: x.remaining,
          resetAt: new Date(x.resetAt).toISOString(),
          ...(x.periodMs !== undefined ? { periodMs: x.periodMs } : {}),
        }
      : undefined;
  return {
    measuredAt: new Date(b.measuredAt).toISOString(),
    complexity: w(b.complexity),
    requests: w(b.requests),
    appRequests: w(b.appRequests),
  };
}

function budgetLine(b: Budget): string {
  const part = (name: string, w: Window | undefined) =>
    w
      ? `${w.remaining} of ${w.limit} ${name}${w.periodMs ? ` per ${w.periodMs / 1000} s` : ''} left (full again ${w.resetAt})`
      : null;
  const parts = [
    part('complexity points', b.complexity),
    part('requests', b.requests),
    part('requests of the app key', b.appRequests),
  ].filter(Boolean);
  return `${parts.join(', ')}; measured ${b.measuredAt}`;
}

export async function syncCommand(argv: string[], g: Globals, print: Print): Promise<number> {
  if (g.help) {
    print(`${SYNC_HELP}\n`);
    return 0;
  }
  const { positionals, values } = parse(argv, { 'dry-run': { type: 'boolean' } }, 'sync');
  const kind = kindArg(positionals[0], 'sync');
  const ctx = createContext({ effects: nodeEffects(), cwd: g.cwd, branch: g.branch, progress: tty(g.json) });
  const r = await syncPass(ctx, kind, { dryRun: values['dry-run'] === true });
  print(`${g.json ? JSON.stringify(r, null, 2) : renderSync(r)}\n`);
  return r.errors.length > 0 ? 1 : 0;
}

export async function connectionsCommand(argv: string[], g: Globals, print: Print): Promise<number> {
  if (g.help) {
    print(`${CONNECTIONS_HELP}\n`);
    return 0;
  }
  parse(argv, {}, 'connections');
  const cs = new ConnectionStore(createContext({ effects: nodeEffects(), cwd: g.cwd, branch: g.branch }).store());
  const rows = Object.entries(cs.all()).map(([kind, c]) => ({
    connection: kind,
    scope: c.config.scope,
    apiUrl: c.config.apiUrl ?? null,
    filter: c.config.filter ?? null,
    pullFilter: c.config.pullFilter ?? null,
    reconciliation: c.state.reconciliation ?? null,
    budget: budgetOf(c.state.budget),
    lastSync: c.state.lastSync ?? null,
    cursor: c.state.cursor ?? null,
    pending: cs.pending(kind as ConnectorKind).map((p) => p.ticket),
    synced: cs.bases(kind as ConnectorKind).length,
    conflicts: c.state.conflicts,
    lastError: c.state.lastError ?? null,
    errors: c.state.errors,
  }));
  if (g.json) print(`${JSON.stringify({ connections: rows }, null, 2)}\n`);
  else if (rows.length === 0) print('no connections; see `tack connect --help`\n');
  else
    for (const r of rows) {
      print(
        `${r.connection} ${r.scope}: last sync ${r.lastSync ?? 'never'}, cursor ${r.cursor ?? '-'}, ${r.synced} synced, ${r.pending.length} pending, ${r.conflicts} conflicts${r.lastError ? `, last error: ${r.lastError}` : ''}\n`,
      );
      if (r.reconciliation) print(`  last pass: ${reconciliationLine(r.reconciliation)}\n`);
      if (r.budget) print(`  budget: ${budgetLine(r.budget)}\n`);
      for (const e of r.errors) print(`  error: ${e}\n`);
    }
  return 0;
}

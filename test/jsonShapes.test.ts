import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cliAdapter } from '../src/cli/adapters.js';
import { errorAnswerShape } from '../src/model/jsonShapes.js';
import type { OpDef } from '../src/ops/op.js';
import { REGISTRY } from '../src/ops/registry.js';
import { git, type TackResult, tackAsync, tackJson, tackRaw, tempRepo, tempStore } from './helpers.js';

/**
 * Every `--json` answer the CLI prints, parsed with the shape its operation declares
 * (`output`, ops/op.ts), strictly: a key an answer carries that the shape does not declare
 * fails here, as does a declared key of the wrong type. One store, one process per command;
 * independent commands run a few at a time.
 */

/** The value a custom schema field may hold (string, number, date, bool, enum, user, ticket, list). */
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/**
 * The declared shape made strict at every depth; objects open to custom schema fields
 * (a ticket: `catchall(unknown)`) accept exactly this store's field names and no other key.
 */
function strict(s: z.ZodType, custom: readonly string[], seen = new Map<z.ZodType, z.ZodType>()): z.ZodType {
  const done = seen.get(s);
  if (done) return done;
  if (s instanceof z.ZodObject) {
    // A shape that contains itself (a tree node's children) refers back to the copy being made.
    let made: z.ZodType | undefined;
    seen.set(
      s,
      z.lazy(() => made!),
    );
    const shape: Record<string, z.ZodType> = {};
    if (s._zod.def.catchall instanceof z.ZodUnknown) for (const f of custom) shape[f] = fieldValue.optional();
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) shape[k] = strict(v, custom, seen);
    made = z.strictObject(shape);
    seen.set(s, made);
    return made;
  }
  const inner = (t: unknown) => strict(t as z.ZodType, custom, seen);
  if (s instanceof z.ZodArray) return z.array(inner(s.element));
  if (s instanceof z.ZodOptional) return inner(s.unwrap()).optional();
  if (s instanceof z.ZodNullable) return inner(s.unwrap()).nullable();
  if (s instanceof z.ZodUnion) return z.union((s.options as z.ZodType[]).map(inner));
  if (s instanceof z.ZodRecord) return z.record(s.keyType as z.ZodString, inner(s.valueType));
  return s;
}

const ops = new Map<string, OpDef>();
const checked = new Set<string>();
let dir = '';
let custom: string[] = [];
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  for (const e of REGISTRY) ops.set(e.name, (await e.load()).default);
  const store = tempStore({ prefix: 'tack-shapes-' });
  cleanups.push(store.cleanup);
  dir = store.dir;
  custom = (tackJson(dir, 'schema') as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
});

afterAll(() => {
  for (const c of cleanups) c();
});

interface Run {
  /** The operation whose declared output the answer must match. */
  op: string;
  args: string[];
  /** The exit status expected (default 0). */
  status?: number;
  env?: Record<string, string>;
  cwd?: string;
}

/** Parse one command's stdout with its operation's declared shape (or its CLI adapter's). */
function verify(run: Run, r: TackResult): unknown {
  const where = `tack ${run.args.join(' ')} --json`;
  expect(r.status, `${where}: ${r.stderr}`).toBe(run.status ?? 0);
  const op = ops.get(run.op);
  if (!op) throw new Error(`no operation ${run.op}`);
  const shape = cliAdapter(run.op)?.output?.(op) ?? op.output();
  const json = JSON.parse(r.stdout) as unknown;
  const parsed = strict(shape, custom).safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${where}: the answer does not match ${run.op}'s declared output:\n${z.prettifyError(parsed.error)}`,
    );
  checked.add(run.op);
  return json;
}

async function one(run: Run): Promise<any> {
  return verify(run, await tackAsync(run.cwd ?? dir, [...run.args, '--json'], run.env));
}

/** Independent commands, a few processes at a time (the suite shares two cores). */
async function all(runs: Run[], width = 3): Promise<any[]> {
  const out: unknown[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const i = next++;
      out[i] = await one(runs[i]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

const w = (op: string, ...args: string[]): Run => ({ op, args: args.length ? args : [op] });

describe('--json answers match the shapes their operations declare', () => {
  // About 75 s alone (every command, each a process): a loaded machine has taken over 120.
  it('every command, on one store', { timeout: 300_000 }, async () => {
    const epic = (await one(w('create', 'create', 'Epic', '-t', 'epic'))).id as string;
    const child = (await one(w('create', 'create', 'Child', '--parent', epic, '-d', 'body', '-l', 'bug', '-l', 'ui')))
      .id as string;
    const third = (await one(w('create', 'create', 'Third', '--blocks', child))).id as string;
    for (const run of [
      w('update', 'update', child, '-s', 'in-progress', '-p', 'high'),
      w('comment', 'comment', child, 'a comment'),
      w('label-add', 'label', 'add', child, 'x'),
      w('label-rm', 'label', 'rm', child, 'x'),
      w('unlink', 'unlink', third, 'blocks', child),
      w('link', 'link', third, 'blocks', child),
      w('claim', 'claim', third),
      w('docs-write', 'docs', 'add', 'notes/a.md', '--text', `# Notes\n\nsee ${child}\n`),
      w('view-save', 'view', 'save', 'mine', '--filter', 'status=todo', '--description', 'my view'),
      w('view-rename', 'view', 'rename', 'mine', 'ours'),
      w('reserve', 'reserve', 'src/a.ts', '--ticket', child, '--local'),
      w('close', 'close', epic, '-r', 'done'),
      w('reopen', 'reopen', epic),
    ])
      await one(run);
    const note = (await one(w('comment', 'comment', third, 'to be edited'))).comment.id as string;
    await one(w('comment-edit', 'comment', 'edit', third, note, 'edited text'));
    await one(w('comment-delete', 'comment', 'delete', third, note));

    const side = mkdtempSync(join(tmpdir(), 'tack-shapes-files-'));
    cleanups.push(() => rmSync(side, { recursive: true, force: true }));
    await all([
      w('list'),
      w('list', 'list', '--all', '-n', '1'),
      w('show', 'show', child),
      w('ready'),
      w('blocked'),
      w('search', 'search', 'Child'),
      w('search', 'search', 'Child', '--cloud'),
      w('claims'),
      w('claims', 'claims', '--all'),
      w('reservations'),
      w('reservations-check', 'reservations', 'check', 'src/a.ts'),
      w('tree'),
      w('tree', 'tree', epic),
      w('log'),
      w('log', 'log', child),
      w('docs-list', 'docs'),
      w('docs-show', 'docs', 'show', 'notes/a.md'),
      w('docs-show', 'docs', 'show', 'notes/a.md', '--limit', '3'),
      w('docs-log', 'docs', 'log', 'notes/a.md'),
      w('stats'),
      w('stats', 'stats', '--by', 'actor'),
      w('recent'),
      w('stale', 'stale', '--days', '0'),
      w('board'),
      w('whoami'),
      w('schema-show', 'schema'),
      w('sql', 'sql', 'SELECT id, title, priority FROM tickets'),
      w('conflicts'),
      w('export', 'export', 'jsonl'),
      w('export', 'export', 'csv', '--out', join(side, 'out.csv')),
      w('export', 'export', 'backlog', join(side, 'backlog')),
      w('status'),
      w('branch-list', 'branch'),
      w('doctor'),
      w('validate'),
      w('verify'),
      w('config'),
      w('brief', 'brief', child),
      w('prime'),
      { op: 'wait', args: ['wait', child, '--state', 'done', '--timeout', '0'], status: 124 },
      w('wait', 'wait', child, '--state', 'in-progress', '--timeout', '0'),
      w('hooks-list', 'hooks', 'list'),
      w('hooks-log', 'hooks', 'log'),
      w('workspace-list', 'workspace'),
      w('workspace-route', 'workspace', 'route'),
      w('reviews'),
      w('view-list', 'view'),
    ]);

    const fourth = (await one(w('create', 'create', 'Fourth', '-p', 'low'))).id as string;
    for (const run of [
      w('release', 'release', third),
      w('claim-next', 'claim', 'next'),
      w('reserve', 'reserve', '--release', '--local'),
      w('commit'),
      w('ask', 'ask', child, 'why?'),
      { ...w('answer', 'answer', child, 'because'), env: { TACK_USER: 'other' } },
      w('submit', 'submit', child, '-c', 'it works', '-i', 'run it'),
      { ...w('review', 'review', child, 'approve', 'fine'), env: { TACK_USER: 'other' } },
      w('note', 'note', 'HEAD', '-m', 'a note', '--ticket', child),
      w('start', 'start', epic),
      w('sql', 'sql', '--write', "UPDATE tickets SET priority = 'medium' WHERE id = ?", '-p', fourth),
      w('schema-rename-state', 'schema', 'rename-state', 'needs-context', 'needs-info'),
      w('schema-rename-field', 'schema', 'rename-field', 'audience', 'audience2'),
      w('schema-rename-field', 'schema', 'rename-field', 'audience2', 'audience'),
      w('branch-create', 'branch', 'create', 'plan1'),
      w('branch-merge', 'branch', 'merge', 'plan1'),
      w('branch-delete', 'branch', 'delete', 'plan1'),
      w('view-delete', 'view', 'delete', 'ours'),
      w('setup'),
      w('setup-agents', 'setup', 'agents'),
      w('hooks-install', 'hooks', 'install'),
      w('hooks-uninstall', 'hooks', 'uninstall'),
      w('hooks-run', 'hooks', 'run'),
      w('commits-scan', 'commits', 'scan'),
      w('reindex'),
    ])
      await one(run);

    writeFileSync(join(side, 'batch.json'), JSON.stringify([{ op: 'comment', id: child, text: 'batched' }]));
    writeFileSync(join(side, 'schema.yaml'), git(dir, 'show', 'tack:schema.yaml'));
    const edited = git(dir, 'show', `tack:tickets/${fourth}.md`).replace('title: Fourth', 'title: Fourth edited');
    for (const run of [
      w('batch', 'batch', join(side, 'batch.json')),
      w('schema-edit', 'schema', 'set', join(side, 'schema.yaml')),
      w('edit', 'edit', fourth, `--text=${edited}`),
      w('delete', 'delete', fourth, '--force'),
      w('restore', 'restore', fourth),
      w('archive', 'archive', '--done-before', '0d', '--dry-run'),
      w('archive', 'archive', '--done-before', '0d'),
      w('revert', 'revert', git(dir, 'rev-parse', 'tack').trim()),
      w('mount', 'mount', join(side, 'mounted')),
      w('commit'),
      w('unmount'),
    ])
      await one(run);

    // A remote to sync with, a second store for the workspace, a fresh repository for init.
    const remote = join(side, 'remote.git');
    git(side, 'init', '-q', '--bare', remote);
    git(dir, 'remote', 'add', 'origin', remote);
    const other = tempStore({ prefix: 'tack-shapes-other-' });
    cleanups.push(other.cleanup);
    const fresh = tempRepo('tack-shapes-init-');
    cleanups.push(fresh.cleanup);
    await all([
      w('sync'),
      { ...w('init'), cwd: fresh.dir },
      w('init'),
      w('workspace-add', 'workspace', 'add', other.dir, '--name', 'other'),
    ]);
    await all([w('claims', 'claims', '--fetch'), w('status'), w('workspace-list', 'workspace'), w('list')]);
    await one(w('migrate-layout', 'migrate', 'layout', 'fanout', '--dry-run'));
    await one({ ...w('migrate-layout', 'migrate', 'layout', 'fanout'), cwd: fresh.dir });
    const proposed = await one(w('propose', 'propose', third, '--to', 'other'));
    await one(w('accept', 'accept', `other:${proposed.proposal.id}`));
    const again = await one(w('propose', 'propose', child, '--to', 'other'));
    expect(again.proposal.id).toBeTruthy();
    for (const run of [
      w('withdraw', 'withdraw', child),
      w('workspace-route', 'workspace', 'route', '--default', 'other'),
      w('workspace-remove', 'workspace', 'remove', 'other'),
    ])
      await one(run);

    // With agents.auto_sync a write's answer carries the sync's report.
    await one(w('config', 'config', 'agents.auto_sync', 'true'));
    const synced = await one(w('comment', 'comment', epic, 'synced'));
    expect(synced.auto_sync).toMatchObject({ ok: true });
    await one(w('config', 'config', 'agents.auto_sync', 'false'));

    const ticket = git(dir, 'show', `tack:tickets/${epic}.md`);
    for (const [name, text] of [
      ['base.md', ticket],
      ['ours.md', ticket.replace('title: Epic', 'title: Epic ours')],
      ['theirs.md', ticket.replace('title: Epic', 'title: Epic theirs')],
    ])
      writeFileSync(join(side, name), text);
    await one(
      w(
        'merge-file',
        'merge-file',
        ...['base.md', 'ours.md', 'theirs.md'].map((f) => join(side, f)),
        `tickets/${epic}.md`,
      ),
    );

    // A value that loses a merge is recorded in the ticket, listed, and cleared.
    await one(w('branch-create', 'branch', 'create', 'plan2'));
    await one(w('update', '--branch', 'plan2', 'update', epic, '-p', 'low'));
    await one(w('update', 'update', epic, '-p', 'urgent'));
    const merged = await one(w('branch-merge', 'branch', 'merge', 'plan2'));
    expect(merged.conflicts).toBeGreaterThan(0);
    const conflicts = await one(w('conflicts'));
    expect(conflicts[0].conflicts.length).toBeGreaterThan(0);
    await one(w('conflicts-resolve', 'conflicts', 'resolve', epic));

    // A webhook answered by a receiver here; removed again so no later write delivers to it.
    const server = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    await one(w('config', 'config', 'webhook.probe.url', `http://127.0.0.1:${port}/hook`));
    await one(w('hooks-test', 'hooks', 'test'));
    await one(w('config', 'config', 'webhook.probe.url', ''));

    expect([...ops.keys()].filter((n) => !checked.has(n))).toEqual([]);
  });

  it('the strict reading refuses a key no shape declares, and a declared key of the wrong type', () => {
    const [ticket] = tackJson(dir, 'list', '--all', '-n', '1') as Array<Record<string, unknown>>;
    const list = strict(ops.get('list')!.output(), custom);
    expect(list.safeParse([ticket]).success).toBe(true);
    expect(list.safeParse([{ ...ticket, surprise: 1 }]).success).toBe(false);
    expect(list.safeParse([{ ...ticket, labels: 'bug' }]).success).toBe(false);
    expect(custom.length).toBeGreaterThan(0);
    expect(list.safeParse([{ ...ticket, [custom[0]]: { nested: true } }]).success).toBe(false);
  });

  it('a failing command prints the declared error shape on stderr', () => {
    const r = tackRaw(dir, ['show', 'tk-nosuch', '--json']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    const parsed = strict(errorAnswerShape(), []).parse(JSON.parse(r.stderr.trim().split('\n')[0]));
    expect(parsed).toMatchObject({ error: { code: 'not_found' } });
  });
});

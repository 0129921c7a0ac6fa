import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from '../ops/op.js';
import { loadOp, reachesRemote, runOp, runOpInTurn, wholeRowsOf, type WholeRows } from '../ops/runOp.js';
import { withPage } from '../ops/page.js';
import { idArg } from '../ops/ticketInput.js';
import { reloadWorkspace } from '../store/store.js';
import { checkArgs } from './checkArgs.js';

/**
 * Which operations MCP offers and how: the tool's name, the op behind it, the inputs kept
 * (agents pay for every schema token, so rarely useful options are left out), and fixed
 * inputs. Everything else — types, enums, descriptions, validation — comes from the op's
 * zod schema, so a change to an operation shows up here without touching this file.
 */
export interface ToolSpec {
  name: string;
  op: string;
  /** Input keys offered, in order; a ticket argument is always `id`. */
  keys: string[];
  /** Short description (the op's summary when absent). */
  description?: string;
  /** Inputs always passed (e.g. read-only sql). */
  fixed?: Record<string, unknown>;
  /** Extra boolean inputs this tool adds, with what they do ('' when the name says it). */
  extra?: Record<string, string>;
  /**
   * Other operations the tool may run (ready with claim: claim-next): its annotations cover
   * them too, and an offered key the main op lacks comes from them (comment's `comment`).
   */
  also?: string[];
  /** The fixed inputs make a write op a read (sql without write). */
  readOnly?: true;
  /** Offered keys that are optional here though the op requires them (docs without a path lists). */
  optional?: string[];
  /** Inputs passed when the caller gives none (an agent's context is smaller than a terminal). */
  defaults?: Record<string, unknown>;
  /** The result key that is the answer, as text (a markdown brief rather than its JSON). */
  text?: string;
}

export const TOOL_SPECS: ToolSpec[] = [
  { name: 'prime', op: 'prime', keys: [], description: 'Start here: what is ready, what you hold, how', text: 'text' },
  {
    name: 'ready',
    op: 'ready',
    keys: ['for', 'type', 'label', 'limit', 'offset'],
    description: 'Work ready to start, by priority',
    extra: { claim: 'claim the top one' },
    also: ['claim-next'],
  },
  {
    name: 'list',
    op: 'list',
    keys: ['status', 'type', 'label', 'assignee', 'parent', 'reviewed', 'all', 'limit', 'offset'],
  },
  {
    name: 'show',
    op: 'show',
    keys: ['id'],
    description: 'A ticket in full',
    fixed: { history: false },
  },
  { name: 'search', op: 'search', keys: ['words', 'open', 'limit', 'offset'], description: 'Full-text search, ranked' },
  {
    name: 'create',
    op: 'create',
    keys: [
      'title',
      'type',
      'priority',
      'label',
      'assignee',
      'parent',
      'description',
      'blocks',
      'link',
      'discovered_from',
      'audience',
    ],
  },
  {
    name: 'update',
    op: 'update',
    keys: [
      'id',
      'title',
      'type',
      'status',
      'priority',
      'assignee',
      'parent',
      'description',
      'add_label',
      'remove_label',
      'field',
    ],
  },
  {
    name: 'comment',
    op: 'comment',
    keys: ['id', 'text', 'comment'],
    optional: ['text', 'comment'],
    extra: { delete: '' },
    also: ['comment-edit', 'comment-delete'],
    description: 'Comment on a ticket; comment: id to edit or delete',
  },
  { name: 'link', op: 'link', keys: ['id', 'kind', 'target'], description: 'Relate two tickets' },
  {
    name: 'claim',
    op: 'claim',
    keys: ['id', 'for', 'local'],
    description: 'Assign to you and start, unless held',
  },
  { name: 'release', op: 'release', keys: ['id', 'unassign'], description: 'Give up a claim' },
  {
    name: 'reserve',
    op: 'reserve',
    keys: ['paths', 'id', 'ttl', 'release'],
    description: 'Reserve files you edit',
  },
  { name: 'ask', op: 'ask', keys: ['id', 'question'], description: 'Ask the owner; the ticket waits' },
  {
    name: 'answer',
    op: 'answer',
    keys: ['id', 'answer'],
    description: 'Answer the open question',
  },
  {
    name: 'submit',
    op: 'submit',
    keys: ['id', 'criteria', 'instructions'],
    description: 'Hand work to a human for review',
  },
  { name: 'review', op: 'review', keys: ['id', 'verdict', 'reason'] },
  {
    name: 'wait',
    op: 'wait',
    keys: ['id', 'state', 'answered', 'reviewed', 'ready', 'for', 'timeout'],
    description: 'Wait for a condition (≤60 s; timedOut: retry)',
  },
  {
    name: 'close',
    op: 'close',
    keys: ['id', 'reason', 'cancel'],
    description: 'Complete or cancel a ticket; reason: resolution',
  },
  {
    name: 'brief',
    op: 'brief',
    keys: ['id'],
    description: 'All you need to do a ticket (markdown)',
    text: 'markdown',
  },
  {
    name: 'docs',
    op: 'docs-show',
    keys: ['path', 'offset'],
    optional: ['path'],
    also: ['docs-list'],
    description: 'List docs; with path, read one (from offset)',
    defaults: { limit: 16_000 },
  },
  { name: 'write_doc', op: 'docs-write', keys: ['path', 'text'], description: 'Add or replace a doc' },
  {
    name: 'sql',
    op: 'sql',
    keys: ['query', 'param', 'timeout'],
    description: 'Read-only SQL: tickets, labels, relations, comments, links, history',
    fixed: { write: false },
    readOnly: true,
  },
  { name: 'sync', op: 'sync', keys: [], description: "Publish your changes, get everyone else's" },
];

/** The longest one MCP call blocks (`wait`): clients time requests out, and a tool call should come back. */
export const MCP_WAIT_MS = 60_000;

type Json = Record<string, unknown>;

/** A description cut to its first clause: enough for a model to pick the right value. */
export function shortText(s: string | undefined, max = 60): string | undefined {
  if (!s) return undefined;
  const cut = s.split(/ \(|; |\. (?=[A-Z])/)[0].trim();
  return cut.length > max ? `${cut.slice(0, max - 1)}…` : cut;
}

/**
 * Inputs whose name says it all: no description (the server's instructions say ids take
 * prefixes). Every description is paid for in every session, whether the tool is used or not.
 */
const SELF_EXPLANATORY = new Set([
  ...['id', 'title', 'limit', 'offset', 'text', 'type', 'status', 'label', 'assignee', 'parent'],
  ...['description', 'add_label', 'remove_label', 'words', 'question', 'answer', 'reason', 'query', 'timeout'],
]);

/** JSON Schema keeping only what a caller needs: type, enum, items, a short description. */
export function compactSchema(node: Json, name = ''): Json {
  const out: Json = {};
  if (node.type) out.type = node.type === 'integer' ? 'number' : node.type;
  if (Array.isArray(node.enum)) out.enum = node.enum;
  if (node.items && typeof node.items === 'object') out.items = compactSchema(node.items as Json);
  const d = SELF_EXPLANATORY.has(name) ? undefined : shortText(node.description as string | undefined);
  // "approve or reject" next to enum [approve, reject] says nothing more.
  const restates = Array.isArray(node.enum) && d && node.enum.every((v) => d.includes(String(v)));
  if (d && !restates) out.description = d;
  if (node.properties && typeof node.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Json>).map(([k, v]) => [k, compactSchema(v, k)]),
    );
  }
  if (Array.isArray(node.required) && node.required.length) out.required = node.required;
  return out;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Json & { type: 'object' };
  annotations: ToolAnnotations;
}

/**
 * What a tool may do, from the operations behind it (their kind, and what writes declare):
 * a read only if every op it can run reads; destructive if any write may be; idempotent
 * only if every write is.
 */
export function annotationsFor(spec: ToolSpec, ops: OpDef[]): ToolAnnotations {
  const writes = spec.readOnly ? [] : ops.filter((o) => o.kind === 'write');
  if (writes.length === 0) return { readOnlyHint: true };
  // MCP's defaults for a write (destructive, not idempotent) go unsaid: the same meaning in
  // fewer bytes of every agent's context.
  return {
    readOnlyHint: false,
    ...(writes.some((o) => o.destructive !== false) ? {} : { destructiveHint: false }),
    ...(writes.every((o) => o.idempotent === true) ? { idempotentHint: true } : {}),
  };
}

/**
 * The op's input schema for the offered keys (a key it lacks from the other ops the tool
 * runs); a ticket argument is `id`, even where the op takes a list.
 */
function pickedShape(spec: ToolSpec, op: OpDef, others: OpDef[]): Record<string, z.ZodType> {
  const shapeOf = (o: OpDef) => (o.input as z.ZodObject).shape as Record<string, z.ZodType>;
  const shape = shapeOf(op);
  const fromOthers = (k: string) => others.map(shapeOf).find((s) => k in s)?.[k];
  const at = (k: string): z.ZodType | undefined =>
    k === 'id' && !('id' in shape) && 'ids' in shape ? idArg : (shape[k] ?? fromOthers(k));
  const missing = spec.keys.filter((k) => !at(k));
  if (missing.length)
    throw new TackError('internal', `MCP tool ${spec.name}: operation ${op.name} has no input ${missing.join(', ')}`);
  const local = spec.keys.filter((k) => [op, ...others].some((o) => o.localKeys?.includes(k)));
  if (local.length)
    throw new TackError('internal', `MCP tool ${spec.name}: ${local.join(', ')} of ${op.name} is for the CLI only`);
  return Object.fromEntries(spec.keys.map((k) => [k, spec.optional?.includes(k) ? at(k)!.optional() : at(k)!]));
}

/** The tool for one spec, its input schema made from the op's zod schema. */
export function toolFor(spec: ToolSpec, op: OpDef, others: OpDef[] = []): McpTool {
  // The op's own declaration says which surfaces may run it (OpDef.localOnly).
  const local = [op, ...others].find((o) => o.localOnly);
  if (local) throw new TackError('internal', `MCP tool ${spec.name}: operation ${local.name} is for the CLI only`);
  const schema = compactSchema(
    z.toJSONSchema(z.object(pickedShape(spec, op, others)), { io: 'input', unrepresentable: 'any' }) as Json,
  );
  const props = (schema.properties ?? {}) as Record<string, Json>;
  for (const [k, d] of Object.entries(spec.extra ?? {}))
    props[k] = d ? { type: 'boolean', description: d } : { type: 'boolean' };
  return {
    name: spec.name,
    description: spec.description ?? shortText(op.summary, 90)!,
    inputSchema: { ...schema, type: 'object', properties: props },
    annotations: annotationsFor(spec, [op, ...others]),
  };
}

async function toolOf(spec: ToolSpec): Promise<McpTool> {
  return toolFor(spec, await loadOp(spec.op), await Promise.all((spec.also ?? []).map(loadOp)));
}

export async function listTools(): Promise<McpTool[]> {
  return Promise.all(TOOL_SPECS.map(toolOf));
}

/** The op input for a tool call: offered keys, defaults under them, fixed ones on top. */
function opInput(spec: ToolSpec, op: OpDef, args: Record<string, unknown>): Record<string, unknown> {
  const shape = (op.input as z.ZodObject).shape as Record<string, unknown>;
  const input: Record<string, unknown> = { ...spec.defaults };
  for (const [k, v] of Object.entries(args)) {
    if (!spec.keys.includes(k)) continue;
    if (k === 'id' && !('id' in shape) && 'ids' in shape) input.ids = [v];
    else input[k] = v;
  }
  return { ...input, ...spec.fixed };
}

/** Run a tool: arguments checked, then its operation (ready with claim claims; docs without a path lists). */
export async function callTool(ctx: OpContext, name: string, args: Record<string, unknown>): Promise<unknown> {
  const spec = TOOL_SPECS.find((s) => s.name === name);
  if (!spec)
    throw new TackError(
      'unknown_command',
      `unknown tool "${name}"; expected one of: ${TOOL_SPECS.map((s) => s.name).join(', ')}`,
    );
  checkArgs(await toolOf(spec), args);
  reloadWorkspace(ctx.store()); // `tack workspace add/remove` need no restart
  const op = await loadOp(spec.op);
  const input = opInput(spec, op, args);
  if (name === 'ready' && args.claim === true)
    return withAutoSync(
      ctx,
      'claim-next',
      await offLoop(ctx, await loadOp('claim-next'), { type: input.type, label: input.label, audience: input.for }),
    );
  if (name === 'docs' && args.path === undefined) return runOp(ctx, 'docs-list', { offset: input.offset });
  const opName = commentRoute(name, args) ?? spec.op;
  // A wait blocks at most MCP_WAIT_MS a call: clients time requests out.
  const bounded = { ...ctx, maxWaitMs: Math.min(ctx.maxWaitMs ?? MCP_WAIT_MS, MCP_WAIT_MS) };
  const whole = opName === spec.op ? await wholeRowsOf(bounded, op, input) : undefined;
  if (whole) return rowsWithin(whole, ANSWER_BUDGET);
  const result =
    opName === spec.op && reachesRemote(op, input)
      ? await offLoop(bounded, op, input)
      : await runOpInTurn(bounded, opName, input);
  if (name === 'sync') return boundedSync(result as Record<string, unknown>);
  return withAutoSync(ctx, opName, result);
}

/**
 * No answer takes more than this of an agent's context: paged and budgeted tools stay far
 * under it; anything else (a huge description, a wide SQL result) is cut, and says so.
 */
export const ANSWER_BUDGET = 32_000;

/**
 * All of a read's rows asked for (`limit` 0): as many as its answer budget holds, read as they
 * come, and a page that says where the rest starts. Read whole, 100,000 tickets took the MCP
 * process past 400 MiB for an answer cut to 32 KB, and the cut left JSON no agent could parse.
 */
export function rowsWithin(rows: WholeRows, budget: number): unknown[] {
  const items: unknown[] = [];
  let bytes = 2; // the brackets
  for (const row of rows.source.read(undefined, rows.offset)) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (items.length > 0 && bytes + size > budget) break;
    items.push(row);
    bytes += size;
  }
  const total = rows.source.count();
  return withPage(items, { total, offset: rows.offset, limit: null, shown: items.length });
}

/**
 * A call that reaches a remote, run in a child process (as the server runs it): a slow remote
 * then holds the child, not this process, which goes on answering and stops when told (the
 * child and its git are killed with it; in-process, SIGTERM waited 28 s for a sync's fetch).
 */
async function offLoop(ctx: OpContext, op: OpDef, input: Record<string, unknown>): Promise<unknown> {
  remoteCalls ??= await import('../server/remoteOps.js');
  return remoteCalls.runOpInChild(
    { cwd: ctx.cwd, branch: ctx.store().plan, name: op.name, input, maxWaitMs: ctx.maxWaitMs },
    ctx.signal,
  );
}

let remoteCalls: typeof import('../server/remoteOps.js') | null = null;

/** The process stops: the calls to the remote under way are killed now, with their git. */
export function stopRemoteCalls(): void {
  void remoteCalls?.stopRemoteOps();
}

/** `comment` with a comment id edits that comment, or with `delete` removes it. */
function commentRoute(tool: string, args: Record<string, unknown>): string | undefined {
  if (tool !== 'comment') return undefined;
  if (args.comment === undefined) {
    if (args.delete === true)
      throw new TackError('invalid_input', 'delete needs comment: the id of the comment to delete (c-…)');
    return undefined;
  }
  if (args.delete === true) {
    if (args.text !== undefined)
      throw new TackError(
        'invalid_input',
        'give text to edit the comment, or delete: true to remove it; received both',
      );
    return 'comment-delete';
  }
  return 'comment-edit';
}

/** `agents.auto_sync`: a write is published before its answer (bounded), the outcome in `auto_sync`. */
async function withAutoSync(ctx: OpContext, opName: string, result: unknown): Promise<unknown> {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return result;
  const op = await loadOp(opName);
  if (op.kind !== 'write') return result;
  const { autoSync } = await import('../ops/autoSync.js');
  const report = await autoSync(ctx, op, result);
  return report ? { ...result, auto_sync: report } : result;
}

/** A sync's answer without the merged values of every conflict (`tack conflicts` has them): a few paths. */
function boundedSync(r: Record<string, unknown>): Record<string, unknown> {
  const { conflictFiles, ...rest } = r;
  const paths = ((conflictFiles ?? []) as Array<{ path: string }>).map((f) => f.path);
  return {
    ...rest,
    conflict_files: paths.slice(0, 10),
    ...(paths.length > 10 ? { more_conflict_files: paths.length - 10 } : {}),
  };
}

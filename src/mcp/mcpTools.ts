import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from '../ops/op.js';
import { loadOp, wholeRowsOf, type WholeRows } from '../ops/runOp.js';
import { withPage } from '../ops/page.js';
import { idArg } from '../ops/ticketInput.js';
import { reloadWorkspace } from '../store/store.js';
import { checkArgs } from './checkArgs.js';
import { TOOL_SPECS, type ToolSpec } from './toolSpecs.js';

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
      await placed(ctx, await loadOp('claim-next'), { type: input.type, label: input.label, audience: input.for }),
    );
  if (name === 'docs' && args.path === undefined)
    return placed(ctx, await loadOp('docs-list'), { offset: input.offset });
  const opName = commentRoute(name, args) ?? spec.op;
  // A wait blocks at most MCP_WAIT_MS a call: clients time requests out.
  const bounded = { ...ctx, maxWaitMs: Math.min(ctx.maxWaitMs ?? MCP_WAIT_MS, MCP_WAIT_MS) };
  const whole = opName === spec.op ? await wholeRowsOf(bounded, op, input) : undefined;
  if (whole) return rowsWithin(whole, ANSWER_BUDGET);
  const result = await placed(bounded, opName === spec.op ? op : await loadOp(opName), input);
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
 * Run a call where the server would (server/placedRun.ts): a call that reaches a remote in a
 * child of its own, a write in the write lane (as this client: its provenance travels with
 * it), a read that runs git in the read lane, an index read here. A slow remote, a lock wait
 * or a long read then holds another process, not this one, which goes on answering and stops
 * when told (in-process, SIGTERM waited 28 s for a sync's fetch).
 */
async function placed(ctx: OpContext, op: OpDef, input: Record<string, unknown>): Promise<unknown> {
  placedRuns ??= await import('../server/placedRun.js');
  return placedRuns.runPlaced(ctx, op, input, { branch: ctx.store().plan, maxWaitMs: ctx.maxWaitMs });
}

let placedRuns: typeof import('../server/placedRun.js') | null = null;

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

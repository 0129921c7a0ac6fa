import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from '../ops/op.js';
import { loadOp, runOp } from '../ops/runOp.js';

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
  /** Extra boolean inputs this tool adds, with what they do. */
  extra?: Record<string, string>;
}

export const TOOL_SPECS: ToolSpec[] = [
  {
    name: 'ready',
    op: 'ready',
    keys: ['for', 'type', 'label', 'limit', 'offset'],
    description: 'Work that can start now, by priority',
    extra: { claim: 'claim the top one (returns the claim)' },
  },
  {
    name: 'list',
    op: 'list',
    keys: ['status', 'type', 'label', 'assignee', 'parent', 'reviewed', 'all', 'limit', 'offset'],
  },
  { name: 'show', op: 'show', keys: ['id'], fixed: { history: false } },
  { name: 'search', op: 'search', keys: ['words', 'open', 'limit', 'offset'] },
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
  { name: 'comment', op: 'comment', keys: ['id', 'text'] },
  { name: 'link', op: 'link', keys: ['id', 'kind', 'target'] },
  {
    name: 'claim',
    op: 'claim',
    keys: ['id', 'for'],
    description: 'Take a ticket: assign to you and start it, unless someone holds it',
  },
  { name: 'release', op: 'release', keys: ['id'] },
  { name: 'ask', op: 'ask', keys: ['id', 'question'] },
  {
    name: 'answer',
    op: 'answer',
    keys: ['id', 'answer'],
    description: 'Answer the open question: back to ready, assigned to the asker',
  },
  {
    name: 'submit',
    op: 'submit',
    keys: ['id', 'criteria', 'instructions'],
    description: 'Hand work to its human: in-review plus a review ticket',
  },
  { name: 'review', op: 'review', keys: ['id', 'verdict', 'reason'] },
  {
    name: 'wait',
    op: 'wait',
    keys: ['id', 'state', 'answered', 'reviewed', 'ready', 'for', 'timeout'],
    description: 'Block until a condition holds (≤60 s a call; on timedOut call again)',
  },
  { name: 'brief', op: 'brief', keys: ['id'], description: 'Everything needed to do a ticket, as markdown' },
  {
    name: 'sql',
    op: 'sql',
    keys: ['query', 'param', 'timeout'],
    description: 'Read-only SQL over the index (tables: tickets, labels, relations, comments, links, history)',
    fixed: { write: false },
  },
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

/** Inputs whose name says it all: no description (the server's instructions say ids take prefixes). */
const SELF_EXPLANATORY = new Set(['id', 'title', 'limit', 'offset', 'text']);

/** JSON Schema keeping only what a caller needs: type, enum, items, a short description. */
export function compactSchema(node: Json, name = ''): Json {
  const out: Json = {};
  if (node.type) out.type = node.type === 'integer' ? 'number' : node.type;
  if (Array.isArray(node.enum)) out.enum = node.enum;
  if (node.items && typeof node.items === 'object') out.items = compactSchema(node.items as Json);
  const d = SELF_EXPLANATORY.has(name) ? undefined : shortText(node.description as string | undefined);
  if (d) out.description = d;
  if (node.properties && typeof node.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Json>).map(([k, v]) => [k, compactSchema(v, k)]),
    );
  }
  if (Array.isArray(node.required) && node.required.length) out.required = node.required;
  return out;
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Json & { type: 'object' };
}

/** The tool for one spec, its input schema made from the op's zod schema. */
export function toolFor(spec: ToolSpec, op: OpDef): McpTool {
  const shape = (op.input as z.ZodObject).shape as Record<string, z.ZodType>;
  const missing = spec.keys.filter((k) => !(k in shape));
  if (missing.length)
    throw new TackError('internal', `MCP tool ${spec.name}: operation ${op.name} has no input ${missing.join(', ')}`);
  const picked = z.object(Object.fromEntries(spec.keys.map((k) => [k, shape[k]])));
  const schema = compactSchema(z.toJSONSchema(picked, { io: 'input', unrepresentable: 'any' }) as Json);
  const props = (schema.properties ?? {}) as Record<string, Json>;
  for (const [k, d] of Object.entries(spec.extra ?? {})) props[k] = { type: 'boolean', description: d };
  return {
    name: spec.name,
    description: spec.description ?? shortText(op.summary, 90)!,
    inputSchema: { ...schema, type: 'object', properties: props },
  };
}

export async function listTools(): Promise<McpTool[]> {
  return Promise.all(TOOL_SPECS.map(async (s) => toolFor(s, await loadOp(s.op))));
}

/** Run a tool: only the offered inputs, the fixed ones on top; `ready` with `claim` claims. */
export async function callTool(ctx: OpContext, name: string, args: Record<string, unknown>): Promise<unknown> {
  const spec = TOOL_SPECS.find((s) => s.name === name);
  if (!spec)
    throw new TackError(
      'unknown_command',
      `unknown tool "${name}"; expected one of: ${TOOL_SPECS.map((s) => s.name).join(', ')}`,
    );
  const unknown = Object.keys(args).filter((k) => !spec.keys.includes(k) && !(k in (spec.extra ?? {})));
  if (unknown.length)
    throw new TackError(
      'invalid_input',
      `${name}: unknown argument ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected: ${[...spec.keys, ...Object.keys(spec.extra ?? {})].join(', ')}`,
    );
  const input = Object.fromEntries(Object.entries(args).filter(([k]) => spec.keys.includes(k)));
  if (name === 'ready' && args.claim === true) {
    return runOp(ctx, 'claim-next', { type: input.type, label: input.label, audience: input.for });
  }
  const bounded = { ...ctx, maxWaitMs: Math.min(ctx.maxWaitMs ?? MCP_WAIT_MS, MCP_WAIT_MS) };
  return runOp(bounded, spec.op, { ...input, ...spec.fixed });
}

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkArgs } from './checkArgs.js';
import { annotationsFor, compactSchema, listTools, shortText, toolFor } from './mcpTools.js';
import { TOOL_SPECS } from './toolSpecs.js';
import { defineOp } from '../ops/op.js';

describe('MCP tools generated from the registry', () => {
  it('the whole tools/list answer stays within 8 KB, annotations included (with sync, wait, reserve too)', async () => {
    const tools = await listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_SPECS.map((s) => s.name));
    expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(8192);
  });

  it('annotates every tool from its operations: kind, and what writes declare', async () => {
    const tools = Object.fromEntries((await listTools()).map((t) => [t.name, t.annotations]));
    for (const [name, a] of Object.entries(tools)) expect(typeof a.readOnlyHint, name).toBe('boolean');
    expect(tools.list).toEqual({ readOnlyHint: true });
    expect(tools.sql).toEqual({ readOnlyHint: true }); // write: false is fixed
    expect(tools.docs).toEqual({ readOnlyHint: true });
    // ready can claim (claim-next): not read-only, and not idempotent (each call takes the next).
    // MCP's defaults for writes (destructive, not idempotent) are left unsaid.
    expect(tools.ready).toEqual({ readOnlyHint: false, destructiveHint: false });
    expect(tools.create).toEqual({ readOnlyHint: false, destructiveHint: false });
    expect(tools.update).toEqual({ readOnlyHint: false, idempotentHint: true });
    expect(tools.close).toEqual({ readOnlyHint: false, idempotentHint: true });
    const write = defineOp({
      name: 'w',
      summary: 'W',
      kind: 'write',
      input: z.object({}),
      output: z.null,
      run: async () => null,
    });
    // An undeclared write is assumed destructive and not idempotent, as MCP's defaults say.
    expect(annotationsFor({ name: 'w', op: 'w', keys: [] }, [write])).toEqual({ readOnlyHint: false });
  });

  it('refuses unknown and mistyped arguments instead of ignoring or coercing them', async () => {
    const ready = (await listTools()).find((t) => t.name === 'ready')!;
    expect(() => checkArgs(ready, { claim: 'true' })).toThrow(
      'ready: argument "claim" must be a boolean; received a string ("true")',
    );
    expect(() => checkArgs(ready, { limit: '5' })).toThrow(/"limit" must be a number/);
    expect(() => checkArgs(ready, { label: 'x' })).toThrow(/"label" must be an array of strings; received a string/);
    expect(() => checkArgs(ready, { label: [1] })).toThrow(/array of strings/);
    expect(() => checkArgs(ready, { clam: true })).toThrow(/unknown argument "clam"; expected: for, type/);
    expect(() => checkArgs(ready, { claim: true, label: ['a'], limit: 3 })).not.toThrow();
  });

  it('names a ticket argument `id`, always', async () => {
    for (const t of await listTools()) {
      const keys = Object.keys((t.inputSchema.properties ?? {}) as object);
      expect(
        keys.filter((k) => /^(ticket|ids?_|ticket_id)$/.test(k)),
        t.name,
      ).toEqual([]);
    }
    const show = (await listTools()).find((t) => t.name === 'show')!;
    expect(show.inputSchema).toEqual({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] });
    // close takes a list of ids; its tool takes one `id`, like every other.
    const close = (await listTools()).find((t) => t.name === 'close')!;
    expect(close.inputSchema.required).toEqual(['id']);
    expect((close.inputSchema.properties as Record<string, object>).id).toEqual({ type: 'string' });
  });

  it('takes types, enums and descriptions from the zod schema, compactly', () => {
    const op = defineOp({
      name: 'demo',
      summary: 'Demo op (with a long aside); more',
      kind: 'read',
      input: z.object({
        id: z.string().min(1).describe('ticket id'),
        mode: z.enum(['a', 'b']).optional().describe('mode, e.g. a. More text'),
        n: z.number().int().positive().optional(),
      }),
      output: z.null,
      run: async () => null,
    });
    expect(toolFor({ name: 'demo', op: 'demo', keys: ['id', 'mode'] }, op)).toEqual({
      name: 'demo',
      description: 'Demo op',
      inputSchema: {
        type: 'object',
        properties: { id: { type: 'string' }, mode: { type: 'string', enum: ['a', 'b'], description: 'mode, e.g. a' } },
        required: ['id'],
      },
      annotations: { readOnlyHint: true },
    });
    expect(() => toolFor({ name: 'demo', op: 'demo', keys: ['nope'] }, op)).toThrow(/no input nope/);
    expect(compactSchema({ type: 'integer', maximum: 5, exclusiveMinimum: 0 })).toEqual({ type: 'number' });
    expect(shortText('x'.repeat(100))!.length).toBe(60);
  });

  it('offers no operation or input its definition keeps to the CLI', () => {
    const run = async () => null;
    const local = defineOp({
      name: 'hooks-x',
      summary: 'X',
      kind: 'write',
      localOnly: true,
      input: z.object({}),
      output: z.null,
      run,
    });
    expect(() => toolFor({ name: 'x', op: 'hooks-x', keys: [] }, local)).toThrow(/for the CLI only/);
    const input = z.object({ path: z.string(), file: z.string().optional() });
    const docs = defineOp({
      name: 'docs-x',
      summary: 'D',
      kind: 'write',
      localKeys: ['file'],
      input,
      output: z.null,
      run,
    });
    expect(() => toolFor({ name: 'd', op: 'docs-x', keys: ['path', 'file'] }, docs)).toThrow(/file of docs-x/);
    expect(toolFor({ name: 'd', op: 'docs-x', keys: ['path'] }, docs).name).toBe('d');
  });
});

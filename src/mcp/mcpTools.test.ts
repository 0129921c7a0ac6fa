import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compactSchema, listTools, shortText, TOOL_SPECS, toolFor } from './mcpTools.js';
import { defineOp } from '../ops/op.js';

describe('MCP tools generated from the registry', () => {
  it('the whole tools/list answer stays under 8 KB, the bound issue 18 sets (wait and the other fleet tools added)', async () => {
    const tools = await listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_SPECS.map((s) => s.name));
    expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(8192);
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
    });
    expect(() => toolFor({ name: 'demo', op: 'demo', keys: ['nope'] }, op)).toThrow(/no input nope/);
    expect(compactSchema({ type: 'integer', maximum: 5, exclusiveMinimum: 0 })).toEqual({ type: 'number' });
    expect(shortText('x'.repeat(100))!.length).toBe(60);
  });
});

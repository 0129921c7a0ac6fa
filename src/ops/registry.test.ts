import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REGISTRY } from './registry.js';

describe('the operations registry', () => {
  it('every operation declares the shape of its answer', async () => {
    const missing: string[] = [];
    for (const e of REGISTRY) {
      const op = (await e.load()).default;
      expect(op.name).toBe(e.name);
      const shape = typeof op.output === 'function' ? op.output() : undefined;
      if (!(shape instanceof z.ZodType)) missing.push(e.name);
    }
    expect(missing).toEqual([]);
  });

  it('a write that answers with an object declares `changed` and `auto_sync` (defineOp adds them)', async () => {
    for (const e of REGISTRY) {
      const op = (await e.load()).default;
      const shape = op.output();
      if (op.kind !== 'write' || !(shape instanceof z.ZodObject)) continue;
      expect(Object.keys(shape.shape), op.name).toEqual(expect.arrayContaining(['changed', 'auto_sync']));
    }
  });
});

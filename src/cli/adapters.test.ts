import { describe, expect, it } from 'vitest';
import { commandTable } from '../ops/agentDocsCheck.js';
import type { OpDef } from '../ops/op.js';
import { REGISTRY } from '../ops/registry.js';
import { cliAdapter } from './adapters.js';

describe('terminal adapters', () => {
  it("add only flags that doctor's check of AGENTS.md knows", async () => {
    const table = await commandTable();
    let checked = 0;
    for (const e of REGISTRY) {
      const adapter = cliAdapter(e.name);
      if (!adapter?.cliOp) continue;
      const op = (await e.load()).default as OpDef;
      const words = e.words[0];
      const keys = Object.keys(adapter.cliOp(op, words).input.shape).map((k) => k.replace(/_/g, '-'));
      const positional = (adapter.cliOp(op, words).cli?.args ?? []).map((a) => a.replace(/^\.\.\./, ''));
      const known = table.get(words.join(' '))!.flags;
      expect(
        keys.filter((k) => !known.has(k) && !positional.includes(k)),
        e.name,
      ).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});

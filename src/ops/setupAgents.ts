import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { withAgentsSection } from './agentsSection.js';
import { defineOp } from './op.js';

/**
 * Point coding agents at Tack: a short marked section in AGENTS.md (and CLAUDE.md when the
 * repo has one) of the code work tree, and what the agent pipeline needs in schema.yaml
 * (stores made before it). Idempotent: a second run changes nothing.
 */
export default defineOp({
  name: 'setup-agents',
  summary:
    'Write the Tack section of AGENTS.md (and CLAUDE.md) and add the agent states, relations and fields to an older schema; safe to repeat',
  kind: 'write',
  input: z.object({
    schema_only: z.boolean().optional().describe('only update schema.yaml, leave AGENTS.md alone'),
  }),
  async run(ctx, input) {
    const store = ctx.store();
    const files: Array<{ path: string; changed: boolean }> = [];
    if (!input.schema_only) {
      if (store.repo.bare)
        throw new TackError(
          'invalid_input',
          'the repository is bare: there is no work tree for AGENTS.md; run this in a clone with a work tree',
        );
      const targets = ['AGENTS.md', ...(existsSync(join(store.repo.workTree, 'CLAUDE.md')) ? ['CLAUDE.md'] : [])];
      for (const name of targets) {
        const path = join(store.repo.workTree, name);
        const before = existsSync(path) ? readFileSync(path, 'utf8') : null;
        const after = withAgentsSection(before);
        if (after !== before) writeFileSync(path, after);
        files.push({ path: name, changed: after !== before });
      }
    }
    const { parseSchemaText } = await import('../store/storeReader.js');
    const { agentSchemaText } = await import('./agentSchemaPatch.js');
    const { commitSchema, currentSchemaText } = await import('./schemaWrite.js');
    let added: string[] = [];
    let commit: string | null = null;
    const text = currentSchemaText(ctx);
    if (agentSchemaText(text, parseSchemaText(text, 'schema.yaml'))) {
      const res = await commitSchema(ctx, 'setup-agents', (current) => {
        const patch = agentSchemaText(current, parseSchemaText(current, 'schema.yaml'));
        return {
          text: patch?.text ?? current,
          subject: 'schema: add the agent pipeline (needs-context, review, discovered_from, audience, verdict)',
          value: patch?.added ?? [],
        };
      });
      added = res.value;
      commit = res.commit;
    }
    const did = [
      ...files.filter((f) => f.changed).map((f) => `wrote the Tack section of ${f.path}`),
      ...(added.length ? [`added to schema.yaml: ${added.join(', ')}`] : []),
    ];
    return {
      files,
      schema_added: added,
      commit,
      message: did.length ? did.join('; ') : 'agents are already set up; nothing changed',
    };
  },
});

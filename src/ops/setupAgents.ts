import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { Repo } from '../git/repo.js';
import { readWorkTreeFile, workTreeHas, writeWorkTreeFile } from '../store/workTreeFile.js';
import { withAgentsSection } from './agentsSection.js';
import { HARNESS_USER, HARNESSES, harnessEdits, mergedConfig, type Harness } from './harnessConfig.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** Harnesses set up without being named: Claude Code always, the others when the repo uses them. */
function detectedHarnesses(repo: Repo): Harness[] {
  const has = (p: string) => workTreeHas(repo, p);
  const used: Record<Harness, boolean> = {
    claude: true,
    cursor: has('.cursor'),
    gemini: has('.gemini') || has('GEMINI.md'),
    codex: has('.codex'),
  };
  return HARNESSES.filter((h) => used[h]);
}

/** Every harness file merged in memory: one that cannot be merged (not JSON, not TOML) stops the run before anything is written. */
function planHarnessFiles(repo: Repo, harnesses: Harness[], user: string | undefined) {
  return harnesses.flatMap((h) =>
    harnessEdits(h, user ?? HARNESS_USER[h]).map((edit) => ({
      path: edit.path,
      text: mergedConfig(readWorkTreeFile(repo, edit.path), edit),
    })),
  );
}

function writePlanned(repo: Repo, planned: ReturnType<typeof planHarnessFiles>) {
  for (const p of planned) if (p.text !== null) writeWorkTreeFile(repo, p.path, p.text);
  return planned.map((p) => ({ path: p.path, changed: p.text !== null }));
}

/**
 * Point coding agents at Tack: a short marked section in AGENTS.md (and CLAUDE.md when the
 * repo has one) of the code work tree, the MCP server and prime hooks in the harnesses'
 * project files, and what the agent pipeline needs in schema.yaml (stores made before it).
 * Idempotent: a second run changes nothing.
 */
export default defineOp({
  name: 'setup-agents',
  summary:
    'Write the Tack section of AGENTS.md (and CLAUDE.md), the MCP server and prime hooks for agent harnesses, and add the agent states, relations and fields to an older schema; safe to repeat',
  kind: 'write',
  localOnly: true, // this machine's agent harness files
  input: z.object({
    schema_only: z.boolean().optional().describe('only update schema.yaml, leave AGENTS.md alone'),
    harness: z
      .array(z.enum(HARNESSES as [Harness, ...Harness[]]))
      .optional()
      .describe(
        'harnesses to configure (repeatable; default: claude, and cursor/gemini/codex when the repo has their folder)',
      ),
    agent_user: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'a name of letters, digits, . _ @ -')
      .optional()
      .describe('the TACK_USER the agents act as (default: per harness, e.g. claude-code)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      files: z.array(z.strictObject({ path: z.string(), changed: z.boolean() })),
      schema_added: z.array(z.string()),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const files: Array<{ path: string; changed: boolean }> = [];
    if (!input.schema_only) {
      if (store.repo.bare)
        throw new TackError(
          'invalid_input',
          'the repository is bare: there is no work tree for AGENTS.md; run this in a clone with a work tree',
        );
      const planned = planHarnessFiles(store.repo, input.harness ?? detectedHarnesses(store.repo), input.agent_user);
      const targets = ['AGENTS.md', ...(workTreeHas(store.repo, 'CLAUDE.md') ? ['CLAUDE.md'] : [])];
      for (const name of targets) {
        const before = readWorkTreeFile(store.repo, name);
        const after = withAgentsSection(before);
        if (after !== before) writeWorkTreeFile(store.repo, name, after);
        files.push({ path: name, changed: after !== before });
      }
      files.push(...writePlanned(store.repo, planned));
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
      ...files
        .filter((f) => f.changed)
        .map((f) => (f.path.endsWith('.md') ? `wrote the Tack section of ${f.path}` : `configured ${f.path}`)),
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

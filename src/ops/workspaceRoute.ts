import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { RoutingRules } from '../store/workspace.js';
import { noWorkspace, readWorkspace, writeWorkspace } from './workspaceShared.js';
import { indexedSchema } from '../index/indexDb.js';
import { storeNames, workspaceSources } from './workspaceSources.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { routingRulesShape } from '../model/settingsShapes.js';

/** `bug=planning` → ['bug', 'planning']; `bug=` removes the rule. */
function pair(kind: string, text: string): [string, string] {
  const m = /^([^=]+)=(.*)$/.exec(text);
  if (!m)
    throw new TackError(
      'invalid_input',
      `--${kind} ${text}: expected ${kind.toUpperCase()}=STORE (or ${kind.toUpperCase()}= to remove the rule)`,
      { [kind]: text },
    );
  return [m[1].trim(), m[2].trim()];
}

/** A type rule must name a type of its store's schema: a typo would route nothing, silently. */
async function checkTypes(ctx: OpContext, rules: Array<[string, string]>): Promise<void> {
  if (!rules.length) return;
  const sources = (await workspaceSources(ctx)) ?? [];
  for (const [type, name] of rules) {
    const source = sources.find((s) => s.name === name);
    const types = source ? (indexedSchema(source.index.db)?.types ?? []) : [];
    if (source && !types.includes(type)) {
      throw new TackError(
        'invalid_input',
        `--type ${type}=${name}: store "${name}" has no type "${type}"; expected one of: ${types.join(', ')}`,
        { type, store: name, types },
      );
    }
  }
}

export default defineOp({
  name: 'workspace-route',
  summary: 'Show or set where `tack create` puts new tickets: a default store, by type, by label',
  kind: 'write',
  localOnly: true, // this machine's own set-up
  input: z.object({
    default: z
      .string()
      .optional()
      .describe('store for tickets no other rule places ("" or local: this clone\'s store)'),
    type: z
      .array(z.string())
      .optional()
      .describe('TYPE=STORE: tickets of this type go there; TYPE= removes the rule (repeatable)'),
    label: z
      .array(z.string())
      .optional()
      .describe('LABEL=STORE: tickets with this label go there (before type rules); LABEL= removes (repeatable)'),
  }),
  output: lazyShape(() => z.strictObject({ routing: routingRulesShape() })),
  async run(ctx, input) {
    const store = ctx.store();
    const ws = readWorkspace(store);
    const changing = input.default !== undefined || input.type?.length || input.label?.length;
    if (!changing) return { routing: ws.routing ?? {} };
    if (!ws.members.length) throw noWorkspace('tack workspace route');
    const names = storeNames(ws);
    const check = (name: string) => {
      if (name && !names.includes(name))
        throw new TackError('not_found', `no store "${name}" in the workspace; expected one of: ${names.join(', ')}`, {
          store: name,
        });
      return name;
    };
    const r: RoutingRules = {
      ...(ws.routing ?? {}),
      types: { ...(ws.routing?.types ?? {}) },
      labels: { ...(ws.routing?.labels ?? {}) },
    };
    if (input.default !== undefined) {
      if (check(input.default) && input.default !== 'local') r.default = input.default;
      else delete r.default;
    }
    await checkTypes(
      ctx,
      (input.type ?? []).map((t) => pair('type', t)).filter(([, v]) => v && check(v)),
    );
    for (const [kind, list] of [
      ['types', input.type],
      ['labels', input.label],
    ] as const) {
      for (const t of list ?? []) {
        const [k, v] = pair(kind === 'types' ? 'type' : 'label', t);
        if (check(v)) r[kind]![k] = v;
        else delete r[kind]![k];
      }
    }
    if (!Object.keys(r.types!).length) delete r.types;
    if (!Object.keys(r.labels!).length) delete r.labels;
    ws.routing = r;
    writeWorkspace(store, ws);
    return { routing: r };
  },
});

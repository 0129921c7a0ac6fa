import { z } from 'zod';
import { isMap, isScalar, isSeq } from 'yaml';
import { TackError, unknownValue } from '../model/errors.js';
import { schemaPath } from '../store/store.js';
import { parseSchemaText } from '../store/storeReader.js';
import { commitRename, schemaDocument, schemaRenameShape, spliceText, yamlScalar } from './schemaWrite.js';
import { defineOp } from './op.js';

/** schema.yaml with the state renamed (and default_status, if it named the state). */
function renameStateText(text: string, from: string, to: string, path: string): string {
  const schema = parseSchemaText(text, path);
  const names = schema.states.map((s) => s.name);
  if (!names.includes(from)) throw unknownValue('state', from, names);
  if (names.includes(to))
    throw new TackError(
      'already_exists',
      `state "${to}" already exists; expected a new name (to merge two states, move the tickets with \`tack sql --write\` and edit the schema)`,
      { state: to },
    );
  const doc = schemaDocument(text, path);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const states = doc.get('states', true);
  if (isSeq(states)) {
    for (const item of states.items) {
      if (!isMap(item)) continue;
      const name = item.items.find((p) => isScalar(p.key) && p.key.value === 'name')?.value;
      if (isScalar(name) && name.value === from && name.range)
        edits.push({ start: name.range[0], end: name.range[1], text: yamlScalar(to) });
    }
  }
  const def = doc.get('default_status', true);
  if (isScalar(def) && def.value === from && def.range)
    edits.push({ start: def.range[0], end: def.range[1], text: yamlScalar(to) });
  if (edits.length === 0)
    throw new TackError('invalid_schema', `${path}: could not find state "${from}" in the "states" list`);
  return spliceText(text, edits);
}

export default defineOp({
  name: 'schema-rename-state',
  summary: 'Rename a workflow state in schema.yaml and in every ticket that has it, as one commit',
  kind: 'write',
  cli: { args: ['from', 'to'] },
  input: z.object({
    from: z.string().min(1).describe('current state name'),
    to: z
      .string()
      .trim()
      .min(1)
      .regex(/^[^\n\r]+$/, 'must be one line')
      .describe('new state name'),
  }),
  output: schemaRenameShape,
  async run(ctx, input) {
    const path = schemaPath(ctx.store());
    const withStatus = 'SELECT id FROM tickets WHERE status = ? ORDER BY id';
    return commitRename(ctx, 'schema-rename-state', {
      what: 'state',
      from: input.from,
      to: input.to,
      many: (await ctx.index()).db.prepare<{ n: number }>(`SELECT count(*) AS n FROM (${withStatus})`).get(input.from)!
        .n,
      text: (current) => renameStateText(current, input.from, input.to, path),
      ids: (idx) =>
        idx.db
          .prepare<{ id: string }>(withStatus)
          .all(input.from)
          .map((r) => r.id),
      edit: (ed, id) => ed.set(id, 'status', input.to),
    });
  },
});

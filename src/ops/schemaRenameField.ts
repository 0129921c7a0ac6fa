import { z } from 'zod';
import { isMap, isScalar } from 'yaml';
import { TackError, unknownValue } from '../model/errors.js';
import { renameField } from '../model/ticketCodec.js';
import { schemaPath } from '../store/store.js';
import { parseSchemaText } from '../store/storeReader.js';
import { commitRename, schemaDocument, schemaRenameShape, spliceText, yamlScalar } from './schemaWrite.js';
import { defineOp } from './op.js';
import type { Database } from '../index/sqlite.js';

const NAME = /^[a-z][a-z0-9_]*$/;

/** schema.yaml with the key of the custom field renamed in the `fields:` map. */
function renameFieldText(text: string, from: string, to: string, path: string): string {
  const schema = parseSchemaText(text, path);
  const names = schema.fields.map((f) => f.name);
  if (!names.includes(from))
    throw unknownValue('custom field', from, names.length ? names : ['(none: schema.yaml declares no fields)']);
  if (names.includes(to))
    throw new TackError('already_exists', `field "${to}" already exists; expected a new name`, { field: to });
  const fields = schemaDocument(text, path).get('fields', true);
  const key = isMap(fields) ? fields.items.find((p) => isScalar(p.key) && p.key.value === from)?.key : undefined;
  if (!isScalar(key) || !key.range)
    throw new TackError('invalid_schema', `${path}: could not find field "${from}" in the "fields" map`);
  const out = spliceText(text, [{ start: key.range[0], end: key.range[1], text: yamlScalar(to) }]);
  parseSchemaText(out, path); // the new name must be a valid field name too
  return out;
}

function idsWithKey(db: Pick<Database, 'prepare'>, key: string): string[] {
  return db
    .prepare<{
      id: string;
    }>("SELECT id FROM tickets WHERE json_type(fields, '$.' || ?) IS NOT NULL ORDER BY id")
    .all(key)
    .map((r) => r.id);
}

export default defineOp({
  name: 'schema-rename-field',
  summary: 'Rename a custom field in schema.yaml and in every ticket that sets it, as one commit',
  kind: 'write',
  cli: { args: ['from', 'to'] },
  input: z.object({
    from: z.string().min(1).describe('current field name'),
    to: z
      .string()
      .regex(NAME, 'expected lower-case letters, digits and _, starting with a letter')
      .describe('new field name'),
  }),
  output: schemaRenameShape,
  async run(ctx, input) {
    const path = schemaPath(ctx.store());
    return commitRename(ctx, 'schema-rename-field', {
      what: 'field',
      from: input.from,
      to: input.to,
      many: idsWithKey((await ctx.index()).db, input.from).length,
      text: (current) => renameFieldText(current, input.from, input.to, path),
      ids(idx) {
        const clash = idsWithKey(idx.db, input.to);
        if (clash.length)
          throw new TackError(
            'conflict',
            `cannot rename field ${input.from} to ${input.to}: ${clash.length} ticket${clash.length === 1 ? ' already has' : 's already have'} a "${input.to}" key (${clash.slice(0, 10).join(', ')}); remove it first`,
            { tickets: clash },
          );
        return idsWithKey(idx.db, input.from);
      },
      edit: (ed, id) => renameField(ed.load(id), input.from, input.to),
    });
  },
});

import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { Schema } from '../model/schema.js';
import { ticketFromData, validateTicket } from '../model/ticket.js';
import { blobId } from '../git/objects.js';
import { objectFormat } from '../git/objectFormat.js';
import { getMeta, type DB } from '../index/indexDb.js';
import { schemaOrLastGood } from '../index/schemaFallback.js';
import { schemaPath } from '../store/store.js';
import { parseSchemaText } from '../store/storeReader.js';
import { commitSchema, currentSchemaText } from './schemaWrite.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

interface Broken {
  id: string;
  problems: string[];
}

/** Tickets valid (in some respect) under the old schema that the new one would make invalid. */
function newlyInvalid(db: DB, before: Schema, after: Schema): Broken[] {
  const rows = db
    .prepare<{
      id: string;
      fields: string;
      body: string;
    }>('SELECT id, fields, body FROM tickets ORDER BY id')
    .all();
  const out: Broken[] = [];
  for (const r of rows) {
    const data = { fields: JSON.parse(r.fields) as Record<string, unknown>, body: r.body, comments: [] };
    const old = new Set(validateTicket(before, ticketFromData(before, data), r.id).map((p) => p.message));
    const added = validateTicket(after, ticketFromData(after, data), r.id)
      .map((p) => p.message)
      .filter((m) => !old.has(m));
    if (added.length) out.push({ id: r.id, problems: added });
  }
  return out;
}

function refuse(broken: Broken[]): TackError {
  const shown = broken
    .slice(0, 10)
    .map((b) => `${b.id} (${b.problems.join('; ')})`)
    .join(', ');
  return new TackError(
    'invalid_schema',
    `refused: the new schema would make ${broken.length} ticket${broken.length === 1 ? '' : 's'} invalid: ${shown}${broken.length > 10 ? ', …' : ''}. ` +
      'Change those tickets first, or rename with `tack schema rename-state` / `rename-field`',
    { tickets: broken },
  );
}

export default defineOp({
  name: 'schema-edit',
  summary: 'Replace schema.yaml with a new version, refused if it would make existing tickets invalid',
  kind: 'write',
  input: z.object({
    text: z.string().describe('the full new schema.yaml (the CLI opens $EDITOR, or reads FILE for `schema set`)'),
    base: z
      .string()
      .regex(/^[0-9a-f]{40,64}$/)
      .optional()
      .describe('blob id of the schema.yaml the text was edited from; refused if it changed since'),
  }),
  output: lazyShape(() => z.strictObject({ changed: z.boolean(), commit: z.string().nullable(), message: z.string() })),
  async run(ctx, input) {
    const path = schemaPath(ctx.store());
    if (currentSchemaText(ctx) === input.text)
      return { changed: false, commit: null, message: 'no changes to schema.yaml; nothing written' };
    parseSchemaText(input.text, path);
    const { commit } = await commitSchema(ctx, 'schema-edit', (current, idx) => {
      const currentId = blobId(current, objectFormat(ctx.store().repo));
      if (input.base && currentId !== input.base) {
        throw new TackError(
          'conflict',
          `schema.yaml changed since the text was read (expected version ${input.base.slice(0, 10)}, found ${currentId.slice(0, 10)}); nothing written`,
          {
            base: input.base,
            current: currentId,
          },
        );
      }
      // A broken current file (a collaborator's push) must not block its own repair.
      const old = schemaOrLastGood(current, path, getMeta(idx.db, 'schema')).schema;
      const broken = newlyInvalid(idx.db, old, parseSchemaText(input.text, path));
      if (broken.length) throw refuse(broken);
      return { text: input.text, subject: 'schema: edit schema.yaml', value: null };
    });
    return { changed: true, commit, message: 'schema.yaml updated' };
  },
});

import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { layoutOf, type Schema } from '../model/schema.js';
import { validateTicket } from '../model/ticket.js';
import { parseTicketFile, ticketFromFile, type TicketFile } from '../model/ticketCodec.js';
import { blobId } from '../git/objects.js';
import { objectFormat } from '../git/objectFormat.js';
import { indexedSchema } from '../index/indexDb.js';
import { getSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { ticketPath } from '../model/ticketPath.js';
import { findTicketText, readStoreFile } from '../store/storeReader.js';
import { idArg } from './ticketInput.js';
import { frontMatterLine } from './frontMatterLine.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

/** Every schema problem of the edited file, each with the line of its field. */
function checkEdited(schema: Schema, file: TicketFile, id: string, text: string, path: string): void {
  const problems = validateTicket(schema, ticketFromFile(schema, file), id).map((p) => ({
    ...p,
    line: frontMatterLine(text, p.field),
    message:
      p.field === 'id' && !p.message.startsWith('missing')
        ? `the id cannot change: the file says ${JSON.stringify(fileId(file))}, expected "${id}"`
        : p.message,
  }));
  if (problems.length === 0) return;
  const first = problems[0];
  throw new TackError('invalid_ticket', problems.map((p) => `${path}:${p.line}: ${p.message}`).join('\n'), {
    path,
    line: first.line,
    id,
    problems,
  });
}

function fileId(file: TicketFile): unknown {
  return file.doc.get('id');
}

export default defineOp({
  name: 'edit',
  summary: 'Replace a ticket file with an edited version, validated (the CLI opens $EDITOR)',
  kind: 'write',
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    text: z
      .string()
      .describe(
        'the full new file text: front matter, description, comments (the CLI opens $VISUAL/$EDITOR when omitted)',
      ),
    base: z
      .string()
      .regex(/^[0-9a-f]{40,64}$/)
      .optional()
      .describe('blob id of the version the text was edited from; refused if the ticket changed since'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      id: z.string(),
      changed: z.boolean(),
      commit: z.string().nullable(),
      message: z.string(),
      ticket: ticketSummaryShape().nullable().optional(),
    }),
  ),
  async run(ctx, input) {
    const idx = await ctx.index();
    const id = resolveId(idx.db, input.id, { broken: true });
    const store = ctx.store();
    const layout = layoutOf(indexedSchema(idx.db)!);
    const found = findTicketText(store, null, id, 'tickets', layout);
    const path = `${store.prefix}${found?.rel ?? ticketPath(id, layout)}`;
    const file = parseTicketFile(input.text, path);
    const current = found?.text ?? null;
    if (current === input.text) {
      return { id, changed: false, commit: null, message: `no changes to ${id}; nothing written` };
    }
    checkEdited(indexedSchema(idx.db)!, file, id, input.text, path);
    const { commit } = await mutate(ctx, 'edit', (ed) => {
      // Raw text, not parsed: the version being replaced may be the broken one.
      const at = findTicketText(ed.store, ed.store.mode === 'inline' ? null : ed.head, id, 'tickets', layout);
      if (at === null) throw new TackError('not_found', `no ticket with id "${id}" at ${ed.store.ref}`, { id });
      const now = at.text;
      // A mount's file may hold uncommitted edits: the text was edited from those, and the
      // result replaces them (see Mutation.supersedes).
      const disk = ed.store.mode === 'inline' ? null : readStoreFile(ed.store, null, at.rel);
      const format = objectFormat(ed.store.repo);
      const nowId = blobId(now, format);
      const fromDisk = disk !== null && disk !== now && input.base === blobId(disk, format);
      if (input.base && nowId !== input.base && !fromDisk) {
        throw new TackError(
          'conflict',
          `${id} changed since the text was read (expected version ${input.base.slice(0, 10)}, found ${nowId.slice(0, 10)}); nothing written: edit it again on top of the new version`,
          { id, base: input.base, current: nowId },
        );
      }
      const fresh = parseTicketFile(input.text, path);
      // Edited back to what is committed: nothing to commit, but the hand edit still goes.
      if (input.text !== now) ed.replace(id, fresh);
      const subject = `edit ${id}: ${String(fresh.doc.get('title') ?? '')}`;
      return { subject, value: null, ...(fromDisk ? { supersedes: new Map([[at.rel, disk]]) } : {}) };
    });
    if (commit === null)
      return { id, changed: false, commit, message: `${id} as edited is the committed version; nothing written` };
    return { id, changed: true, commit, message: `edited ${id}`, ticket: getSummary((await ctx.index()).db, id) };
  },
});

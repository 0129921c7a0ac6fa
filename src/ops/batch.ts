import { z } from 'zod';
import { isTackError, TackError } from '../model/errors.js';
import { resolveId } from '../index/ticketIds.js';
import { applyCreate, createInput } from './create.js';
import { applyUpdate, updateInput } from './update.js';
import { applyClose, closeInput } from './close.js';
import { applyReopen, reopenInput } from './reopen.js';
import { applyComment, commentInput } from './comment.js';
import { applyLink, linkInput } from './link.js';
import { applyUnlink, unlinkInput } from './unlink.js';
import { applyLabelAdd, labelAddInput } from './labelAdd.js';
import { applyLabelRemove, labelRemoveInput } from './labelRemove.js';
import type { Applied, ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { LOCAL } from '../store/workspace.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** One kind of batch item: the op's own zod schema and its "apply to a TicketEditor". */
interface ItemKind {
  input: z.ZodObject;
  apply(ed: TicketEditor, input: never, env: ApplyEnv): Applied<unknown>;
}

const KINDS: Record<string, ItemKind> = {
  create: { input: createInput, apply: applyCreate },
  update: { input: updateInput, apply: applyUpdate },
  close: { input: closeInput, apply: applyClose },
  reopen: { input: reopenInput, apply: applyReopen },
  comment: { input: commentInput, apply: applyComment },
  link: { input: linkInput, apply: applyLink },
  unlink: { input: unlinkInput, apply: applyUnlink },
  'label-add': { input: labelAddInput, apply: applyLabelAdd },
  'label-rm': { input: labelRemoveInput, apply: applyLabelRemove },
};
const ALIASES: Record<string, string> = { 'label-remove': 'label-rm', new: 'create' };

const REF = /^[A-Za-z0-9_-]{1,40}$/;

interface Item {
  n: number;
  op: string;
  ref?: string;
  input: Record<string, unknown>;
}

function itemError(
  n: number,
  op: string,
  message: string,
  code: TackError['code'] = 'invalid_input',
  details?: Record<string, unknown>,
): TackError {
  return new TackError(code, `batch item ${n}${op ? ` (${op})` : ''}: ${message}`, {
    item: n,
    ...(op ? { op } : {}),
    ...details,
  });
}

/** Check every item against its op's schema before anything is applied. */
function validateItems(raw: ReadonlyArray<Record<string, unknown>>): Item[] {
  const refs = new Set<string>();
  return raw.map((entry, i) => {
    const n = i + 1;
    const { op: rawOp, ref, ...rest } = entry;
    if (typeof rawOp !== 'string' || !rawOp) {
      throw itemError(
        n,
        '',
        `missing "op"; expected one of: ${Object.keys(KINDS).join(', ')}; received ${JSON.stringify(entry)}`,
      );
    }
    const op = ALIASES[rawOp] ?? rawOp;
    const kind = KINDS[op];
    if (!kind)
      throw itemError(n, '', `unknown op ${JSON.stringify(rawOp)}; expected one of: ${Object.keys(KINDS).join(', ')}`);
    if (ref !== undefined) {
      if (op !== 'create')
        throw itemError(n, op, '"ref" names a ticket created by this item, so only a create may have one');
      if (typeof ref !== 'string' || !REF.test(ref))
        throw itemError(n, op, `"ref" must be 1-40 letters, digits, _ or -; received ${JSON.stringify(ref)}`);
      if (refs.has(ref))
        throw itemError(
          n,
          op,
          `"ref" ${JSON.stringify(ref)} is already used by an earlier item; expected a unique name`,
        );
      refs.add(ref);
    }
    // Shorthand: {"op":"close","id":"tk-1"} for the ops that take a list of ids.
    if ('ids' in kind.input.shape && !('id' in kind.input.shape) && rest.id !== undefined && rest.ids === undefined) {
      rest.ids = [rest.id];
      delete rest.id;
    }
    const res = kind.input.strict().safeParse(rest);
    if (!res.success) {
      // An unknown key is usually the cause (a typo for a required one): say it first.
      const issue = res.error.issues.find((x) => x.code === 'unrecognized_keys') ?? res.error.issues[0];
      const where = issue.path.length ? `"${issue.path.join('.')}": ` : '';
      const accepted = Object.keys(kind.input.shape).join(', ');
      throw itemError(n, op, `${where}${issue.message}; ${op} accepts: ${accepted}`, 'invalid_input', {
        issues: res.error.issues,
      });
    }
    // One commit in one store: an item for another workspace store cannot join it atomically.
    const store = (res.data as { store?: string }).store;
    if (store !== undefined && store !== LOCAL) {
      throw itemError(
        n,
        op,
        `"store": batch writes this clone's store only (one commit, all or nothing); expected no "store" or "local"; received ${JSON.stringify(store)} (create it with \`tack create --store ${store}\`)`,
        'invalid_input',
        { store },
      );
    }
    return { n, op, ref: ref as string | undefined, input: res.data as Record<string, unknown> };
  });
}

export const batchResultShape = lazyShape(() =>
  z.strictObject({
    commit: z.string().nullable(),
    created: z.array(z.string()),
    updated: z.array(z.string()),
    refs: z.record(z.string(), z.string()),
    items: z.array(z.strictObject({ op: z.string(), ids: z.array(z.string()), ref: z.string().optional() })),
  }),
);

export type BatchResult = z.infer<ReturnType<typeof batchResultShape>>;

export default defineOp({
  name: 'batch',
  summary: 'Apply many operations (a JSON array or JSON lines, from FILE or stdin) as one commit, all or nothing',
  kind: 'write',
  cli: { short: { m: 'message' } },
  input: z.object({
    operations: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .describe('items like {"op":"create","title":"x","ref":"a"} or {"op":"update","id":"@a","status":"done"}'),
    message: z.string().trim().min(1).optional().describe('commit subject (default: a summary of the items)'),
  }),
  output: batchResultShape,
  async run(ctx, input): Promise<BatchResult> {
    const items = validateItems(input.operations);
    const { commit, value } = await mutate(ctx, 'batch', (ed) => {
      const refs = new Map<string, string>();
      let current = 0;
      const env: ApplyEnv = {
        get user() {
          return ctx.user();
        },
        resolve(s: string) {
          if (!s.startsWith('@')) return resolveId(ed.index.db, s);
          const id = refs.get(s.slice(1));
          if (!id)
            throw itemError(
              current,
              items[current - 1].op,
              `${s} names no ticket; expected the "ref" of a create earlier in this batch (defined: ${[...refs.keys()].map((r) => `@${r}`).join(', ') || 'none'})`,
            );
          return id;
        },
      };
      const done: BatchResult['items'] = [];
      const subjects: string[] = [];
      for (const item of items) {
        current = item.n;
        let applied: Applied<unknown>;
        try {
          applied = KINDS[item.op].apply(ed, item.input as never, env);
        } catch (e) {
          if (isTackError(e) && (e.details as { item?: number } | undefined)?.item === undefined) {
            throw itemError(item.n, item.op, e.message, e.code, e.details);
          }
          throw e;
        }
        if (item.ref) refs.set(item.ref, applied.ids[0]);
        done.push({ op: item.op, ids: applied.ids, ...(item.ref ? { ref: item.ref } : {}) });
        subjects.push(applied.subject);
      }
      const created = ed.createdIds();
      const updated = ed.touchedIds().filter((id) => !created.includes(id));
      const counts = new Map<string, number>();
      for (const it of items) counts.set(it.op, (counts.get(it.op) ?? 0) + 1);
      const summary = [...counts].map(([op, c]) => (c > 1 ? `${op} ×${c}` : op)).join(', ');
      return {
        subject: input.message ?? `batch: ${items.length} operation${items.length === 1 ? '' : 's'} (${summary})`,
        body: subjects.map((s) => `- ${s}`).join('\n'),
        value: { created, updated, refs: Object.fromEntries(refs), items: done },
      };
    });
    return { commit, ...value };
  },
});

import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { layoutOf } from '../model/schema.js';
import { LAYOUTS, schemaTextWithLayout, ticketIdFromPath, ticketPath, type TicketLayout } from '../model/ticketPath.js';
import type { FileChange } from '../git/commitWriter.js';
import { readBlobs } from '../git/objects.js';
import { uncommittedFiles } from '../index/eventQueries.js';
import { indexedSchema, type Index } from '../index/indexDb.js';
import { parseSchemaText, readStoreFile } from '../store/storeReader.js';
import type { Store } from '../store/store.js';
import { currentAttributes, withAttributes } from './mergeDriver.js';
import { commitWrite } from './mutate.js';
import { defineOp } from './op.js';
import { pageInputs, pageOfList, type PageRequest } from './page.js';
import { pageNote } from './pageNote.js';
import { lazyShape } from '../model/jsonShapes.js';

/** Moves listed by a dry run, as a page: at 100,000 tickets the whole list is 100,000 lines. */
export const MOVES_LIMIT = 50;

interface Move {
  from: string;
  to: string;
}

interface Plan {
  moves: Move[];
  changes: FileChange[];
}

const STORE_FILES = /^(?:tickets|archive)\/|^schema\.yaml$/;

/** Hand edits of checked-out ticket files would be moved (or lost) under the user: refuse. */
function refuseHandEdits(idx: Index, store: Store): void {
  if (!store.filesDir) return;
  const { changed, removed } = uncommittedFiles(idx.db);
  const dirty = [...changed, ...removed].filter((p) => STORE_FILES.test(p));
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 10).map((p) => `${store.prefix}${p}`);
  throw new TackError(
    'conflict',
    `refused: ${dirty.length} ticket file(s) have uncommitted hand edits (${shown.join(', ')}${dirty.length > 10 ? ', …' : ''}); expected a clean store: run \`tack commit\` (or undo the edits) first, nothing was moved`,
    { paths: dirty },
  );
}

/** The moves that put every committed ticket file (live and archived) in `layout`. */
function planMoves(idx: Index, layout: TicketLayout): Move[] {
  const rows = idx.db
    .prepare<{ path: string }>(
      "SELECT path FROM tree_files WHERE path LIKE 'tickets/%' OR path LIKE 'archive/%' ORDER BY path",
    )
    .all();
  const present = new Set(rows.map((r) => r.path));
  const moves: Move[] = [];
  for (const { path } of rows) {
    const loc = ticketIdFromPath(path);
    if (!loc || loc.layout === layout) continue;
    const to = ticketPath(loc.id, layout, loc.dir);
    if (present.has(to)) {
      throw new TackError(
        'conflict',
        `refused: ticket ${loc.id} is in both layouts (${path} and ${to}); expected one file per ticket: remove the copy you do not want (see \`tack doctor\`), nothing was moved`,
        { id: loc.id, paths: [path, to] },
      );
    }
    moves.push({ from: path, to });
  }
  return moves;
}

/** The change set of the moves (text as is) and the schema's new `layout:` line. */
function planChanges(store: Store, idx: Index, moves: Move[], layout: TicketLayout, head: string | null): FileChange[] {
  const blobOf = idx.db.prepare<{ blob: string }>('SELECT blob FROM tree_files WHERE path = ?');
  const shas = moves.map((m) => blobOf.get(m.from)!.blob);
  const blobs = readBlobs(store.repo, shas);
  const changes: FileChange[] = [];
  moves.forEach((m, i) => {
    const bytes = blobs.get(shas[i]) ?? Buffer.alloc(0);
    const text = bytes.toString('utf8');
    // The file must move byte for byte (git sees a rename): text that does not round-trip cannot.
    if (!Buffer.from(text, 'utf8').equals(bytes)) {
      throw new TackError(
        'invalid_input',
        `refused: ${store.prefix}${m.from} is not valid UTF-8, so it cannot be moved as is; expected a readable ticket file: repair it (\`tack doctor\`), nothing was moved`,
        { path: m.from },
      );
    }
    changes.push({ path: m.from, content: null }, { path: m.to, content: text });
  });
  const schemaText = readStoreFile(store, store.mode === 'inline' ? null : head, 'schema.yaml') ?? '';
  const next = schemaTextWithLayout(schemaText, layout);
  if (parseSchemaText(next).layout !== layout) {
    throw new TackError('invalid_schema', `schema.yaml: could not set "layout: ${layout}"; edit it by hand`);
  }
  if (next !== schemaText) changes.push({ path: 'schema.yaml', content: next });
  // Branch mode: .gitattributes sits at the store's root, so the merge driver's lines for
  // shard folders ride in the same commit (inline: `tack setup` adds them to the work tree).
  const attributes = store.mode === 'branch' ? withAttributes(currentAttributes(store), '') : null;
  if (attributes !== null) changes.push({ path: '.gitattributes', content: attributes });
  return changes;
}

function planAt(store: Store, idx: Index, layout: TicketLayout, head: string | null): Plan {
  const moves = planMoves(idx, layout);
  return { moves, changes: planChanges(store, idx, moves, layout, head) };
}

/**
 * `tack migrate layout fanout|flat`: move every ticket file to the layout and declare it in
 * schema.yaml, as one commit of pure moves (git follows them: `git log --follow`). Readers
 * accept both layouts, so clones still on the old one keep working and merge.
 */
export default defineOp({
  name: 'migrate-layout',
  summary:
    'Move every ticket file to the flat (tickets/<id>.md) or fan-out (tickets/<shard>/<id>.md) layout, one commit',
  kind: 'write',
  cli: { args: ['layout'], short: { n: 'limit' } },
  input: z.object({
    layout: z
      .enum(LAYOUTS)
      .describe('flat: tickets/<id>.md; fanout: tickets/<shard>/<id>.md (cheap writes at 100k tickets)'),
    dry_run: z.boolean().optional().describe('list the moves; change nothing'),
    ...pageInputs(MOVES_LIMIT),
    all: z.boolean().optional().describe('with --dry-run: list every move (as --limit 0)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      layout: z.enum(LAYOUTS),
      /** The layout schema.yaml declared before. */
      was: z.enum(LAYOUTS),
      moved: z.number(),
      /** With dry_run: a page of the moves the migration would make (`moved` counts them all). */
      moves: z.array(z.strictObject({ from: z.string(), to: z.string() })).optional(),
      /** With dry_run: where the next page of moves starts (--offset), null after the last. */
      next_offset: z.number().nullable().optional(),
      commit: z.string().nullable(),
      dry_run: z.boolean(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const idx = await ctx.index();
    const store = ctx.store();
    refuseHandEdits(idx, store);
    const from = layoutOf(indexedSchema(idx.db)!);
    if (input.dry_run) {
      const plan = planAt(store, idx, input.layout, null);
      const req: PageRequest = input.all ? { ...input, limit: 0 } : input;
      const { items: moves, info, next } = pageOfList(plan.moves, req, MOVES_LIMIT);
      return {
        layout: input.layout,
        was: from,
        moved: plan.moves.length,
        moves,
        next_offset: next?.offset ?? null,
        commit: null,
        dry_run: true,
        message: describe(plan, input.layout, { moves, note: pageNote(info, 'moves') }),
      };
    }
    let plan: Plan = { moves: [], changes: [] };
    const res = await commitWrite(ctx, (head, index) => {
      refuseHandEdits(index, store);
      plan = planAt(store, index, input.layout, head);
      return {
        changeSet: {
          changes: plan.changes,
          subject: `migrate ${plan.moves.length} ticket file(s) to the ${input.layout} layout`,
          trailers: [['Tack-Op', 'migrate-layout']],
        },
        value: null,
      };
    });
    return {
      layout: input.layout,
      was: from,
      moved: plan.moves.length,
      commit: res.commit,
      dry_run: false,
      message: describe(plan, input.layout, null, res.commit),
    };
  },
});

/** A dry run's page of moves: the moves shown, and what the page leaves out (pageNote). */
interface ShownMoves {
  moves: Move[];
  note: string | null;
}

function describe(plan: Plan, layout: TicketLayout, dry: ShownMoves | null, commit?: string | null): string {
  if (plan.changes.length === 0) return `every ticket file is already in the ${layout} layout; nothing to do`;
  if (!dry)
    return `moved ${plan.moves.length} ticket file(s) to the ${layout} layout in ${commit?.slice(0, 8) ?? '(not committed)'}`;
  const head = `would move ${plan.moves.length} ticket file(s) to the ${layout} layout`;
  const shown = dry.moves.map((m) => `  ${m.from} → ${m.to}`);
  return [head, ...shown, ...(dry.note ? [`  ${dry.note}`] : [])].join('\n');
}

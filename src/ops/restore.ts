import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { parseTicketFile } from '../model/ticketCodec.js';
import { readBlobText } from '../git/objects.js';
import { requireRev } from '../git/refs.js';
import { lastVersion, resolveAnyId, ticketPlace } from '../index/versionQueries.js';
import { layoutOf } from '../model/schema.js';
import { ticketPath } from '../model/ticketPath.js';
import { ARCHIVE_DIR, type Store } from '../store/store.js';
import { findTicketText } from '../store/storeReader.js';
import { idArg } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

interface Source {
  text: string;
  /** Where the text came from: the archive, a commit. */
  from: string;
}

/** The version to bring back: of --at, else the archived file, else the last one before deletion. */
function findSource(
  store: Store,
  db: Parameters<typeof lastVersion>[0],
  id: string,
  at: string | undefined,
  head: string | null,
): Source {
  const place = ticketPlace(db, id);
  if (at) {
    const rev = requireRev(store.repo, at);
    const text = (findTicketText(store, rev, id) ?? findTicketText(store, rev, id, ARCHIVE_DIR))?.text ?? null;
    if (text === null)
      throw new TackError(
        'not_found',
        `${id} has no file at ${at} (${rev.slice(0, 8)}); expected a revision where it existed (see \`tack log ${id}\`)`,
        { id, at },
      );
    return { text, from: rev };
  }
  if (place === 'live') {
    throw new TackError(
      'invalid_input',
      `${id} is not archived or deleted; to bring back an older version, name it with --at REV (see \`tack log ${id}\`)`,
      { id },
    );
  }
  if (place === 'archived') {
    const found = findTicketText(store, store.mode === 'inline' ? null : head, id, ARCHIVE_DIR);
    if (found !== null) return { text: found.text, from: 'archive' };
  }
  const v = lastVersion(db, id);
  const text = v ? readBlobText(store.repo, v.blob) : null;
  if (!v || text === null)
    throw new TackError('not_found', `no version of ${id} in the history of ${store.ref}`, { id });
  return { text, from: v.commit };
}

/**
 * Bring a ticket back as one commit: from archive/ into tickets/, a deleted ticket as its
 * last version, or any past version (--at REV). The restored file is validated like any
 * edit (its references must exist) and its `updated` is now.
 */
export default defineOp({
  name: 'restore',
  summary: 'Bring back an archived or deleted ticket, or a past version of one (--at REV), as one commit',
  kind: 'write',
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    at: z.string().min(1).optional().describe('restore the version at this revision (commit, tack~3, …)'),
  }),
  output: lazyShape(() =>
    z.strictObject({ restored: z.string(), from: z.string(), commit: z.string().nullable(), message: z.string() }),
  ),
  async run(ctx, input) {
    const idx = await ctx.index();
    const id = resolveAnyId(idx.db, input.id);
    let from = '';
    const { commit } = await mutate(ctx, 'restore', (ed) => {
      const src = findSource(ed.store, ed.index.db, id, input.at, ed.head);
      from = src.from;
      // Into tickets/ in the schema's layout; the editor removes the file where it is now (archive/).
      const live = ticketPath(id, layoutOf(ed.schema));
      ed.replace(id, parseTicketFile(src.text, live), live);
      const what = src.from === 'archive' ? 'from the archive' : `from ${src.from.slice(0, 8)}`;
      return {
        subject: `restore ${id} ${what}`,
        value: null,
      };
    });
    const summary = (await ctx.index()).db
      .prepare<{ title: string; status: string }>('SELECT title, status FROM tickets WHERE id = ?')
      .get(id);
    return {
      restored: id,
      from,
      commit,
      message: `restored ${id}${summary ? ` (${summary.status}: ${summary.title})` : ''} ${from === 'archive' ? 'from the archive' : `as of ${from.slice(0, 8)}`} in ${commit?.slice(0, 8) ?? '(not committed)'}`,
    };
  },
});

import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { formatNoteLine, isMetaKey, unionNoteText, type NoteEntry } from '../model/noteEntry.js';
import { NOTES_REF, readNote, writeNote } from '../git/notes.js';
import { discoverRepo } from '../git/repo.js';
import { requireRev } from '../git/refs.js';
import { resolveId } from '../index/ticketIds.js';
import { withNotesLock } from './notesShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { noteEntryShape } from '../model/workShapes.js';

/** Split the words after the commit: `key=value` words are metadata, the rest is the text. */
function splitWords(words: string[]): { meta: Record<string, string>; text: string } {
  const meta: Record<string, string> = {};
  const text: string[] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0 && isMetaKey(w.slice(0, eq))) meta[w.slice(0, eq)] = w.slice(eq + 1);
    else text.push(w);
  }
  return { meta, text: text.join(' ').trim() };
}

export default defineOp({
  name: 'note',
  summary:
    'Attach a review (--review approve|reject) or metadata (key=value) to a code commit, as a git note under refs/notes/tack',
  kind: 'write',
  cli: { args: ['commit', '...words'], short: { m: 'message' } },
  input: z.object({
    commit: z.string().min(1).describe('the commit (any revision: HEAD, a sha, a branch)'),
    words: z.array(z.string()).optional().describe('text, and key=value metadata'),
    message: z.string().optional().describe('the text (instead of, or before, the words)'),
    review: z.enum(['approve', 'reject']).optional().describe('a review verdict'),
    ticket: z.string().optional().describe('the ticket the note is about'),
  }),
  output: lazyShape(() =>
    z.strictObject({ commit: z.string(), ref: z.string(), entry: noteEntryShape(), line: z.string() }),
  ),
  async run(ctx, input) {
    const repo = discoverRepo(ctx.cwd);
    const sha = requireRev(repo, input.commit);
    const { meta, text } = splitWords(input.words ?? []);
    const fullText = [input.message?.trim(), text].filter(Boolean).join('\n');
    const ticket = input.ticket ? resolveId((await ctx.index()).db, input.ticket) : null;
    if (!fullText && !input.review && Object.keys(meta).length === 0) {
      throw new TackError(
        'invalid_input',
        'the note is empty; expected text, key=value metadata or --review approve|reject',
        { commit: input.commit },
      );
    }
    const entry: NoteEntry = {
      time: ctx.now(),
      author: ctx.user(),
      review: input.review ?? null,
      ticket,
      meta,
      text: fullText,
    };
    const line = formatNoteLine(entry);
    // Several entries per commit: added to the note, never replacing it.
    withNotesLock(repo, () => writeNote(repo, sha, unionNoteText(readNote(repo, sha), line)));
    return { commit: sha, ref: NOTES_REF, entry, line };
  },
});

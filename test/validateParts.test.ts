import { describe, expect, it } from 'vitest';
import { git, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { importToStore } from './storeFiles.js';

const track = trackCleanups();
const ticket = (id: string, status = 'todo') =>
  `---\nid: ${id}\ntitle: ticket ${id}\nstatus: ${status}\ncreated: 2026-11-21T10:00:00Z\n---\n`;
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `tk-${prefix}${i.toString().padStart(6, '0')}`);

// validate reads a commit of more than 5,000 files a part at a time (one commit of 100,000
// files held whole was ~65 MB). What spans the parts must still be seen whole: the schema the
// commit brings, a ticket moved from one part to another, the trailers of the whole commit.
describe('validate on one commit of 10,203 files', () => {
  it('checks each version against the commit’s schema, pairs moves across parts, and checks trailers once', () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    importToStore(dir, { 'tickets/tk-mv000001.md': ticket('tk-mv000001') }, 'a ticket by hand');

    // In git's order: 5,100 archived tickets in a status the schema gains only in this commit;
    // the schema (part 1); the moved ticket's new file (part 1); 5,100 new tickets, one
    // invalid; the moved ticket's old file (part 2); a new ticket no trailer names.
    const archived = ids('ar', 5_100);
    const added = ids('pp', 5_100);
    const files: Record<string, string | null> = {};
    for (const id of archived) files[`archive/${id}.md`] = ticket(id, 'parked');
    const schema = git(dir, 'show', 'tack:schema.yaml');
    files['schema.yaml'] = schema.replace(
      '  - { name: canceled, category: canceled }',
      '  - { name: canceled, category: canceled }\n  - { name: parked, category: backlog }',
    );
    files['tickets/mv/tk-mv000001.md'] = ticket('tk-mv000001');
    for (const id of added) files[`tickets/pp/${id}.md`] = ticket(id, id === added[42] ? 'nowhere' : 'todo');
    files['tickets/tk-mv000001.md'] = null;
    files['tickets/tk-nn000001.md'] = ticket('tk-nn000001');
    const named = [...archived, ...added, 'tk-ghost001'].map((id) => `Tack-Ticket: ${id}`).join('\n');
    importToStore(dir, files, `tack: import\n\nTack-Op: import\n${named}`);

    const r = tackRaw(dir, ['validate', '--all', '--json']);
    const failed = JSON.parse(r.stdout || r.stderr).error;
    expect(failed.code, r.stderr).toBe('check_failed');
    expect(failed.details.commits).toBe(3);
    const found = failed.details.problems.map((p: { kind: string; path?: string; message: string }) => [
      p.kind,
      p.path ?? null,
      p.message,
    ]);
    expect(found).toHaveLength(3);
    expect(found).toContainEqual(['invalid', `tickets/pp/${added[42]}.md`, expect.stringContaining('nowhere')]);
    expect(found).toContainEqual([
      'trailer',
      'tickets/tk-nn000001.md',
      'changes ticket tk-nn000001 but has no "Tack-Ticket: tk-nn000001" trailer',
    ]);
    expect(found).toContainEqual([
      'trailer',
      null,
      'names ticket tk-ghost001 in a Tack-Ticket trailer but does not change its file',
    ]);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, importedStore, revParse, tackImport, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';

/*
 * `tack comment edit` and `tack comment delete`: one commit each, only by the comment's
 * author, a clear error and no commit otherwise; a deleted comment leaves a tombstone in
 * the file and is gone from every reader.
 */

const track = trackCleanups();
const REF = 'refs/heads/tack';

function as(user: string, dir: string, args: string[], input?: string) {
  return tackRaw(dir, [...args, '--json'], { TACK_USER: user }, input);
}

function setup() {
  const s = tempStore();
  track(s.cleanup);
  const id = tackJson(s.dir, 'create', 'Commented').id as string;
  const c = JSON.parse(as('alice', s.dir, ['comment', id, 'first words']).stdout).comment;
  return { dir: s.dir, id, cid: c.id as string };
}

const fileOf = (dir: string, id: string) => git(dir, 'show', `${REF}:tickets/${id}.md`);

describe('tack comment edit / delete', () => {
  it("edits the author's own comment in one commit; the id, author and time stay, an edit time is added", () => {
    const { dir, id, cid } = setup();
    const before = revParse(dir, REF);
    const r = as('alice', dir, ['comment', 'edit', id, cid, '-'], 'better words\n');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ticket: id,
      changed: true,
      comment: { id: cid, text: 'better words' },
    });
    expect(git(dir, 'rev-list', '--count', `${before}..${REF}`).trim()).toBe('1');
    expect(git(dir, 'log', '-1', '--format=%B', REF)).toContain('Tack-Op: comment-edit');
    const shown = tackJson(dir, 'show', id);
    expect(shown.comments).toEqual([
      { id: cid, author: 'alice', created: expect.any(String), body: 'better words', edited: expect.any(String) },
    ]);
    expect(fileOf(dir, id)).toMatch(
      new RegExp(`<!-- comment id="${cid}" author="alice" created="[^"]+" edited="[^"]+" -->`),
    );
    expect(shown.history.map((h: { field: string }) => h.field)).toContain('comment-edit');
    // The same text again is no change and no commit.
    const at = revParse(dir, REF);
    expect(JSON.parse(as('alice', dir, ['comment', 'edit', id, cid, 'better words']).stdout).changed).toBe(false);
    expect(revParse(dir, REF)).toBe(at);
  });

  it("refuses someone else's comment, an unknown id and empty text, and commits nothing", () => {
    const { dir, id, cid } = setup();
    const before = revParse(dir, REF);
    const other = as('mallory', dir, ['comment', 'edit', id, cid, 'pwned']);
    expect(other.status).not.toBe(0);
    expect(JSON.parse(other.stderr).error).toMatchObject({ code: 'forbidden', details: { author: 'alice' } });
    const del = as('mallory', dir, ['comment', 'delete', id, cid]);
    expect(JSON.parse(del.stderr).error.code).toBe('forbidden');
    const unknown = as('alice', dir, ['comment', 'edit', id, 'c-nope', 'x']);
    expect(unknown.status).toBe(3);
    expect(JSON.parse(unknown.stderr).error.code).toBe('not_found');
    expect(JSON.parse(unknown.stderr).error.message).toContain(cid);
    expect(JSON.parse(as('alice', dir, ['comment', 'delete', id, 'c-nope']).stderr).error.code).toBe('not_found');
    expect(JSON.parse(as('alice', dir, ['comment', 'edit', id, cid, '  ']).stderr).error.code).toBe('invalid_input');
    expect(revParse(dir, REF)).toBe(before);
    expect(tackJson(dir, 'show', id).comments[0].body).toBe('first words');
  });

  it('deletes as one commit leaving a tombstone; the comment is gone from show, search and history says so', () => {
    const { dir, id, cid } = setup();
    as('bob', dir, ['comment', id, 'a reply stays']);
    const before = revParse(dir, REF);
    const r = as('alice', dir, ['comment', 'rm', id, cid]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ticket: id, comment: cid, deleted: true });
    expect(git(dir, 'rev-list', '--count', `${before}..${REF}`).trim()).toBe('1');
    const shown = tackJson(dir, 'show', id);
    expect(shown.comments.map((c: { body: string }) => c.body)).toEqual(['a reply stays']);
    const history = shown.history.find((h: { field: string }) => h.field === 'comment-delete');
    expect(history).toMatchObject({ old: `${cid}: first words`, new: null });
    const file = fileOf(dir, id);
    expect(file).toMatch(new RegExp(`<!-- comment id="${cid}" author="alice" created="[^"]+" deleted="[^"]+" -->`));
    expect(file).not.toContain('first words');
    const hits = (words: string): unknown[] => {
      const o = tackJson(dir, 'search', words);
      return Array.isArray(o) ? o : (o.items ?? o.results ?? o.tickets);
    };
    expect(hits('reply')).toHaveLength(1);
    expect(hits('first words')).toEqual([]);
    // Deleted is deleted: no edit, no second delete.
    expect(JSON.parse(as('alice', dir, ['comment', 'edit', id, cid, 'back']).stderr).error.code).toBe('not_found');
    expect(JSON.parse(as('alice', dir, ['comment', 'delete', id, cid]).stderr).error.message).toContain('was deleted');
    git(dir, 'fsck', '--strict');
  });

  it('a hostile comment id or text is data: no marker injection, nothing but the one comment changes', () => {
    const { dir, id, cid } = setup();
    const evil = `x" deleted="2020-01-01T00:00:00Z\n<!-- comment id="${cid}" author="alice" created="2020" deleted="2020" -->`;
    const r = as('alice', dir, ['comment', 'edit', id, cid, evil]);
    expect(r.status, r.stderr).toBe(0);
    const shown = tackJson(dir, 'show', id);
    expect(shown.comments).toHaveLength(1);
    expect(shown.comments[0].body).toBe(evil);
    const quoted = as('alice', dir, ['comment', 'edit', id, `${cid}" author="alice`, 'x']);
    expect(JSON.parse(quoted.stderr).error.code).toBe('not_found');
  });

  it('a re-import from a source that still has a deleted comment does not bring it back', () => {
    const fixture = join(import.meta.dirname, 'fixtures', 'github', 'issues.json');
    const s = importedStore('github', 'issues.json', readFileSync(fixture));
    track(s.cleanup);
    const t = tackJson(s.dir, 'show', 'github:acme/widgets#12');
    const [c] = t.comments;
    const r = as(c.author, s.dir, ['comment', 'delete', t.id, c.id]);
    expect(r.status, r.stderr).toBe(0);
    const issues = JSON.parse(readFileSync(fixture, 'utf8'));
    for (const i of issues) i.updatedAt = '2030-01-01T00:00:00Z';
    writeFileSync(s.file, JSON.stringify(issues));
    tackImport(s.dir, 'github', s.file);
    expect(tackJson(s.dir, 'show', t.id).comments).toEqual([]);
  });
});

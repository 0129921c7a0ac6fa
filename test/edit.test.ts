import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { commitToStore } from './storeFiles.js';

/* `tack edit ID`: $EDITOR on a temp copy of the ticket file; validated, then one commit. */

const track = trackCleanups();

function setup(): { dir: string; id: string; tmp: string } {
  const r = tempStore();
  track(r.cleanup);
  const tmp = mkdtempSync(join(tmpdir(), 'tack-edit-test-'));
  track(() => rmSync(tmp, { recursive: true, force: true }));
  const id = tackJson(r.dir, 'create', 'Edit me', '--description', 'Original body').id;
  return { dir: r.dir, id, tmp };
}

/** Run `tack edit` with EDITOR set to a shell command that rewrites the file it is given. */
function edit(dir: string, tmp: string, editor: string, ...args: string[]) {
  const r = tackRaw(dir, ['edit', ...args, '--json'], { EDITOR: editor, VISUAL: '', TMPDIR: tmp });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  return {
    ...r,
    out: r.status === 0 ? JSON.parse(r.stdout) : null,
    error: r.status !== 0 && last.startsWith('{') ? JSON.parse(last).error : null,
  };
}

const fileAt = (dir: string, id: string) => git(dir, 'show', `tack:tickets/${id}.md`);

describe('tack edit', () => {
  it('commits the edited file as one commit (Tack-Op: edit)', () => {
    const { dir, id, tmp } = setup();
    const before = revParse(dir, 'tack')!;
    const r = edit(
      dir,
      tmp,
      "sed -i -e 's/^status: todo/status: in-progress/' -e 's/^Original body/Rewritten body/'",
      id.slice(0, 7),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ id, changed: true });
    expect(revParse(dir, 'tack')).toBe(r.out.commit);
    expect(git(dir, 'rev-parse', 'tack^')).toBe(before);
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('edit');
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Ticket,valueonly)', 'tack')).toBe(id);
    const text = fileAt(dir, id);
    expect(text).toMatch(/^status: in-progress$/m);
    expect(text).toContain('Rewritten body');
    expect(tackJson(dir, 'show', id)).toMatchObject({ status: 'in-progress', category: 'started' });
    // The temp copy is cleaned up after a successful save.
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('says so and writes nothing when the file is saved unchanged', () => {
    const { dir, id, tmp } = setup();
    const before = revParse(dir, 'tack');
    const r = edit(dir, tmp, 'true', id);
    expect(r.status).toBe(0);
    expect(r.out).toMatchObject({ id, changed: false, commit: null });
    expect(r.out.message).toContain('no changes');
    expect(revParse(dir, 'tack')).toBe(before);
  });

  it('reports an invalid edit with file and line, writes nothing, and keeps the text', () => {
    const { dir, id, tmp } = setup();
    const before = revParse(dir, 'tack');
    const bad = edit(dir, tmp, "sed -i 's/^status: todo/status: nonsense/'", id);
    expect(bad.status).not.toBe(0);
    expect(bad.error.code).toBe('invalid_ticket');
    expect(bad.error.message).toContain(`tickets/${id}.md:5: unknown status "nonsense"`);
    const kept = bad.error.details.kept as string;
    expect(readFileSync(kept, 'utf8')).toMatch(/^status: nonsense$/m);
    // Kept in the repository's Tack directory, one file per ticket; no temp directory is left.
    expect(kept).toBe(
      join(git(dir, 'rev-parse', '--path-format=absolute', '--git-common-dir'), 'tack', 'edits', `${id}.md`),
    );
    expect(readdirSync(tmp).filter((f) => f.startsWith('tack-edit-'))).toEqual([]);

    const yaml = edit(dir, tmp, "sed -i 's/^title: .*/title: [unclosed/'", id);
    expect(yaml.error.code).toBe('parse_error');
    expect(yaml.error.message).toMatch(new RegExp(`tickets/${id}\\.md:\\d+: invalid YAML`));

    const idChange = edit(dir, tmp, "sed -i 's/^id: .*/id: tk-someoneelse/'", id);
    expect(idChange.error.code).toBe('invalid_ticket');
    expect(idChange.error.message).toContain('the id cannot change');

    expect(revParse(dir, 'tack')).toBe(before);
    expect(fileAt(dir, id)).toMatch(/^status: todo$/m);
  });

  it('writes nothing when the editor fails', () => {
    const { dir, id, tmp } = setup();
    const before = revParse(dir, 'tack');
    const r = edit(dir, tmp, 'sed -i \'s/todo/done/\' "$1"; exit 3; :', id);
    expect(r.error.code).toBe('editor_failed');
    expect(revParse(dir, 'tack')).toBe(before);
  });

  it('takes the text as input too (the op REST and MCP call): text in, commit out', () => {
    const { dir, id } = setup();
    const text = `${fileAt(dir, id).replace('priority: none', 'priority: urgent')}\n`;
    const r = tackRaw(dir, ['edit', id, `--text=${text}`, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(fileAt(dir, id)).toMatch(/^priority: urgent$/m);
    // A stale base (the blob the text was read from) is refused.
    const stale = tackRaw(dir, [
      'edit',
      id,
      `--text=${text.replace('urgent', 'low')}`,
      '--base',
      '0'.repeat(40),
      '--json',
    ]);
    expect(JSON.parse(stale.stderr.trim()).error.code).toBe('conflict');
    expect(fileAt(dir, id)).toMatch(/^priority: urgent$/m);
  });

  it('repairs a ticket file broken by hand, which every other command reports with its line', () => {
    const { dir, id, tmp } = setup();
    commitToStore(
      dir,
      { [`tickets/${id}.md`]: `---\nid: ${id}\ntitle: [broken\nstatus: todo\n---\nBody\n` },
      'hand edit',
    );
    const shown = tackRaw(dir, ['show', id, '--json']);
    expect(shown.status).not.toBe(0);
    expect(JSON.parse(shown.stderr.trim()).error).toMatchObject({ code: 'parse_error' });
    expect(JSON.parse(shown.stderr.trim()).error.message).toMatch(new RegExp(`tickets/${id}\\.md:\\d+: invalid YAML`));
    const r = edit(dir, tmp, "sed -i 's/title: \\[broken/title: Repaired/'", id.slice(0, 7));
    expect(r.status).toBe(0);
    expect(fileAt(dir, id)).toContain('title: Repaired');
    expect(tackJson(dir, 'show', id).title).toBe('Repaired');
  });

  describe('in a mount whose file holds uncommitted edits', () => {
    function mountedEdit(): { dir: string; id: string; tmp: string; file: string } {
      const m = setup();
      const mount = tackJson(m.dir, 'mount').mount as string;
      return { ...m, file: join(mount, 'tickets', `${m.id}.md`) };
    }
    const mountStatus = (file: string) => git(join(file, '..', '..'), 'status', '--porcelain');

    it('edits on top of them: the commit holds both, and the mounted file is clean after', () => {
      const { dir, id, tmp, file } = mountedEdit();
      writeFileSync(file, readFileSync(file, 'utf8').replace('Original body', 'Original body\nTyped by hand.'));
      const r = edit(dir, tmp, "sed -i 's/^priority: none/priority: high/'", id);
      expect(r.status, r.stderr).toBe(0);
      expect(fileAt(dir, id)).toMatch(/Typed by hand\./);
      expect(fileAt(dir, id)).toMatch(/^priority: high$/m);
      expect(readFileSync(file, 'utf8')).toBe(`${fileAt(dir, id)}\n`);
      expect(mountStatus(file)).toBe('');
    });

    it('repairs a file broken by hand, as the hint of every other command says', () => {
      const { dir, id, tmp, file } = mountedEdit();
      writeFileSync(file, readFileSync(file, 'utf8').replace('title: Edit me', 'title: [broken'));
      expect(tackRaw(dir, ['show', id, '--json']).status).not.toBe(0);
      const r = edit(dir, tmp, "sed -i 's/title: \\[broken/title: Repaired/'", id);
      expect(r.status, r.stderr).toBe(0);
      expect(fileAt(dir, id)).toContain('title: Repaired');
      expect(readFileSync(file, 'utf8')).not.toContain('<<<<<<<');
      expect(mountStatus(file)).toBe('');
      expect(tackJson(dir, 'show', id).title).toBe('Repaired');
    });

    it('a repair back to the committed text commits nothing and puts the file back', () => {
      const { dir, id, tmp, file } = mountedEdit();
      const before = revParse(dir, 'tack');
      writeFileSync(file, readFileSync(file, 'utf8').replace('title: Edit me', 'title: [broken'));
      const r = edit(dir, tmp, "sed -i 's/title: \\[broken/title: Edit me/'", id);
      expect(r.status, r.stderr).toBe(0);
      expect(revParse(dir, 'tack')).toBe(before);
      expect(mountStatus(file)).toBe('');
      expect(tackJson(dir, 'show', id).title).toBe('Edit me');
    });

    it('still refuses a text read before another writer changed the ticket', () => {
      const { dir, id, file } = mountedEdit();
      writeFileSync(file, readFileSync(file, 'utf8').replace('Original body', 'Hand typed'));
      const text = readFileSync(file, 'utf8').replace('priority: none', 'priority: low');
      const stale = tackRaw(dir, ['edit', id, `--text=${text}`, '--base', '0'.repeat(40), '--json']);
      expect(JSON.parse(stale.stderr.trim()).error.code).toBe('conflict');
    });
  });
});

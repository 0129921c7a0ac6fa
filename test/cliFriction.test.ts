import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TACK_BIN, tackFail, tackJson, tackRaw, tempRepo, tempStore, testEnv, trackCleanups } from './helpers.js';

const track = trackCleanups();

describe('did you mean', () => {
  it('suggests a few close commands instead of printing every name', () => {
    const r = tempRepo();
    track(r.cleanup);
    const res = tackRaw(r.dir, ['lsit']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/unknown command "lsit"; did you mean list/);
    expect(res.stderr).not.toContain('reindex');
    expect(res.stderr.length).toBeLessThan(300);
    const far = tackFail(r.dir, 'xyzzyq');
    expect(far.error.code).toBe('unknown_command');
    expect(far.error.message).toContain('tack --help');
    expect(far.error.message.length).toBeLessThan(200);
  });

  it('suggests a close flag of the command', () => {
    const s = tempStore();
    track(s.cleanup);
    const f = tackFail(s.dir, 'create', 'A title', '--asignee', 'bob');
    expect(f.error.code).toBe('invalid_input');
    expect(f.error.message).toMatch(/unknown option --asignee; did you mean --assignee\?/);
    const t = tackFail(s.dir, 'create', '--weird-title');
    expect(t.error.message).toContain('--');
    expect(t.error.message).toMatch(/after `--`/);
  });

  it('suggests a close subcommand of a group', () => {
    const r = tempRepo();
    track(r.cleanup);
    const f = tackFail(r.dir, 'hooks', 'isntall');
    expect(f.error.code).toBe('unknown_command');
    expect(f.error.message).toMatch(/did you mean hooks install\?/);
    const g = tackFail(r.dir, 'schema', 'shwo');
    expect(g.error.message).toMatch(/did you mean schema show\?/);
  });

  it('runs a subcommand whose group word alone is the same command (`workspace` and `workspace list`)', () => {
    const s = tempStore();
    track(s.cleanup);
    expect(tackJson(s.dir, 'workspace', 'list')).toEqual(tackJson(s.dir, 'workspace'));
    expect(tackFail(s.dir, 'workspace', 'lst').error.message).toMatch(/did you mean workspace list\?/);
  });
});

describe('command groups', () => {
  it.each(['hooks', 'label', 'commits'])('`tack %s` lists its subcommands', (group) => {
    const r = tempRepo();
    track(r.cleanup);
    const res = tackRaw(r.dir, [group]);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`tack ${group} <command>`);
    expect(res.stdout).toMatch(new RegExp(`^  ${group} \\w`, 'm'));
    expect(res.stderr).toBe('');
  });

  it('`--help` of a group with its own command lists the subcommands too', () => {
    const r = tempRepo();
    track(r.cleanup);
    const res = tackRaw(r.dir, ['branch', '--help']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^ {2}branch merge/m);
    expect(tackRaw(r.dir, ['help', 'label']).stdout).toMatch(/^ {2}label add/m);
  });
});

describe('"me" is the current user', () => {
  it('in create, update, list, board and batch', () => {
    const s = tempStore();
    track(s.cleanup);
    const a = tackJson(s.dir, 'create', 'Mine', '-a', 'me');
    expect(a.assignee).toBe('tester');
    const b = tackJson(s.dir, 'create', 'Theirs', '-a', 'ann');
    expect(tackJson(s.dir, 'update', b.id, '--assignee', 'me').assignee).toBe('tester');
    tackJson(s.dir, 'create', 'Other', '-a', 'ann');
    const mine = tackJson(s.dir, 'list', '-a', 'me');
    expect(mine.map((t: { title: string }) => t.title).sort()).toEqual(['Mine', 'Theirs']);
    const board = tackJson(s.dir, 'board', '-a', 'me');
    expect(board.columns.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(2);
    const r = tackRaw(
      s.dir,
      ['batch', '-', '--json'],
      {},
      JSON.stringify([{ op: 'create', title: 'Batched', assignee: 'me' }]),
    );
    expect(r.status).toBe(0);
    expect(tackJson(s.dir, 'list', '-a', 'tester')).toHaveLength(3);
    expect(tackJson(s.dir, 'list', '-a', 'me')).toHaveLength(3);
  });
});

describe('colour', () => {
  it('follows --color, then FORCE_COLOR through a pipe, then NO_COLOR', () => {
    const s = tempStore();
    track(s.cleanup);
    tackRaw(s.dir, ['create', 'Coloured', '--status', 'in-progress']);
    const plain = tackRaw(s.dir, ['list']); // the test environment sets NO_COLOR
    expect(plain.stdout).toContain('Coloured');
    expect(plain.stdout).not.toContain('\x1b[');
    const forced = tackRaw(s.dir, ['list'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\x1b[33m');
    const off = tackRaw(s.dir, ['list'], { FORCE_COLOR: '0', NO_COLOR: '' });
    expect(off.stdout).not.toContain('\x1b[');
    expect(tackRaw(s.dir, ['list', '--color=always']).stdout).toContain('\x1b[33m');
    expect(tackRaw(s.dir, ['--color', 'never', 'list'], { FORCE_COLOR: '1' }).stdout).not.toContain('\x1b[');
    expect(tackRaw(s.dir, ['list', '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toContain('\x1b[');
    const bad = tackRaw(s.dir, ['list', '--color=sometimes']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--color expects always, never or auto; received "sometimes"');
  });
});

describe('show', () => {
  it('names related tickets with their title and state, in --json too', () => {
    const s = tempStore();
    track(s.cleanup);
    const epic = tackJson(s.dir, 'create', 'Release 2.0', '--type', 'epic');
    const t = tackJson(s.dir, 'create', 'Ship the docs', '--parent', epic.id);
    const blocker = tackJson(s.dir, 'create', 'Fix the parser', '--blocks', t.id, '--status', 'todo');
    const shown = tackRaw(s.dir, ['show', t.id]).stdout;
    expect(shown).toMatch(/parent:\s+\S+ Release 2\.0 \(\w+\)/);
    expect(shown).toMatch(/blocked by:\s+\S+ Fix the parser \(todo\)/);
    const json = tackJson(s.dir, 'show', t.id);
    expect(json.refs[blocker.id]).toMatchObject({ title: 'Fix the parser', status: 'todo' });
    expect(json.refs[epic.id].title).toBe('Release 2.0');
  });
});

describe('text input like git commit', () => {
  it('takes a comment or a description from stdin with -, or from --file', () => {
    const s = tempStore();
    track(s.cleanup);
    const id = tackJson(s.dir, 'create', 'Text input').id;
    expect(tackRaw(s.dir, ['comment', id, '-'], {}, 'from stdin\nsecond line\n').status).toBe(0);
    writeFileSync(join(s.dir, 'note.md'), 'from a file\n');
    expect(tackRaw(s.dir, ['comment', id, '--file', 'note.md']).status).toBe(0);
    expect(tackRaw(s.dir, ['update', id, '--description', '-'], {}, 'body from stdin\n').status).toBe(0);
    const made = tackJson(s.dir, 'create', 'With a file body', '--file', 'note.md');
    const shown = tackJson(s.dir, 'show', id);
    // Two comments in the same second: compare as a set (their order within a second is by id).
    expect(shown.comments.map((c: { body: string }) => c.body.trim()).sort()).toEqual([
      'from a file',
      'from stdin\nsecond line',
    ]);
    expect(shown.description.trim()).toBe('body from stdin');
    expect(tackJson(s.dir, 'show', made.id).description.trim()).toBe('from a file');
  });

  it('says what it expected when a comment has no text and no terminal to ask on', () => {
    const s = tempStore();
    track(s.cleanup);
    const id = tackJson(s.dir, 'create', 'No text').id;
    const before = tackJson(s.dir, 'show', id).comments.length;
    const f = tackFail(s.dir, 'comment', id);
    expect(f.error.code).toBe('invalid_input');
    expect(f.error.message).toContain('expected it as an argument, "-" for stdin, or --file PATH');
    expect(tackFail(s.dir, 'comment', id, 'text', '--file', 'x.md').error.message).toContain('not both');
    expect(tackJson(s.dir, 'show', id).comments.length).toBe(before);
  });

  it('says a blank title is blank, not what zod calls it', () => {
    const s = tempStore();
    track(s.cleanup);
    expect(tackFail(s.dir, 'create', '   ').error.message).toBe(
      '<title>: must not be blank; received "   " (see `tack create --help`)',
    );
  });
});

describe('a comment with no text on a terminal', () => {
  it('opens $EDITOR and posts what was written there', () => {
    const s = tempStore();
    track(s.cleanup);
    const id = tackJson(s.dir, 'create', 'Editor').id;
    const editor = join(s.dir, 'fake-editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "written in the editor\\n" > "$1"\n', { mode: 0o755 });
    // `script` gives the command a terminal, as a person at a shell has.
    const r = spawnSync('script', ['-qec', `${process.execPath} ${TACK_BIN} comment ${id}`, '/dev/null'], {
      cwd: s.dir,
      env: testEnv({ EDITOR: editor, VISUAL: '' }),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const comments = tackJson(s.dir, 'show', id).comments as Array<{ body: string }>;
    expect(comments.map((c) => c.body.trim())).toEqual(['written in the editor']);
  });
});

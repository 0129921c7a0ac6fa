import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, sh, tack, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { commitToStore } from './storeFiles.js';

/*
 * What a real repository throws at Tack: files broken by hand, fresh clones, reading
 * the past, a deleted index.
 */

const track = trackCleanups();
function store(inline = false): string {
  const r = tempStore({ inline });
  track(r.cleanup);
  return r.dir;
}

const BROKEN_ID = 'tk-broken01';
/** Line 4 of the file is not valid YAML (a second ': ' in a plain value). */
const BROKEN = `---\nid: ${BROKEN_ID}\ntitle: Broken by hand\nstatus: todo: really\npriority: high\n---\nThe YAML above is broken.\n`;

/** Commit a file to the tack branch with plain git plumbing, as another tool would. */
function plumbCommit(dir: string, path: string, content: string): string {
  const tmpIndex = join(dir, '.git', 'plumb-index');
  const env = { GIT_INDEX_FILE: tmpIndex };
  const file = join(dir, '.git', 'plumb-content');
  writeFileSync(file, content);
  const sha = sh(dir, 'git', ['hash-object', '-w', file], env).trim();
  sh(dir, 'git', ['read-tree', 'tack'], env);
  sh(dir, 'git', ['update-index', '--add', '--cacheinfo', `100644,${sha},${path}`], env);
  const tree = sh(dir, 'git', ['write-tree'], env).trim();
  const commit = sh(dir, 'git', ['commit-tree', tree, '-p', 'tack', '-m', `hand edit ${path}`], env).trim();
  sh(dir, 'git', ['update-ref', 'refs/heads/tack', commit], env);
  rmSync(tmpIndex, { force: true });
  rmSync(file, { force: true });
  return commit;
}

describe('a ticket file broken by hand', () => {
  it('branch mode: list still lists every other ticket and the problem names the file and line', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'Healthy A').id;
    const b = tackJson(dir, 'create', 'Healthy B').id;
    plumbCommit(dir, `tickets/${BROKEN_ID}.md`, BROKEN);

    const r = tackRaw(dir, ['list', '--json']);
    expect(r.status).toBe(0);
    expect(
      JSON.parse(r.stdout)
        .map((t: any) => t.id)
        .sort(),
    ).toEqual([a, b].sort());
    const human = tackRaw(dir, ['list']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('Healthy A');
    // The problem must be surfaced, naming the file and the line of the broken YAML.
    expect(human.stdout + human.stderr).toContain(`tickets/${BROKEN_ID}.md:4`);
    expect(r.stderr).toContain(`tickets/${BROKEN_ID}.md:4`);

    // writes to other tickets still work, and do not touch the broken file
    tack(dir, 'update', a, '--status', 'in-progress');
    expect(tackJson(dir, 'show', a).status).toBe('in-progress');
    expect(`${git(dir, 'show', `tack:tickets/${BROKEN_ID}.md`)}\n`).toBe(BROKEN);
  });

  it('inline mode: a broken file in the working tree is reported, the rest is listed', () => {
    const dir = store(true);
    const a = tackJson(dir, 'create', 'Healthy').id;
    writeFileSync(join(dir, '.tack', 'tickets', `${BROKEN_ID}.md`), BROKEN);
    const r = tackRaw(dir, ['list', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).map((t: any) => t.id)).toEqual([a]);
    expect(r.stderr).toContain(`.tack/tickets/${BROKEN_ID}.md:4`);
  });

  it('a ticket with an invalid value is still listed and the problem is reported', () => {
    const dir = store();
    tackJson(dir, 'create', 'Healthy');
    const id = 'tk-badstat1';
    plumbCommit(
      dir,
      `tickets/${id}.md`,
      `---\nid: ${id}\ntitle: Bad status\nstatus: doing\ncreated: 2026-01-01T00:00:00Z\n---\n`,
    );
    const shown = tackJson(dir, 'show', id);
    expect(shown.problems.join('\n')).toContain('unknown status "doing"');
    const r = tackRaw(dir, ['list', '--all', '--json']);
    expect(JSON.parse(r.stdout).map((t: any) => t.id)).toContain(id);
    expect(r.stderr).toContain(`tickets/${id}.md`);
  });
});

describe('a schema.yaml broken by hand', () => {
  it('commands go on under the last good schema and warn, naming the file and the line', () => {
    const dir = store();
    const text = `${git(dir, 'show', 'tack:schema.yaml')}\n`;
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('default_type:'));
    lines[at] = 'default_type: task: oops';
    plumbCommit(dir, 'schema.yaml', lines.join('\n'));
    const r = tackRaw(dir, ['list', '--json']);
    expect(r.status).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
    expect(r.stderr).toContain(`schema.yaml:${at + 1}`);
    expect(r.stderr).toContain('the last good schema is in use');
  });
});

describe('a fresh clone', () => {
  it('whose remote has a tack branch works without init', () => {
    const origin = store();
    const a = tackJson(origin, 'create', 'From origin', '-l', 'remote').id;
    const b = tackJson(origin, 'create', 'Also from origin', '--blocks', a).id;
    const parent = mkdtempSync(join(tmpdir(), 'tack-clone-'));
    track(() => rmSync(parent, { recursive: true, force: true }));
    git(parent, 'clone', '-q', origin, 'clone');
    const dir = join(parent, 'clone');
    expect(revParse(dir, 'refs/heads/tack')).toBeNull();
    expect(revParse(dir, 'refs/remotes/origin/tack')).toBe(revParse(origin, 'tack'));

    expect(
      tackJson(dir, 'list')
        .map((t: any) => t.id)
        .sort(),
    ).toEqual([a, b].sort());
    expect(tackJson(dir, 'show', a)).toMatchObject({ labels: ['remote'], blocked_by: [b] });
    expect(tackJson(dir, 'ready').map((t: any) => t.id)).toEqual([b]);
    const c = tackJson(dir, 'create', 'Made in the clone').id;
    expect(git(dir, 'show', `tack:tickets/${c}.md`)).toContain('title: Made in the clone');
    expect(revParse(dir, 'tack~1')).toBe(revParse(origin, 'tack'));
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('--at', () => {
  it('list/show/ready --at tack~N show the earlier state', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A', '-p', 'low').id; // tack~3 after all below
    const b = tackJson(dir, 'create', 'B').id; // tack~2
    tack(dir, 'update', a, '--priority', 'urgent', '--title', 'A renamed'); // tack~1
    tack(dir, 'close', b); // tack

    const ids = (rows: any[]) => rows.map((t) => t.id).sort();
    expect(ids(tackJson(dir, 'list'))).toEqual([a]);
    expect(ids(tackJson(dir, 'list', '--at', 'tack~1'))).toEqual([a, b].sort());
    expect(ids(tackJson(dir, 'list', '--at', 'tack~3'))).toEqual([a]);
    expect(tackJson(dir, 'list', '--at', 'tack~4')).toEqual([]);
    const then = tackJson(dir, 'show', a, '--at', 'tack~2');
    expect(then).toMatchObject({ title: 'A', priority: 'low' });
    expect(tackJson(dir, 'show', a)).toMatchObject({ title: 'A renamed', priority: 'urgent' });
    expect(tackJson(dir, 'ready', '--at', 'tack~2').map((t: any) => t.id)).toEqual([a, b]); // low before none
    // a sha works as well as an expression, and the live index is unaffected
    const sha = revParse(dir, 'tack~2')!;
    expect(ids(tackJson(dir, 'list', '--at', sha))).toEqual([a, b].sort());
    expect(ids(tackJson(dir, 'list'))).toEqual([a]);
    const bad = tackRaw(dir, ['list', '--at', 'nonsense~9', '--json']);
    expect(bad.status).not.toBe(0);
    expect(JSON.parse(bad.stderr).error.code).toBe('not_found');
  });
});

describe('reindex', () => {
  it('answers are identical before and after deleting the index', () => {
    const dir = store();
    const T = (n: number) => ({ TACK_NOW: `2026-02-0${n}T10:00:00Z` });
    const run = (env: Record<string, string>, ...args: string[]) => {
      const r = tackRaw(dir, [...args, '--json'], env);
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout);
    };
    const epic = run(T(1), 'create', 'Epic', '-t', 'epic', '-p', 'high').id;
    const a = run(T(2), 'create', 'A', '--parent', epic, '-l', 'x', '-d', 'Body with #tag and [[docs/a.md]]').id;
    const b = run(T(3), 'create', 'B', '--blocks', a, '-a', 'alice').id;
    const c = run(T(4), 'create', 'C', '-s', 'backlog', '-p', 'urgent').id;
    run(T(5), 'comment', a, `A comment with +${c}`);
    run(T(6), 'link', c, 'related', a);
    run(T(7), 'close', c, '--reason', 'dup');
    const ids = [epic, a, b, c];

    const answers = () =>
      JSON.stringify({
        list: tackJson(dir, 'list', '--all'),
        ready: tackJson(dir, 'ready'),
        blocked: tackJson(dir, 'blocked'),
        show: ids.map((id) => tackJson(dir, 'show', id)),
        search: tackJson(dir, 'search', 'comment'),
      });
    const before = answers();
    const db = join(dir, '.git', 'tack', 'index.db');
    expect(existsSync(db)).toBe(true);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    const after = answers();
    expect(existsSync(db)).toBe(true);
    expect(after).toBe(before);
    expect(JSON.parse(after).show[1]).toMatchObject({ parent: epic, blocked_by: [b], related: [c], tags: ['tag'] });
  });
});

describe('references written by hand as id prefixes', () => {
  it('resolve in the index, and become full ids when Tack next writes the ticket', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'Blocker').id as string;
    const b = tackJson(dir, 'create', 'Blocked').id as string;
    const text = git(dir, 'show', `tack:tickets/${a}.md`).replace(/^created:/m, `blocks: [${b.slice(0, 7)}]\ncreated:`);
    commitToStore(dir, { [`tickets/${a}.md`]: `${text}\n` }, 'hand-written prefix');
    expect(tackJson(dir, 'show', b).blocked_by).toEqual([a]);
    tack(dir, 'update', a, '--priority', 'high');
    expect(git(dir, 'show', `tack:tickets/${a}.md`)).toContain(`blocks: [${b}]`);
    expect(tackJson(dir, 'blocked').map((t: { id: string }) => t.id)).toEqual([b]);
  });

  it('resolve only a literal prefix of one id: no wildcards, no other case, no prefix of two', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'Points around').id as string;
    const b = tackJson(dir, 'create', 'Target').id as string;
    tackJson(dir, 'create', 'Another');
    // `_` and `%` would match any character as a pattern; `TK-` is another case; `tk-` starts every id.
    const refs = [`${b.slice(0, 4)}_`, `${b.slice(0, 5)}%`, b.slice(0, 7).toUpperCase(), 'tk-'];
    const text = git(dir, 'show', `tack:tickets/${a}.md`).replace(
      /^created:/m,
      `related: [${refs.join(', ')}]\nparent: ${b.slice(0, 3)}\ncreated:`,
    );
    commitToStore(dir, { [`tickets/${a}.md`]: `${text}\n` }, 'references that are not prefixes of one id');
    const shown = tackJson(dir, 'show', a);
    expect(shown.parent).toBe(b.slice(0, 3));
    expect([...shown.related].sort()).toEqual([...refs].sort());
    expect(tackJson(dir, 'show', b).related ?? []).toEqual([]);
  });
});

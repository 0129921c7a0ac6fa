import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/index/sqlite.js';
import { describe, expect, it } from 'vitest';
import { git, revParse, sh, tack, tackFail, tackJson, tempStore, trackCleanups } from './helpers.js';
import { commitToStore, tackEnv, ticketText } from './storeFiles.js';
import { writerMidWrite } from './processes.js';

/*
 * `tack doctor` finds what hand edits, merges and killed processes can leave behind,
 * and `--fix` repairs what is safe to repair; `tack validate` checks the history.
 */

const track = trackCleanups();
function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

const T = '2026-11-21T10:00:00Z';
const file = (id: string, extra: Record<string, string | string[]> = {}) =>
  ticketText({ id, title: `Ticket ${id}`, status: 'todo', created: T, ...extra }, 'Body.\n');
const BROKEN = `---\nid: tk-broken01\ntitle: Broken by hand\nstatus: todo: really\n---\n`;

/** A forged commit on the tack branch, made with plumbing: any message, any files. */
function plumbCommit(dir: string, files: Record<string, string>, message: string): string {
  const env = { GIT_INDEX_FILE: join(dir, '.git', 'forge-index') };
  sh(dir, 'git', ['read-tree', 'tack'], env);
  for (const [path, content] of Object.entries(files)) {
    const blob = git(dir, 'hash-object', '-w', writeTemp(dir, content));
    sh(dir, 'git', ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], env);
  }
  const tree = sh(dir, 'git', ['write-tree'], env).trim();
  const commit = sh(dir, 'git', ['commit-tree', tree, '-p', 'tack', '-m', message], env).trim();
  git(dir, 'update-ref', 'refs/heads/tack', commit);
  return commit;
}

function writeTemp(dir: string, content: string): string {
  const p = join(dir, '.git', 'forge-blob');
  writeFileSync(p, content);
  return p;
}

const checks = (findings: Array<{ check: string; fixed?: boolean }>, fixed?: boolean) =>
  [...new Set(findings.filter((f) => fixed === undefined || !!f.fixed === fixed).map((f) => f.check))].sort();

describe('tack doctor', () => {
  it('a healthy store: no problems, exit 0', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    tack(dir, 'create', 'B', '--parent', a);
    const r = tackJson(dir, 'doctor');
    expect(r.ok).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('finds every kind of problem, fixes the safe ones in one commit, reports the rest', () => {
    const dir = store();
    const good = tackJson(dir, 'create', 'Good').id;
    const claimed = tackJson(dir, 'create', 'Claimed').id;
    tackEnv(dir, { TACK_NOW: '2026-01-01T00:00:00Z', TACK_USER: 'old' }, 'claim', claimed, '--for', '1h');
    commitToStore(
      dir,
      {
        'tickets/tk-broken01.md': BROKEN,
        'tickets/tk-aaaa0001.md': file('tk-bbbb0002'), // id field differs from the file name
        'tickets/tk-dang0001.md': file('tk-dang0001', {
          parent: 'tk-zzzzzzzz',
          blocks: ['tk-yyyyyyyy', good],
          links: ['docs/missing.md'],
        }),
        'tickets/tk-cyca0001.md': file('tk-cyca0001', { blocks: ['tk-cycb0001'] }),
        'tickets/tk-cycb0001.md': file('tk-cycb0001', { blocks: ['tk-cyca0001'] }),
      },
      'hand edits',
    );
    tackJson(dir, 'list');
    // leftovers of killed processes, and an index that says something git does not
    writeFileSync(join(dir, '.git', 'tack', 'tmp-index-999999-dead'), '');
    const lock = join(dir, '.git', 'refs', 'heads', 'tack.lock');
    writeFileSync(lock, '');
    utimesSync(lock, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const db = openDatabase(join(dir, '.git', 'tack', 'index.db'));
    db.prepare('UPDATE tickets SET title = ? WHERE id = ?').run('Wrong', good);
    db.close();

    const found = tackFail(dir, 'doctor');
    expect(found.error.code).toBe('check_failed');
    const findings = found.error.details!.findings as Array<{
      check: string;
      path?: string;
      line?: number;
      target?: string;
      fixed?: boolean;
    }>;
    expect(checks(findings)).toEqual([
      'cycle',
      'dangling',
      'duplicate_id',
      'index',
      'leftover',
      'parse',
      'stale_lease',
    ]);
    expect(findings.find((f) => f.check === 'parse')).toMatchObject({ path: 'tickets/tk-broken01.md', line: 4 });
    expect(
      findings
        .filter((f) => f.check === 'dangling')
        .map((f) => f.target)
        .sort(),
    ).toEqual(['docs/missing.md', 'tk-yyyyyyyy', 'tk-zzzzzzzz']);
    // The scan keeps no texts: a finding's line comes from the file read again.
    const dangText = git(dir, 'show', 'tack:tickets/tk-dang0001.md').split('\n');
    const lineOf = (key: string) => dangText.findIndex((l) => l.startsWith(`${key}:`)) + 1;
    expect(
      findings
        .filter((f) => f.check === 'dangling')
        .map((f) => [f.target, f.line])
        .sort(),
    ).toEqual([
      ['docs/missing.md', lineOf('links')],
      ['tk-yyyyyyyy', lineOf('blocks')],
      ['tk-zzzzzzzz', lineOf('parent')],
    ]);
    expect(lineOf('parent')).toBeGreaterThan(1);
    expect(found.error.message).toContain('tickets/tk-broken01.md:4');
    // The rebuild the index is compared with is a scratch file, gone after the check.
    expect(readdirSync(join(dir, '.git', 'tack')).filter((n) => n.includes('-check.db'))).toEqual([]);
    expect(revParse(dir, `refs/tack/claims/${claimed}`)).not.toBeNull(); // nothing changed without --fix

    const before = revParse(dir, 'tack')!;
    const fixed = tackFail(dir, 'doctor', '--fix'); // the broken file and the cycle need a person
    const after = fixed.error.details!.findings as Array<{ check: string; fixed?: boolean }>;
    expect(checks(after, false)).toEqual(['cycle', 'parse']);
    expect(checks(after, true)).toEqual(['dangling', 'duplicate_id', 'index', 'leftover', 'stale_lease']);
    expect(git(dir, 'rev-list', '--count', `${before}..tack`)).toBe('1');
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack').trim()).toBe('doctor');
    expect(git(dir, 'show', 'tack:tickets/tk-aaaa0001.md')).toContain('id: tk-aaaa0001');
    const dang = git(dir, 'show', 'tack:tickets/tk-dang0001.md');
    expect(dang).not.toMatch(/tk-zzzzzzzz|tk-yyyyyyyy|docs\/missing/);
    expect(dang).toContain(good);
    expect(revParse(dir, `refs/tack/claims/${claimed}`)).toBeNull();
    expect(tackJson(dir, 'show', good).title).toBe('Good');

    // once a person fixed the rest, the doctor is happy
    commitToStore(
      dir,
      { 'tickets/tk-broken01.md': file('tk-broken01'), 'tickets/tk-cycb0001.md': file('tk-cycb0001') },
      'fix by hand',
    );
    expect(tackJson(dir, 'doctor').ok).toBe(true);
  });
});

describe('tack doctor on a store large enough to be read through one git process', () => {
  it('finds the same problems, on the same paths and lines, among 300 healthy tickets as alone', () => {
    const dir = store();
    const good = tackJson(dir, 'create', 'Good').id as string;
    const MARKED = `${file('tk-mark0001').replace('title: Ticket tk-mark0001', '<<<<<<< ours\ntitle: A\n=======\ntitle: B\n>>>>>>> theirs')}`;
    commitToStore(
      dir,
      {
        'tickets/tk-broken01.md': BROKEN,
        'tickets/tk-aaaa0001.md': file('tk-bbbb0002'),
        'tickets/tk-dang0001.md': file('tk-dang0001', { parent: 'tk-zzzzzzzz', blocks: ['tk-yyyyyyyy', good] }),
        'tickets/tk-cyca0001.md': file('tk-cyca0001', { blocks: ['tk-cycb0001'] }),
        'tickets/tk-cycb0001.md': file('tk-cycb0001', { blocks: ['tk-cyca0001'] }),
        // The same ticket in both layouts, and one live and archived.
        'tickets/tk-both0001.md': file('tk-both0001'),
        'tickets/bo/tk-both0001.md': file('tk-both0001'),
        'tickets/tk-arch0001.md': file('tk-arch0001'),
        'archive/ar/tk-arch0001.md': file('tk-arch0001', { status: 'done' }),
        'tickets/tk-mark0001.md': MARKED,
        'tickets/zz/tk-stray001.md': file('tk-stray001'),
      },
      'hand edits',
    );
    type Found = { check: string; path?: string; line?: number; id?: string; target?: string };
    const key = (f: Found) => JSON.stringify([f.check, f.path, f.line, f.id, f.target]);
    const findingsOf = () =>
      (tackFail(dir, 'doctor', '--limit', '0').error.details!.findings as Found[]).map(key).sort();
    const alone = findingsOf();
    expect([...new Set(alone.map((k) => JSON.parse(k)[0]))].sort()).toEqual([
      'conflict_markers',
      'cycle',
      'dangling',
      'duplicate_id',
      'layout',
      'parse',
    ]);
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      const id = `tk-fill${String(i).padStart(4, '0')}`;
      many[i % 2 ? `tickets/${id}.md` : `archive/fi/${id}.md`] = file(id, i % 3 ? {} : { assignee: `agent-${i % 7}` });
    }
    commitToStore(dir, many, 'healthy tickets');
    expect(findingsOf()).toEqual(alone);
  });
});

describe('tack doctor on a store with many findings', () => {
  it('lists a page of them, counts them all, says how to get the rest, and --fix repairs them all', () => {
    const dir = store();
    const target = tackJson(dir, 'create', 'Target').id as string;
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++)
      files[`tickets/tk-dang000${i}.md`] = file(`tk-dang000${i}`, { parent: `tk-gone000${i}` });
    // A prefix of one id is a reference to it, not a finding; a prefix of two is.
    files['tickets/tk-pref0001.md'] = file('tk-pref0001', { blocks: [target.slice(0, 8)] });
    files['tickets/tk-pref0002.md'] = file('tk-pref0002', { blocks: ['tk-dang'] });
    // A link to an anchor of a doc that exists is no finding.
    files['docs/guide.md'] = '# Guide\n\n## Usage\n';
    files['tickets/tk-anch0001.md'] = file('tk-anch0001', { links: ['docs/guide.md#usage'] });
    commitToStore(dir, files, 'references by hand');
    type Found = { check: string; target?: string };
    const first = tackFail(dir, 'doctor', '--limit', '4');
    expect(first.error.code).toBe('check_failed');
    const page = first.error.details as { findings: Found[]; findings_total: number; next_offset: number | null };
    expect(page.findings).toHaveLength(4);
    expect(page.findings_total).toBe(6);
    expect(page.next_offset).toBe(4);
    expect(first.error.message).toContain('tack doctor found 6 problems:');
    expect(first.error.message).toContain(
      'showing 1–4 of 6 findings (2 more): next page --offset 4, a bigger page --limit N, all --limit 0',
    );
    const rest = tackFail(dir, 'doctor', '--limit', '4', '--offset', '4').error.details as typeof page;
    expect(rest.findings).toHaveLength(2);
    expect(rest.next_offset).toBeNull();
    const targets = [...page.findings, ...rest.findings].map((f) => f.target).sort();
    expect(targets).toEqual(['tk-dang', 'tk-gone0000', 'tk-gone0001', 'tk-gone0002', 'tk-gone0003', 'tk-gone0004']);
    // A page of the repairs too: the commit repairs every one.
    const fixed = tackJson(dir, 'doctor', '--fix', '--limit', '1');
    expect(fixed.findings).toHaveLength(1);
    expect(fixed.findings_total).toBe(6);
    expect(fixed.message).toContain('showing 1–1 of 6 findings (5 more)');
    expect(tackJson(dir, 'doctor')).toMatchObject({ ok: true, findings: [], findings_total: 0, next_offset: null });
  });
});

describe('tack doctor --fix on an expired claim', () => {
  it('unassigns the started ticket and moves it back to todo in the one repair commit, so ready offers it', () => {
    const dir = store();
    const x = tackJson(dir, 'create', 'X').id;
    const y = tackJson(dir, 'create', 'Y').id;
    tackEnv(dir, { TACK_NOW: '2026-01-01T00:00:00Z', TACK_USER: 'agent-a' }, 'claim', x, '--for', '1h', '--local');
    expect(tackJson(dir, 'show', x)).toMatchObject({ status: 'in-progress', assignee: 'agent-a' });
    const found = tackFail(dir, 'doctor').error.details!.findings as Array<{ check: string; message: string }>;
    expect(found.find((f) => f.check === 'stale_lease')!.message).toContain('assigned to agent-a');
    const before = revParse(dir, 'tack')!;
    const fixed = tackJson(dir, 'doctor', '--fix');
    const f = fixed.findings.find((x: { check: string }) => x.check === 'stale_lease');
    expect(f).toMatchObject({ fixed: true, id: x });
    expect(f.message).toContain('unassigned it and moved it back to todo');
    expect(git(dir, 'rev-list', '--count', `${before}..tack`)).toBe('1');
    expect(git(dir, 'log', '-1', '--format=%s', 'tack')).toBe(`doctor: repair ${x}`);
    expect(revParse(dir, `refs/tack/claims/${x}`)).toBeNull();
    const shown = tackJson(dir, 'show', x);
    expect(shown.status).toBe('todo');
    expect(shown.assignee ?? null).toBeNull();
    expect(
      tackJson(dir, 'ready')
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual([x, y].sort());
    expect(tackJson(dir, 'doctor').ok).toBe(true);
  });
});

describe('tack validate', () => {
  it('a clean history passes; later runs check only new commits', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    tack(dir, 'update', a, '--status', 'in-progress');
    const first = tackJson(dir, 'validate');
    expect(first).toMatchObject({ ok: true, commits: 3 });
    expect(tackJson(dir, 'validate').commits).toBe(0);
    tack(dir, 'comment', a, 'hello');
    expect(tackJson(dir, 'validate').commits).toBe(1);
    expect(tackJson(dir, 'validate', '--all').commits).toBe(4);
    expect(tackJson(dir, 'validate', 'tack~2..tack').commits).toBe(2);
  });

  it('reports unparsable versions and trailers that do not match the change', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const b = tackJson(dir, 'create', 'B').id;
    const broken = plumbCommit(dir, { 'tickets/tk-broken01.md': BROKEN }, 'hand edit');
    const text = `${git(dir, 'show', `tack:tickets/${a}.md`).replace('title: A', 'title: A2')}\n`;
    const forged = plumbCommit(
      dir,
      { [`tickets/${a}.md`]: text },
      `update ${b}: title\n\nTack-Op: update\nTack-Ticket: ${b}`,
    );
    const r = tackFail(dir, 'validate');
    expect(r.error.code).toBe('check_failed');
    const problems = r.error.details!.problems as Array<{
      commit: string;
      kind: string;
      path?: string;
      line?: number;
      message: string;
    }>;
    expect(problems.find((p) => p.kind === 'parse')).toMatchObject({
      commit: broken,
      path: 'tickets/tk-broken01.md',
      line: 4,
    });
    const trailer = problems.filter((p) => p.kind === 'trailer');
    expect(trailer.map((p) => p.commit)).toEqual([forged, forged]);
    expect(trailer.map((p) => p.message).join('\n')).toContain(`changes ticket ${a}`);
    expect(trailer.map((p) => p.message).join('\n')).toContain(`names ticket ${b}`);
    expect(r.error.message).toContain(forged.slice(0, 10));
    // a range before the damage is clean
    expect(tackJson(dir, 'validate', `${broken}~1`).ok).toBe(true);
    // a problem is reported once by default (history cannot change); --all reports it again
    expect(tackJson(dir, 'validate').commits).toBe(0);
    expect(tackFail(dir, 'validate', '--all').error.code).toBe('check_failed');
  });
});

/** A store whose ticket is both archived and live: what a sync merge leaves when another clone edited it as this one archived it. */
function archivedWhileEdited(): { dir: string; id: string } {
  const dir = store();
  const id = tackJson(dir, 'create', 'Raced').id;
  tack(dir, 'close', id);
  const closed = git(dir, 'show', `tack:tickets/${id}.md`);
  tack(dir, 'archive', '--done-before', '2999-01-01');
  commitToStore(
    dir,
    { [`tickets/${id}.md`]: `${closed.replace(/^title: .*$/m, 'title: Edited elsewhere')}\n` },
    'merge: edited while archived',
  );
  return { dir, id };
}

describe('doctor --fix: an archive/comment race', () => {
  it('merges the edit made while archiving into archive/, removes the live copy, and doctor is clean', () => {
    const { dir, id } = archivedWhileEdited();
    const before = tackFail(dir, 'doctor');
    expect(JSON.stringify(before.error.details)).toMatch(/duplicate_id/);
    expect(before.error.message).toMatch(/--fix repairs this/);

    const fixed = tackJson(dir, 'doctor', '--fix');
    expect(fixed.ok).toBe(true);
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets/', 'archive/')).not.toMatch(
      new RegExp(`tickets/${id}`),
    );
    expect(git(dir, 'show', `tack:archive/${id}.md`)).toMatch(/^title: Edited elsewhere$/m);
    const t = tackJson(dir, 'show', id);
    expect(t).toMatchObject({ archived: true, title: 'Edited elsewhere' });
    expect(tackJson(dir, 'doctor').ok).toBe(true);
    expect(tackJson(dir, 'validate', '--all').ok).toBe(true);
  });

  it('a repair computed before another writer changed the file is refused, not committed over the change', async () => {
    const { dir, id } = archivedWhileEdited();
    // Another writer's edit of the archived copy: committed now, published while doctor
    // waits for the writer lock (after it computed its repair from the head before it).
    const before = revParse(dir, 'tack')!;
    const archived = git(dir, 'show', `tack:archive/${id}.md`);
    const edit = plumbCommit(dir, { [`archive/${id}.md`]: `${archived}\nAdded while doctor ran.\n` }, 'comment');
    git(dir, 'update-ref', 'refs/heads/tack', before);
    const lock = join(dir, '.git', 'tack', 'write-refs_heads_tack.lock');
    const writer = await writerMidWrite(lock, { cwd: dir, git: ['update-ref', 'refs/heads/tack', edit, before] });
    const refused = tackFail(dir, 'doctor', '--fix');
    await writer.done;
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.message).toContain(`archive/${id}.md`);
    expect(revParse(dir, 'tack')).toBe(edit); // nothing committed over the edit
    // Run again, the repair keeps the edit.
    expect(tackJson(dir, 'doctor', '--fix').ok).toBe(true);
    expect(git(dir, 'show', `tack:archive/${id}.md`)).toContain('Added while doctor ran.');
    expect(git(dir, 'show', `tack:archive/${id}.md`)).toMatch(/^title: Edited elsewhere$/m);
  });

  it('a hand edit that does not read, uncommitted in a mount, is a problem with its repair (not "no problems found")', () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Mounted').id as string;
    const mount = tackJson(dir, 'mount').mount as string;
    const f = join(mount, 'tickets', `${id}.md`);
    writeFileSync(f, readFileSync(f, 'utf8').replace('title: Mounted', 'title: [broken'));
    const r = tackFail(dir, 'doctor');
    expect(r.error.code).toBe('check_failed');
    expect(r.error.message).toMatch(
      new RegExp(`\\[uncommitted\\] uncommitted edit does not read: tickets/${id}\\.md:\\d+: invalid YAML`),
    );
    expect(r.error.message).toContain(`tack edit ${id}`);
  });

  it('an inline edit read by the index and then reverted is not an index mismatch', () => {
    const r = tempStore({ inline: true });
    track(r.cleanup);
    const id = tackJson(r.dir, 'create', 'One').id as string;
    const f = join(r.dir, '.tack', 'tickets', `${id}.md`);
    const before = readFileSync(f, 'utf8');
    writeFileSync(f, before.replace('title: One', 'title: Two'));
    expect(tackJson(r.dir, 'show', id).title).toBe('Two');
    writeFileSync(f, before);
    const res = tackJson(r.dir, 'doctor');
    expect(res.ok).toBe(true);
    expect(res.findings).toEqual([]);
    expect(res.index).toBe('behind');
  });
});

describe('tack doctor: the tack commands AGENTS.md and CLAUDE.md name', () => {
  it('passes the section setup agents writes, and names each command or flag that does not exist', () => {
    const dir = store();
    tack(dir, 'setup', 'agents');
    expect(tackJson(dir, 'doctor').ok).toBe(true);
    writeFileSync(
      join(dir, 'CLAUDE.md'),
      '# Notes\n\nWhen done, run `tack finish ID`.\n\n```sh\ntack list --mine\ntack ready --for agent --claim\n```\n',
    );
    const e = tackFail(dir, 'doctor').error;
    expect(e.code).toBe('check_failed');
    expect(e.message).toContain('CLAUDE.md:3: [agent_docs] `tack finish` is not a tack command');
    expect(e.message).toContain('CLAUDE.md:6: [agent_docs] `tack list` has no flag --mine');
    expect(e.message).not.toContain('AGENTS.md');
    expect(e.message).not.toContain('ready');
  });
});

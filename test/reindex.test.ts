import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/store.js';
import { rebuildIndex } from '../src/index/rebuildIndex.js';
import { HISTORY_DDL } from '../src/index/ddl.js';
import { indexHistory } from '../src/index/history.js';
import { git, TACK_BIN, tack, tackJson, tackProcess, tackRaw, tempRepo, testEnv } from './helpers.js';
import { commitToStore, tackEnv, ticketText } from './storeFiles.js';
import { dumpIndexFile } from './indexDump.js';
import { openDatabase } from '../src/index/sqlite.js';
import { MMAP_BYTES, openDb } from '../src/index/indexDb.js';
import { refresh } from '../src/index/refresh.js';
import { parseBlob } from '../src/index/ticketRows.js';

let repo: { dir: string; cleanup: () => void };
const ids: string[] = [];
const indexFile = () => join(repo.dir, '.git', 'tack', 'index.db');

const dumpIndex = (file = indexFile()) => dumpIndexFile(file);

/** Every answer a user or agent could get, as text. */
function answers(): Record<string, string> {
  const out: Record<string, string> = {};
  const run = (...args: string[]) => {
    out[args.join(' ')] = tack(repo.dir, ...args, '--json');
  };
  run('list', '--all');
  for (const id of ids) {
    run('show', id);
    run('log', id);
  }
  run('log', '-n', '100');
  run('stats', '--all');
  run('tree', '--all');
  run('tree', '--kind', 'blocks', '--all');
  run('docs');
  run('ready');
  run('blocked');
  run('search', 'parser');
  run('sql', 'SELECT id, short_id, title, status, category, owner, estimate FROM tickets ORDER BY id');
  run('list', '--all', '--owner', 'bob');
  run('sql', 'SELECT ticket, field, old, new FROM history ORDER BY ticket, time, field, old, new');
  out.recent = tackEnv(repo.dir, { TACK_NOW: '2026-03-01T00:00:00Z' }, 'recent', '-n', '100', '--json');
  out.stale = tackEnv(repo.dir, { TACK_NOW: '2026-03-01T00:00:00Z' }, 'stale', '--json');
  return out;
}

beforeAll(() => {
  repo = tempRepo();
  const at = (d: string) => ({ TACK_NOW: `2026-01-${d}T09:00:00Z` });
  tackEnv(repo.dir, at('01'), 'init');
  const make = (d: string, ...args: string[]) => {
    const id = JSON.parse(tackEnv(repo.dir, at(d), 'create', ...args, '--json')).id as string;
    ids.push(id);
    return id;
  };
  const epic = make('02', 'Parser epic', '-t', 'epic', '-l', 'parser');
  const a = make('03', 'Tokenizer', '--parent', epic, '-l', 'parser', '-l', 'lexer', '-a', 'alice');
  const b = make(
    '04',
    'Grammar',
    '--parent',
    epic,
    '--blocks',
    a,
    '--link',
    'docs/spec.md',
    '-d',
    `See +${a} and #grammar.`,
  );
  make('05', 'Unrelated', '-p', 'urgent');
  tackEnv(repo.dir, at('06'), 'docs', 'add', 'spec.md', '--text', '# Spec\n\nThe parser.\n');
  tackEnv(repo.dir, at('07'), 'comment', a, 'Working on #tokens, see [[docs/spec.md]]');
  tackEnv(repo.dir, at('08'), 'update', a, '-s', 'in-progress');
  tackEnv(repo.dir, at('09'), 'close', b, '-r', 'done');
  // by hand: a schema change (a custom field), a broken file, a ticket with an unknown status
  const schema = git(repo.dir, 'show', 'tack:schema.yaml').replace(
    /^fields:.*\n/m,
    'fields:\n  estimate: { type: number }\n',
  );
  commitToStore(
    repo.dir,
    {
      'schema.yaml': `${schema}\n`,
      'tickets/tk-broken01.md': '---\nid: tk-broken01\ntitle: [unclosed\n---\n',
      'tickets/tk-oddstat1.md': ticketText({
        id: 'tk-oddstat1',
        title: 'Odd status',
        status: 'someday',
        created: '2026-01-10T00:00:00Z',
        updated: '2026-01-10T00:00:00Z',
      }),
    },
    'hand edits',
  );
  ids.push('tk-oddstat1');
  tackEnv(repo.dir, at('11'), 'update', a, '--field', 'estimate=3');
  tackEnv(repo.dir, at('12'), 'label', 'add', epic, 'v1');
  tackEnv(repo.dir, at('13'), 'update', a, '--owner', 'bob');
});
afterAll(() => repo.cleanup());

describe('tack reindex', () => {
  it('rebuilds the index from git and reports what it holds', () => {
    const before = { answers: answers(), index: dumpIndex() };
    const r = tackJson(repo.dir, 'reindex');
    expect(r).toMatchObject({
      path: indexFile(),
      commit: git(repo.dir, 'rev-parse', 'tack'),
      tickets: 5,
      docs: 1,
      commits: Number(git(repo.dir, 'rev-list', '--count', 'tack')),
      problems: 2,
    });
    expect(r.history).toBe((before.index.history as unknown[]).length);
    expect(r.history).toBeGreaterThan(20);
    expect(r.elapsed_ms).toBeGreaterThanOrEqual(0);
    expect(tack(repo.dir, 'reindex')).toMatch(
      /^reindexed 5 tickets, 1 docs, \d+ commits, \d+ history rows, 2 problems in \d+ ms\n$/,
    );
    const after = { answers: answers(), index: dumpIndex() };
    expect(after.index).toEqual(before.index);
    expect(after.answers).toEqual(before.answers);
  });

  it('keeps no parsed copy of committed versions: the blob cache stays empty in a branch store', () => {
    tackJson(repo.dir, 'reindex');
    answers(); // log, show and the rest read history without filling it
    const db = openDatabase(indexFile(), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM blob_cache').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("keeps the history tables' names and columns (views over compact rows)", () => {
    const cols = (table: string) =>
      Object.keys((tackJson(repo.dir, 'sql', `SELECT * FROM ${table} LIMIT 1`) as object[])[0]);
    expect(cols('history')).toEqual(['commit_sha', 'time', 'author', 'ticket', 'field', 'old', 'new']);
    expect(cols('commit_tickets')).toEqual(['commit_sha', 'ticket']);
    expect(cols('file_versions')).toEqual(['commit_sha', 'path', 'blob', 'status']);
    expect(cols('commit_trailers')).toEqual(['commit_sha', 'key', 'value']);
    // The time and author of a row are its commit's, as when they were stored on the row.
    const odd = tackJson(
      repo.dir,
      'sql',
      'SELECT count(*) AS n FROM history h JOIN commits c ON c.sha = h.commit_sha WHERE h.time IS NOT c.author_time OR h.author IS NOT c.author_name',
    ) as Array<{ n: number }>;
    expect(odd[0].n).toBe(0);
    // `show` lists a ticket's changes oldest first, each commit's in the order the diff made them.
    const shown = tackJson(repo.dir, 'show', ids[1]) as { history: Array<{ field: string }> };
    expect(shown.history.map((h) => h.field).slice(0, 3)).toEqual(['title', 'type', 'status']);
  });

  it('gives the same answers after the index file is deleted', () => {
    // The full-text index reads its text back from the tickets and comments (no copy of its
    // own): FTS5 checks that every token it holds is in that text, after incremental updates.
    const db = openDatabase(indexFile());
    db.exec("INSERT INTO tickets_fts(tickets_fts, rank) VALUES('integrity-check', 1)");
    db.close();
    const before = { answers: answers(), index: dumpIndex() };
    for (const s of ['', '-wal', '-shm']) rmSync(indexFile() + s, { force: true });
    const after = { answers: answers(), index: dumpIndex() };
    expect(after.index).toEqual(before.index);
    expect(after.answers).toEqual(before.answers);
  });

  it('recovers from an index file that is not a database', () => {
    for (const s of ['', '-wal', '-shm']) rmSync(indexFile() + s, { force: true });
    writeFileSync(indexFile(), 'this is not sqlite'.repeat(100));
    const r = tackJson(repo.dir, 'reindex');
    expect(r.tickets).toBe(5);
    expect(existsSync(indexFile())).toBe(true);
    expect(tackJson(repo.dir, 'list', '--all')).toHaveLength(5);
  });

  it('reports progress through the callback while rebuilding', () => {
    const calls: Array<[number, number, string]> = [];
    const report = rebuildIndex(openStore(repo.dir), (done, total, label) => calls.push([done, total, label]));
    expect(report.tickets).toBe(5);
    const labels = new Set(calls.map((c) => c[2]));
    expect(labels).toEqual(new Set(['indexing history', 'indexing tickets']));
    const history = calls.filter((c) => c[2] === 'indexing history');
    expect(history[history.length - 1]).toEqual([report.commits, report.commits, 'indexing history']);
    for (const [done, total] of calls) expect(done).toBeLessThanOrEqual(total);
    // Tickets count up over the whole tree, never back: one line a terminal can follow.
    const tickets = calls.filter((c) => c[2] === 'indexing tickets');
    expect(tickets.map((c) => c[0])).toEqual(tickets.map((c) => c[0]).sort((a, b) => a - b));
    const [done, total] = tickets.at(-1)!;
    expect(done).toBe(total); // every ticket file of the tree, archived ones included
  });

  it('builds in full without a memory map of the index, and maps it again after (leanBuild.ts)', () => {
    for (const s of ['', '-wal', '-shm']) rmSync(indexFile() + s, { force: true });
    const db = openDb(indexFile());
    try {
      const mmap = () => Number(db.pragma('mmap_size', { simple: true }));
      const seen = new Set<number>();
      refresh({ store: openStore(repo.dir), db, path: indexFile(), commit: null }, () => seen.add(mmap()));
      expect(seen).toEqual(new Set([0]));
      expect(mmap()).toBe(MMAP_BYTES);
      expect(Number(db.prepare<{ n: number }>('SELECT count(*) AS n FROM tickets').get()!.n)).toBe(5);
    } finally {
      db.close();
    }
  });

  it('leaves no WAL the size of the index after a full build, by a command or by reindex', () => {
    const wal = () => (existsSync(`${indexFile()}-wal`) ? statSync(`${indexFile()}-wal`).size : 0);
    for (const s of ['', '-wal', '-shm']) rmSync(indexFile() + s, { force: true });
    // Processes of their own: a command exits with the index open, as a user's does.
    const run = (...args: string[]) => expect(tackProcess(repo.dir, args).status).toBe(0);
    run('list');
    expect(existsSync(indexFile())).toBe(true);
    expect(wal()).toBe(0);
    run('reindex');
    expect(wal()).toBe(0);
  });

  it('works in inline mode too', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init', '--inline');
      tack(r.dir, 'create', 'Inline ticket', '-l', 'x');
      writeFileSync(
        join(r.dir, '.tack', 'tickets', 'tk-handmade.md'),
        ticketText({ id: 'tk-handmade', title: 'Uncommitted', status: 'todo' }),
      );
      const list = tack(r.dir, 'list', '--json');
      const out = tackJson(r.dir, 'reindex');
      expect(out).toMatchObject({ tickets: 2, path: join(r.dir, '.git', 'tack', 'inline-index.db') });
      expect(tack(r.dir, 'list', '--json')).toBe(list);
      expect(tackRaw(r.dir, ['show', 'tk-handmade', '--json']).stdout).toContain('"dirty": true');
    } finally {
      r.cleanup();
    }
  });
});

/** A beads export of `n` issues (titled by `title`) imported into the store: one commit of `n` files. */
function importIssues(dir: string, n: number, title: (i: number) => string): void {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `bd-${i}`, title: title(i), description: `Issue ${i}.`, status: 'open', priority: 2 }),
  );
  writeFileSync(join(dir, 'issues.jsonl'), `${lines.join('\n')}\n`);
  tackJson(dir, 'import', 'beads', 'issues.jsonl');
}

describe('a history of more ticket versions than one batch', () => {
  it('is indexed from one git read (BlobFile) into the same index as built write by write', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      // 300 issues: one commit of 300 files (a pack of its own), then all 300 changed in one commit.
      importIssues(r.dir, 300, (i) => `issue ${i}`);
      const some = (tackJson(r.dir, 'list', '--limit', '3') as Array<{ id: string }>).map((t) => t.id);
      tack(r.dir, 'update', some[0], '-s', 'in-progress');
      // A version over the size limit (8 MiB) is never read: a problem, in both builds alike.
      commitToStore(
        r.dir,
        { [`tickets/${some[1]}.md`]: `---\ntitle: huge\n---\n${'x'.repeat(9 * 1024 * 1024)}\n` },
        'huge',
      );
      importIssues(r.dir, 300, (i) => `issue ${i}, renamed`);
      // The version from the first import is needed again here, long after its batch.
      tack(r.dir, 'comment', some[2], 'still open');
      tack(r.dir, 'list');
      const file = join(r.dir, '.git', 'tack', 'index.db');
      const before = dumpIndex(file);
      expect((before.history as unknown[]).length).toBeGreaterThan(600);
      expect(before.problems).toEqual([expect.objectContaining({ path: `tickets/${some[1]}.md` })]);
      const report = rebuildIndex(openStore(r.dir));
      expect(report.tickets).toBe(300);
      expect(dumpIndex(file)).toEqual(before);
      // The command itself, as a process: it says nothing on stderr (Node warns, for one, when
      // a thread closes a file another opened) and leaves no temporary file behind.
      const tmp = () => readdirSync(tmpdir()).filter((f) => f.startsWith('tack-blobs-')).length;
      const temps = tmp();
      const p = spawnSync(process.execPath, [TACK_BIN, 'reindex', '--json'], {
        cwd: r.dir,
        env: testEnv(),
        encoding: 'utf8',
      });
      expect({ status: p.status, stderr: p.stderr }).toEqual({ status: 0, stderr: '' });
      expect(tmp()).toBe(temps);
      expect(dumpIndex(file)).toEqual(before);
    } finally {
      r.cleanup();
    }
  });
});

describe('a full build of the current tree', () => {
  it('writes every current file, whichever version history met it as: copies, docs, stray files', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      importIssues(r.dir, 5, (i) => `issue ${i}`);
      const [a, b] = (tackJson(r.dir, 'list', '--all') as Array<{ id: string }>).map((t) => t.id);
      const at = (id: string) =>
        git(r.dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets')
          .split('\n')
          .find((f) => f.includes(id))!;
      const bytes = (id: string) => `${git(r.dir, 'show', `tack:${at(id)}`)}\n`;
      // The same bytes at a second path (an archived copy, the other layout), a doc, a stray file.
      commitToStore(
        r.dir,
        {
          [`archive/${a}.md`]: bytes(a),
          [`tickets/zz/${b}.md`]: bytes(b),
          // Twins in one commit: history meets their one version under one of the two paths.
          'tickets/tk-twin.md': ticketText({ id: 'tk-twin', title: 'Twin', status: 'todo' }),
          'archive/tk-twin.md': ticketText({ id: 'tk-twin', title: 'Twin', status: 'todo' }),
          'docs/spec.md': '# Spec\n\nText.\n',
          'tickets/notes.txt': 'not a ticket\n',
        },
        'copies',
      );
      tack(r.dir, 'update', a, '-s', 'in-progress'); // the live copy moves on; the archived one stays
      tack(r.dir, 'list');
      const file = join(r.dir, '.git', 'tack', 'index.db');
      const before = dumpIndex(file);
      // The copy in the other layout is a problem; the archived copy is shadowed by the live ticket.
      expect((before.problems as Array<{ path: string }>).map((p) => p.path)).toEqual([`tickets/zz/${b}.md`]);
      expect((before.tree_files as unknown[]).length).toBeGreaterThan(8);
      const calls: Array<[number, number]> = [];
      rebuildIndex(openStore(r.dir), (done, total, label) => {
        if (label === 'indexing tickets') calls.push([done, total]);
      });
      expect(dumpIndex(file)).toEqual(before);
      // The twin written by the closing pass counts on over the tree, not as a whole of its own.
      expect(calls.map(([done]) => done)).toEqual(calls.map(([done]) => done).sort((a, b) => a - b));
      expect(new Set(calls.map(([, total]) => total)).size).toBe(1);
    } finally {
      r.cleanup();
    }
  });
});

describe('history batches', () => {
  it('indexes a commit of many files in parts as it indexes it whole: a ticket moved is one change, whichever parts its halves fall in', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      importIssues(r.dir, 24, (i) => `issue ${i}`);
      const files = git(r.dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets')
        .split('\n')
        .filter((f) => f.endsWith('.md'));
      const text = (path: string) => git(r.dir, 'show', `tack:${path}`);
      const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
      // One commit: six tickets archived (as they are, and edited), four edited, two removed, three new.
      const change: Record<string, string | null> = {};
      for (const f of files.slice(0, 3)) Object.assign(change, { [f]: null, [`archive/${name(f)}`]: `${text(f)}\n` });
      for (const f of files.slice(3, 6))
        Object.assign(change, { [f]: null, [`archive/${name(f)}`]: text(f).replace(/title: .*/, 'title: archived') });
      for (const f of files.slice(6, 10)) change[f] = text(f).replace(/status: .*/, 'status: in-progress');
      for (const f of files.slice(10, 12)) change[f] = null;
      for (const id of ['tk-new1', 'tk-new2', 'tk-new3'])
        change[`tickets/${id}.md`] = ticketText({ id, title: `new ${id}`, status: 'todo' });
      commitToStore(r.dir, change, 'many');
      const store = openStore(r.dir);
      const parse = (shas: string[], paths: Map<string, string>) =>
        new Map(
          shas.map((sha) => [sha, parseBlob(Buffer.from(git(r.dir, 'cat-file', 'blob', sha)), paths.get(sha) ?? sha)]),
        );
      const tables = (partChanges: number) => {
        const db = openDatabase(':memory:');
        db.exec(HISTORY_DDL);
        const progress: Array<[number, number]> = [];
        const deps = { parseBlobs: parse, progress: (done: number, total: number) => progress.push([done, total]) };
        const { commits } = indexHistory(db, store, 'tack', deps, partChanges);
        // Counted in commits, whatever the parts: never past the total, ending on it.
        for (const [done, total] of progress) expect(done).toBeLessThanOrEqual(total);
        expect(progress.at(-1)).toEqual([commits, commits]);
        const all = (sql: string) => db.prepare(sql).all();
        const out = {
          commits: all('SELECT sha, seq, subject FROM commits ORDER BY seq'),
          history: all('SELECT ticket, seq, n, field, old, new FROM history_rows ORDER BY ticket, seq, n'),
          tickets: all('SELECT seq, ticket FROM commit_ticket_rows ORDER BY seq, ticket'),
          versions: all('SELECT seq, path, blob, status FROM file_version_rows ORDER BY seq, path'),
          trailers: all('SELECT seq, key, value FROM commit_trailer_rows ORDER BY seq, key, value'),
        };
        db.close();
        return out;
      };
      const whole = tables(Number.POSITIVE_INFINITY);
      const moved = files.slice(0, 6).map((f) => name(f).replace(/\.md$/, ''));
      const last = (whole.commits.at(-1) as { seq: number }).seq;
      const fieldsOf = (id: string) =>
        (whole.history as Array<{ ticket: string; seq: number; field: string }>)
          .filter((h) => h.ticket === id && h.seq === last)
          .map((h) => h.field);
      expect(fieldsOf(moved[0])).toEqual(['archived']);
      expect(fieldsOf(moved[3])).toEqual(['title', 'archived']);
      for (const partChanges of [1, 2, 3, 7]) expect(tables(partChanges)).toEqual(whole);
    } finally {
      r.cleanup();
    }
  });

  it('asks for at most 64 versions at a time when their sizes are not known (fewer than 256 in all)', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      importIssues(r.dir, 150, (i) => `issue ${i}`);
      const db = openDatabase(':memory:');
      db.exec(HISTORY_DDL);
      const asked: number[] = [];
      indexHistory(db, openStore(r.dir), 'tack', {
        parseBlobs: (shas) => {
          asked.push(shas.length);
          return new Map();
        },
      });
      db.close();
      expect(asked.reduce((a, b) => a + b, 0)).toBe(150);
      expect(Math.max(...asked)).toBeLessThanOrEqual(64);
    } finally {
      r.cleanup();
    }
  });
});

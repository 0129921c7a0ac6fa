import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  blockedTickets,
  countBlocked,
  countReady,
  countTickets,
  listTickets,
  readyTickets,
} from '../src/index/queries.js';
import { countSearch, searchTickets } from '../src/index/search.js';
import { recentActivity } from '../src/index/historyQueries.js';
import { ticketTree } from '../src/index/treeQuery.js';
import { openDatabase, type Database } from '../src/index/sqlite.js';
import { resolvePrefixes } from '../src/index/applyChanges.js';
import { git, tack, tackJson, tempStore, trackCleanups } from './helpers.js';
import { commitToStore } from './storeFiles.js';

const cleanup = trackCleanups();

/** A fresh store for one test, a way to create its tickets, and its index opened read-only (all closed after). */
function freshStore() {
  const s = tempStore();
  cleanup(s.cleanup);
  return {
    dir: s.dir,
    id: (title: string, ...more: string[]) => tackJson(s.dir, 'create', title, ...more, '--json').id as string,
    index: (): Database => {
      const db = openDatabase(join(s.dir, '.git', 'tack', 'index.db'), { readonly: true });
      cleanup(() => db.close());
      return db;
    },
  };
}

/** The plan SQLite chooses for each statement a query function prepares on the real index (those naming `naming`). */
function plans(db: Database, run: (db: Database) => unknown, naming?: string): string[] {
  const seen: string[] = [];
  const spy = new Proxy(db, {
    get: (t, k) =>
      k === 'prepare'
        ? (sql: string) => {
            seen.push(sql);
            return t.prepare(sql);
          }
        : Reflect.get(t, k),
  });
  run(spy);
  return seen
    .filter((sql) => naming === undefined || sql.includes(naming))
    .map((sql) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' / '),
    );
}

describe('query plans of the index', () => {
  it('counts open tickets from the small covering index, and lists and searches without it', () => {
    const s = freshStore();
    for (const t of ['parser one', 'parser two', 'lexer three']) tack(s.dir, 'create', t);
    tack(s.dir, 'close', tack(s.dir, 'list', '--json').match(/"id": "([^"]+)"/)![1]);
    const db = s.index();
    expect(countTickets(db)).toBe(2);
    expect(plans(db, (d) => countTickets(d))).toEqual(['SCAN t USING COVERING INDEX tickets_open']);
    for (const p of plans(db, (d) => listTickets(d, { limit: 50 }))) expect(p).not.toContain('tickets_open');
    expect(plans(db, (d) => listTickets(d, { limit: 50 })).join()).toContain('tickets_order');
    for (const p of plans(db, (d) => readyTickets(d, { limit: 20 }))) expect(p).not.toContain('tickets_open');
    // A category is found through the same index (there is none on the bare column).
    expect(countTickets(db, { category: ['completed'] })).toBe(1);
    expect(listTickets(db, { category: ['completed'], limit: 50 }).map((t) => t.category)).toEqual(['completed']);
    expect(listTickets(db, { category: [''], limit: 50 })).toEqual([]);
    expect(plans(db, (d) => countTickets(d, { category: ['completed'] })).join()).toContain(
      'USING COVERING INDEX tickets_open',
    );
    // Search ranks from the full-text index alone: archived tickets are left out by a rowid
    // list built once from tickets_open, never by reading each hit's row; the page's rows
    // are read by rowid after.
    const search = plans(db, (d) => searchTickets(d, 'parser', { limit: 20 }));
    const ranked = search.find((p) => p.startsWith('SCAN tickets_fts'));
    const rest = search.filter((p) => p !== ranked);
    expect(ranked).toMatch(
      /^SCAN tickets_fts VIRTUAL TABLE .*LIST SUBQUERY .*SCAN tickets USING COVERING INDEX tickets_open/,
    );
    expect(ranked).not.toMatch(/SEARCH t USING INTEGER PRIMARY KEY/);
    expect(rest.join()).toContain('SEARCH t USING INTEGER PRIMARY KEY (rowid=?)');
    expect(
      searchTickets(db, 'parser', { limit: 20 })
        .map((t) => t.title)
        .sort(),
    ).toEqual(['parser one', 'parser two']);
    const counted = plans(db, (d) => countSearch(d, 'parser'));
    expect(counted.join()).not.toMatch(/SEARCH t USING INTEGER PRIMARY KEY/);
    // Ready's count reads what it tests of each ticket from the covering tickets_assignee.
    const now = '2026-01-01T00:00:00Z';
    const ready = plans(db, (d) => countReady(d, { me: 'ann', claims: { me: 'ann', now } }));
    expect(ready.join('\n')).toMatch(/^SCAN t USING COVERING INDEX tickets_assignee/m);
    expect(ready.join()).not.toMatch(/SCAN t( \/|$)/);
    expect(countReady(db, { me: 'ann', claims: { me: 'ann', now } })).toBe(2);
  });

  it('finds blocked tickets from the blocks edges, not by reading every ticket', () => {
    const s = freshStore();
    const id = s.id;
    const blocked = id('blocked one');
    id('free one');
    const done = id('blocked by a closed one');
    id('open blocker', '--blocks', blocked);
    const closed = id('closed blocker', '--blocks', done);
    tack(s.dir, 'close', closed);
    const db = s.index();
    expect(blockedTickets(db).map((t) => t.title)).toEqual(['blocked one']);
    expect(countBlocked(db)).toBe(1);
    const found = [...plans(db, (d) => blockedTickets(d, 20)), ...plans(db, (d) => countBlocked(d))].filter(
      (p) => p.startsWith('SEARCH t ') || p.startsWith('SCAN t '),
    );
    expect(found).toHaveLength(2);
    for (const p of found)
      expect(p).toMatch(/^SEARCH t USING (COVERING )?INDEX sqlite_autoindex_tickets_1 \(id=\?\) \/ LIST SUBQUERY/);
  });

  it('resolves references written as id prefixes in the ids index, never reading every ticket', () => {
    const s = freshStore();
    const a = s.id('points nowhere');
    s.id('another');
    const text = git(s.dir, 'show', `tack:tickets/${a}.md`).replace(/^created:/m, 'parent: zz-nothere\ncreated:');
    commitToStore(s.dir, { [`tickets/${a}.md`]: `${text}\n` }, 'a parent that is no ticket');
    tack(s.dir, 'list');
    // Writable: the plans are of the statements resolvePrefixes runs (a dangling parent stays dangling).
    const db = openDatabase(join(s.dir, '.git', 'tack', 'index.db'));
    cleanup(() => db.close());
    const updates = plans(db, (d) => resolvePrefixes(d), 'UPDATE');
    expect(updates).toHaveLength(3);
    for (const p of updates) {
      expect(p).not.toMatch(/SCAN (u|u2|f)( |$)/);
      expect(p).toMatch(/SEARCH u USING COVERING INDEX sqlite_autoindex_tickets_1 \(id>\? AND id<\?\)/);
      expect(p).toMatch(/SEARCH u2 USING COVERING INDEX sqlite_autoindex_tickets_1 \(id>\? AND id<\?\)/);
    }
  });

  it("walks only the agents' work for ready --for agent, in ready's order", () => {
    const s = freshStore();
    const id = s.id;
    id('for people');
    const low = id('agent low', '--audience', 'agent', '-p', 'low');
    const high = id('agent high', '--audience', 'agent', '-p', 'high');
    const db = s.index();
    const f = { audience: 'agent' as const, limit: 20 };
    expect(readyTickets(db, f).map((t) => t.id)).toEqual([high, low]);
    expect(countReady(db, f)).toBe(2);
    const walk = plans(db, (d) => readyTickets(d, f)).find((p) => p.startsWith('SCAN t '));
    expect(walk).toMatch(/^SCAN t USING INDEX tickets_for_agents/);
    expect(readyTickets(db, { audience: 'human', limit: 20 }).map((t) => t.title)).toEqual(['for people']);
  });

  it("reads a commit's files through the commit, not every file's versions (recent)", () => {
    const s = freshStore();
    const a = tackJson(s.dir, 'create', 'first', '--json').id as string;
    tack(s.dir, 'update', a, '--title', 'first, renamed');
    const db = s.index();
    const commits = recentActivity(db, { limit: 5 });
    expect(commits[1].tickets.map((t) => [t.id, t.fields])).toEqual([[a, ['created']]]);
    expect(commits[0].tickets.map((t) => [t.id, t.fields])).toEqual([[a, ['title']]]);
    const files = plans(db, (d) => recentActivity(d, { limit: 5 }), 'file_versions');
    expect(files).toHaveLength(2); // the tickets a commit added or deleted, and its docs
    for (const p of files) expect(p).toMatch(/SEARCH r USING (COVERING )?INDEX file_version_rows_seq \(seq=\?/);
  });

  it("draws the forest's shape from the covering order index, and reads the rows drawn only", () => {
    const s = freshStore();
    // Priorities order the roots (tickets made within one second would otherwise go by id).
    const epic = tackJson(s.dir, 'create', 'epic', '-p', 'high', '--json').id as string;
    const child = tackJson(s.dir, 'create', 'child', '--parent', epic, '--json').id as string;
    tackJson(s.dir, 'create', 'loose', '-p', 'low', '--json');
    const db = s.index();
    const [shape, drawn] = plans(db, (d) => ticketTree(d, { kind: 'both', limit: 1 }), 't.parent FROM tickets t');
    expect(shape).toBe('SCAN t USING COVERING INDEX tickets_order');
    expect(drawn).toMatch(
      /^SEARCH t USING INDEX sqlite_autoindex_tickets_1 \(id=\?\) \/ LIST SUBQUERY 1 \/ SCAN json_each/,
    );
    const tree = ticketTree(db, { kind: 'both', limit: 2 });
    expect(tree.roots.map((r) => [r.id, r.title, r.children.map((c) => c.title)])).toEqual([[epic, 'epic', ['child']]]);
    expect([tree.count, tree.total]).toEqual([2, 3]);
    expect(tree.roots[0].children[0].id).toBe(child);
  });
});

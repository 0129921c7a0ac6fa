import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { git, revParse, tackImport, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { TACK_BIN } from './storeTemplates.js';

/*
 * An import of many records: its files are packed as they are planned (never all in
 * memory), its source file is read a record at a time, and its answer names the first
 * hundred records. The same import must write what a small one writes, file by file.
 */

const track = trackCleanups();
const side = mkdtempSync(join(tmpdir(), 'tack-large-import-'));
afterAll(() => rmSync(side, { recursive: true, force: true }));
const NOW = { TACK_NOW: '2026-03-01T10:00:00Z' };

function store(inline = false): string {
  const s = tempStore({ inline });
  track(s.cleanup);
  return s.dir;
}

function file(name: string, lines: object[]): string {
  const p = join(side, name);
  writeFileSync(p, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return p;
}

const importAt = (dir: string, kind: string, path: string) => {
  const r = tackRaw(dir, ['import', kind, path, '--json'], NOW);
  return { ...r, json: r.status === 0 ? JSON.parse(r.stdout) : JSON.parse(r.stderr || r.stdout || '{}') };
};

/** 300 of Tack's own exported tickets (ids kept), each a child of the one 50 before it. */
const exported = Array.from({ length: 300 }, (_, i) => ({
  id: `tk-${String(i).padStart(4, '0')}zzzz`,
  title: `Ticket ${i}: ünïcode ✓`,
  type: 'task',
  status: i % 3 ? 'todo' : 'done',
  priority: 'medium',
  labels: [`l${i % 7}`],
  ...(i >= 50 ? { parent: `tk-${String(i - 50).padStart(4, '0')}zzzz` } : {}),
  description: `Body of ${i}\n\n- [ ] item`,
}));

describe('an import of many records', () => {
  it('writes, packed as planned, the very blobs an import written file by file writes', () => {
    const source = file('exported.jsonl', exported);
    const branch = store();
    const inline = store(true);
    const a = importAt(branch, 'jsonl', source);
    const b = importAt(inline, 'jsonl', source);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    // "<blob id> <file name>" of every ticket file below `tree` (the folders differ by layout prefix only).
    const blobs = (dir: string, tree: string) =>
      git(dir, 'ls-tree', '-r', '--format=%(objectname) %(path)', tree)
        .split('\n')
        .map((l) => l.replace(/ .*\//, ' '))
        .filter((l) => / tk-/.test(l))
        .sort();
    const packed = blobs(branch, 'tack:tickets');
    expect(packed).toHaveLength(300);
    expect(blobs(inline, 'HEAD:.tack/tickets')).toEqual(packed);
    // The 300 files went into a pack (the few loose objects are trees, the commit, the
    // schema), and git accepts the repository as it is.
    const counts = git(branch, 'count-objects', '-v');
    expect(Number(/^in-pack: (\d+)$/m.exec(counts)?.[1])).toBeGreaterThanOrEqual(300);
    expect(Number(/^count: (\d+)$/m.exec(counts)?.[1])).toBeLessThan(50);
    expect(git(branch, 'fsck', '--strict', '--no-dangling')).toBe('');
    expect(tackJson(branch, 'sql', 'SELECT count(*) AS n FROM tickets WHERE parent IS NOT NULL')).toEqual([{ n: 250 }]);
  });

  it('answers with the first 100 records and how many it left out, all of them counted', () => {
    const dir = store();
    const res = tackImport(dir, 'jsonl', file('answer.jsonl', exported));
    expect(res).toMatchObject({ total: 300, created: 300, tickets_omitted: 200 });
    expect(res.tickets).toHaveLength(100);
    expect(res.tickets[99]).toEqual({ key: 'tk-0099zzzz', id: 'tk-0099zzzz', action: 'create' });
    expect(tackImport(dir, 'jsonl', file('answer.jsonl', exported))).toMatchObject({
      unchanged: 300,
      tickets_omitted: 200,
      commit: null,
    });
  });

  it('refuses a cycle the records make, among themselves or with tickets already there, and writes nothing', () => {
    const beads = (id: string, deps: Array<[string, string]>) => ({
      id,
      title: id,
      status: 'open',
      dependencies: deps.map(([to, type]) => ({ issue_id: id, depends_on_id: to, type })),
    });
    const many = Array.from({ length: 280 }, (_, i) => beads(`bd-${i}`, i ? [[`bd-${i - 1}`, 'parent-child']] : []));
    const dir = store();
    const before = revParse(dir, 'tack');
    for (const [name, extra, kind] of [
      [
        'parents.jsonl',
        [beads('bd-x', [['bd-y', 'parent-child']]), beads('bd-y', [['bd-x', 'parent-child']])],
        'parent',
      ],
      ['blocks.jsonl', [beads('bd-x', [['bd-y', 'blocks']]), beads('bd-y', [['bd-x', 'blocks']])], 'blocks'],
      [
        'long.jsonl',
        [{ ...many[0], dependencies: [{ issue_id: 'bd-0', depends_on_id: 'bd-279', type: 'parent-child' }] }],
        'parent',
      ],
    ] as const) {
      const lines = name === 'long.jsonl' ? [extra[0], ...many.slice(1)] : [...many, ...extra];
      const r = importAt(dir, 'beads', file(name, lines));
      expect(r.status, name).not.toBe(0);
      expect(r.json.error).toMatchObject({ code: 'cycle', details: { kind } });
      expect(revParse(dir, 'tack')).toBe(before);
    }
    // Imported once, then a re-import that closes a loop through a ticket the store has.
    expect(importAt(dir, 'beads', file('chain.jsonl', many)).status).toBe(0);
    const head = revParse(dir, 'tack');
    const back = [{ ...many[0], dependencies: [{ issue_id: 'bd-0', depends_on_id: 'bd-279', type: 'parent-child' }] }];
    const r = importAt(dir, 'beads', file('back.jsonl', back));
    expect(r.json.error).toMatchObject({ code: 'cycle', details: { kind: 'parent' } });
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('reads a source it can read only once (a pipe) whole, as before', () => {
    const dir = store();
    const source = file('piped.jsonl', [{ id: 'bd-p1', title: 'From a pipe', status: 'open' }]);
    const res = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${TACK_BIN}" import beads <(cat "$1") --json`, 'x', source],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ created: 1 });
    expect(tackJson(dir, 'show', 'bd-p1').title).toBe('From a pipe');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, revParse, tack, tackImport, tackJson, tempStore } from './helpers.js';

/*
 * Items a previous import brought in that are gone from the source: listed on re-import, and
 * closed (never removed) only with --close-missing, since an export cannot prove it is whole.
 */

const issue = (id: string, title: string, status = 'open') =>
  JSON.stringify({
    id,
    title,
    status,
    priority: 2,
    issue_type: 'task',
    owner: 'ann@example.com',
    created_at: '2026-01-02T03:04:05Z',
    updated_at: '2026-01-02T03:04:05Z',
  });

describe('tack import: deletions in the source', () => {
  let s = { dir: '', cleanup: () => {} };
  let side = '';
  let file = '';
  let mine = '';
  beforeAll(() => {
    s = tempStore();
    side = mkdtempSync(join(tmpdir(), 'tack-gone-'));
    file = join(side, 'issues.jsonl');
    writeFileSync(
      file,
      `${[issue('bd-1', 'one'), issue('bd-2', 'two'), issue('bd-3', 'three', 'closed')].join('\n')}\n`,
    );
    tackImport(s.dir, 'beads', file);
    mine = tackJson(s.dir, 'create', 'made by hand').id;
  });
  afterAll(() => {
    s.cleanup();
    rmSync(side, { recursive: true, force: true });
  });

  it('without --close-missing, lists the missing tickets and changes nothing', () => {
    writeFileSync(file, `${issue('bd-1', 'one')}\n`);
    const head = revParse(s.dir, 'tack');
    // bd-3 was already closed in beads: nothing to say about it.
    expect(tackImport(s.dir, 'beads', file)).toMatchObject({
      missing: 1,
      missing_tickets: [{ key: 'bd-2' }],
      closed: 0,
      closed_tickets: [],
      commit: null,
    });
    expect(revParse(s.dir, 'tack')).toBe(head);
    expect(tackJson(s.dir, 'show', 'bd-2')).toMatchObject({ status: 'todo' });
    expect(tack(s.dir, 'import', 'beads', file)).toContain('1 ticket from an earlier import is not in this source');
  });

  it('a dry run reports the tickets it would close and writes nothing', () => {
    const head = revParse(s.dir, 'tack');
    const plan = tackImport(s.dir, 'beads', file, '--dry-run', '--close-missing');
    expect(plan).toMatchObject({ dry_run: true, closed: 1, closed_tickets: [{ key: 'bd-2' }] });
    expect(revParse(s.dir, 'tack')).toBe(head);
    expect(tack(s.dir, 'import', 'beads', file, '--dry-run', '--close-missing')).toContain(
      'would close 1 ticket gone from the source',
    );
  });

  it('closes the gone ticket as canceled, keeps its file, and leaves hand-made tickets alone', () => {
    const res = tackImport(s.dir, 'beads', file, '--close-missing');
    expect(res).toMatchObject({ closed: 1, created: 0, closed_tickets: [{ key: 'bd-2' }] });
    const t = tackJson(s.dir, 'show', 'bd-2');
    expect(t).toMatchObject({ status: 'canceled', category: 'canceled' });
    expect(t.resolution).toContain('gone from the beads source');
    expect(git(s.dir, 'ls-tree', '--name-only', '-r', 'tack', 'tickets/')).toContain(`tickets/${t.id}.md`);
    expect(tackJson(s.dir, 'show', mine)).toMatchObject({ status: 'todo' });
    expect(git(s.dir, 'log', '-1', '--format=%s', 'tack')).toContain('1 closed (gone from the source)');
    // Once closed, a re-import has nothing more to say.
    expect(tackImport(s.dir, 'beads', file, '--close-missing')).toMatchObject({ missing: 0, closed: 0, commit: null });
  });

  it('an item that comes back takes its status from the source again', () => {
    writeFileSync(file, `${[issue('bd-1', 'one'), issue('bd-2', 'two')].join('\n')}\n`);
    expect(tackImport(s.dir, 'beads', file)).toMatchObject({ created: 0, updated: 1, closed: 0 });
    expect(tackJson(s.dir, 'show', 'bd-2')).toMatchObject({ status: 'todo' });
  });
});

describe('tack import beads: an issue with only core fields', () => {
  it('carries its key under beads:, so a re-import without it reports it and --close-missing closes it', () => {
    const s = tempStore();
    const side = mkdtempSync(join(tmpdir(), 'tack-gone-core-'));
    try {
      const file = join(side, 'issues.jsonl');
      // bd-a: only id, title and status; bd-b: every core field, each with a home in Tack.
      const bare = JSON.stringify({ id: 'bd-a', title: 'alpha', status: 'open' });
      const core = (id: string, title: string) =>
        JSON.stringify({
          id,
          title,
          status: 'open',
          priority: 2,
          issue_type: 'task',
          created_at: '2026-01-02T03:04:05Z',
          updated_at: '2026-01-02T03:04:05Z',
        });
      writeFileSync(file, `${core('bd-b', 'beta')}\n${bare}\n${core('bd-c', 'gamma')}\n`);
      expect(tackImport(s.dir, 'beads', file)).toMatchObject({ created: 3 });
      expect(tackJson(s.dir, 'show', 'bd-b').extra.beads).toEqual({ id: 'bd-b' });
      expect(tackJson(s.dir, 'show', 'bd-a').extra.beads).toBeTruthy();
      // The key stays out of what `tack export beads` writes: the record reads back as it was.
      const exported = tack(s.dir, 'export', 'beads')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(exported.find((r: { id: string }) => r.id === 'bd-b')).not.toHaveProperty('beads');
      expect(tackImport(s.dir, 'beads', file)).toMatchObject({ updated: 0, missing: 0, commit: null });
      writeFileSync(file, `${core('bd-c', 'gamma')}\n`);
      const missing = tackImport(s.dir, 'beads', file);
      expect(missing).toMatchObject({ missing: 2, commit: null });
      expect(missing.missing_tickets.map((t: { key: string }) => t.key).sort()).toEqual(['bd-a', 'bd-b']);
      expect(tackImport(s.dir, 'beads', file, '--close-missing')).toMatchObject({ closed: 2 });
      expect(tackJson(s.dir, 'show', 'bd-b')).toMatchObject({ category: 'canceled' });
    } finally {
      s.cleanup();
      rmSync(side, { recursive: true, force: true });
    }
  });
});

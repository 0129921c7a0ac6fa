import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, revParse, tackImport, tackJson, tempStore } from './helpers.js';

/* `tack import backlog`: the real Backlog.md project's own backlog/ folder. */

const ROOT = resolve(__dirname, 'fixtures/shared/data/backlog-md/backlog');
const mdFiles = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.md') && f !== 'readme.md');
const TICKET_DIRS = ['tasks', 'completed', 'drafts', 'archive/tasks', 'archive/drafts'];

const importJson = (dir: string) => tackImport(dir, 'backlog', ROOT);

describe('tack import backlog', () => {
  let dir = '';
  let cleanup = () => {};
  let first: any;
  beforeAll(() => {
    ({ dir, cleanup } = tempStore());
    first = importJson(dir);
  });
  afterAll(() => cleanup());

  it('imports every task, completed task, draft and archived task, docs and decisions as store docs', () => {
    const total = TICKET_DIRS.reduce((n, d) => n + mdFiles(d).length, 0);
    expect(first).toMatchObject({
      total,
      created: total,
      docs: { create: mdFiles('docs').length + mdFiles('decisions').length },
    });
    const archived = mdFiles('archive/tasks').length + mdFiles('archive/drafts').length;
    expect(tackJson(dir, 'sql', 'SELECT count(*) AS n FROM tickets WHERE archived = 1')[0].n).toBe(archived);
    expect(git(dir, 'ls-tree', '--name-only', '-r', 'tack', 'docs/backlog').split('\n')).toContain(
      'docs/backlog/doc-001-Testing-Style-Guide.md',
    );
    expect(git(dir, 'show', 'tack:docs/backlog/doc-001-Testing-Style-Guide.md')).toBe(
      readFileSync(join(ROOT, 'docs', 'doc-001 - Testing-Style-Guide.md'), 'utf8').replace(/\n$/, ''),
    );
    const projects = tackJson(dir, 'schema').projects;
    expect(projects.find((p: any) => p.key === 'm-6')).toMatchObject({ name: 'New Milestones UI' });
    expect(first.skipped.map((s: any) => s.key)).toEqual(expect.arrayContaining(['config.yml', 'assets']));
  });

  it('keeps sections, subtasks, dependencies, comments and the rest of the front matter', () => {
    const t = tackJson(dir, 'show', 'BACK-222.1');
    expect(t).toMatchObject({
      title: 'Show parent and subtask hierarchy in the web task details modal',
      status: 'done',
      assignee: '@codex',
      created: '2026-08-17T07:26:00Z',
    });
    expect(t.parent).toBe(tackJson(dir, 'show', 'BACK-222').id);
    for (const s of [
      '## Acceptance Criteria',
      '- [x] #1 The task details modal shows a Parent section',
      '## Definition of Done',
      '- [ ] #2 bun run check',
      '## Implementation Plan',
      '## Implementation Notes',
    ]) {
      expect(t.description).toContain(s);
    }
    expect(t.extra.backlog).toMatchObject({ ordinal: 272000, created_date: '2026-08-17 07:26' });
    const c = tackJson(dir, 'show', 'BACK-355.02');
    expect(c.comments[0]).toMatchObject({ author: '@codex-types-cli', created: '2026-07-09T22:13:00Z' });
    expect(c.description).not.toContain('COMMENTS:BEGIN');
    // "dependencies: [task-355.01]" (an older prefix) is BACK-355.01, which blocks it.
    expect(tackJson(dir, 'show', 'BACK-355.01').blocks).toContain(c.id);
    // `assignee: @MrLesk` is not valid YAML; Backlog.md wrote it, so it is read anyway.
    expect(tackJson(dir, 'show', 'BACK-1').extra.backlog.assignee).toBe('@MrLesk');
    expect(tackJson(dir, 'show', 'DRAFT-1')).toMatchObject({ status: 'draft', category: 'triage' });
  });

  it('a second import changes nothing', () => {
    const head = revParse(dir, 'tack');
    expect(importJson(dir)).toMatchObject({ created: 0, updated: 0, commit: null, docs: { create: 0, update: 0 } });
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('after the task-N → BACK-N renumbering, a re-import finds the tickets by content: none twice, the new id an alias', () => {
    const side = mkdtempSync(join(tmpdir(), 'tack-backlog-era-'));
    const fresh = tempStore();
    try {
      // The same project as it was before Backlog.md's id change: every id task-N.
      const old = join(side, 'backlog');
      cpSync(ROOT, old, { recursive: true });
      for (const d of TICKET_DIRS)
        for (const f of mdFiles(d)) {
          const p = join(old, d, f);
          writeFileSync(p, readFileSync(p, 'utf8').replace(/^id: BACK-/im, 'id: task-'));
        }
      const before = tackImport(fresh.dir, 'backlog', old);
      const after = tackImport(fresh.dir, 'backlog', ROOT);
      expect(after.tickets.filter((t: any) => t.action === 'create').map((t: any) => t.key)).toEqual([]);
      expect(after).toMatchObject({ created: 0, total: before.total });
      expect(tackJson(fresh.dir, 'sql', 'SELECT count(*) AS n FROM tickets')[0].n).toBe(before.created);
      const id = tackJson(fresh.dir, 'show', 'BACK-222.1').id;
      expect(tackJson(fresh.dir, 'show', 'task-222.1').id).toBe(id);
      expect(tackImport(fresh.dir, 'backlog', ROOT)).toMatchObject({ created: 0, updated: 0, commit: null });
    } finally {
      fresh.cleanup();
      rmSync(side, { recursive: true, force: true });
    }
  });

  it('a task file removed from the project closes its ticket on re-import with --close-missing (dry run first), hand-made tickets untouched', () => {
    const side = mkdtempSync(join(tmpdir(), 'tack-backlog-gone-'));
    const fresh = tempStore();
    try {
      const copy = join(side, 'backlog');
      cpSync(ROOT, copy, { recursive: true });
      tackImport(fresh.dir, 'backlog', copy);
      const mine = tackJson(fresh.dir, 'create', 'made in Tack').id;
      const gone = mdFiles('tasks').find((f) => f.startsWith('back-239 '))!;
      rmSync(join(copy, 'tasks', gone));
      expect(tackImport(fresh.dir, 'backlog', copy)).toMatchObject({ missing: 1, closed: 0, commit: null });
      expect(tackImport(fresh.dir, 'backlog', copy, '--dry-run', '--close-missing')).toMatchObject({
        closed: 1,
        closed_tickets: [{ key: 'BACK-239' }],
        commit: null,
      });
      expect(tackJson(fresh.dir, 'show', 'BACK-239').status).toBe('todo');
      expect(tackImport(fresh.dir, 'backlog', copy, '--close-missing')).toMatchObject({
        created: 0,
        updated: 0,
        closed: 1,
      });
      expect(tackJson(fresh.dir, 'show', 'BACK-239')).toMatchObject({ status: 'canceled' });
      expect(tackJson(fresh.dir, 'show', mine)).toMatchObject({ status: 'todo' });
    } finally {
      fresh.cleanup();
      rmSync(side, { recursive: true, force: true });
    }
  });
});

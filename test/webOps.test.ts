import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tack, tackFail, tackJson, tempStore } from './helpers.js';

// The operations the web UI added: the board, a doc's versions, saved views (views/<name>.yaml).
let repo: { dir: string; cleanup: () => void };
beforeAll(() => {
  repo = tempStore({ prefix: 'tack-webops-' });
});
afterAll(() => repo.cleanup());

describe('tack board', () => {
  it('puts open tickets in columns by state, in workflow order, newest first, with filters and a per-column limit', () => {
    const a = tackJson(repo.dir, 'create', 'Alpha', '-l', 'ui').id;
    const b = tackJson(repo.dir, 'create', 'Beta').id;
    const c = tackJson(repo.dir, 'create', 'Gamma', '-l', 'ui').id;
    tack(repo.dir, 'update', b, '--status', 'in-progress');
    tack(repo.dir, 'close', c);
    const board = tackJson(repo.dir, 'board');
    expect(board.columns.map((x: any) => x.state)).toEqual([
      'triage',
      'backlog',
      'todo',
      'needs-context',
      'in-progress',
      'in-review',
    ]);
    const col = (o: any, s: string) => o.columns.find((x: any) => x.state === s);
    expect(col(board, 'todo').tickets.map((t: any) => t.id)).toEqual([a]);
    expect(col(board, 'in-progress')).toMatchObject({ count: 1, category: 'started' });
    const all = tackJson(repo.dir, 'board', '--all', '-l', 'ui');
    expect(col(all, 'done').tickets.map((t: any) => t.id)).toEqual([c]);
    expect(col(all, 'in-progress').count).toBe(0);
    tack(repo.dir, 'create', 'Delta');
    const limited = tackJson(repo.dir, 'board', '-n', '1');
    expect(col(limited, 'todo')).toMatchObject({ count: 2 });
    expect(col(limited, 'todo').tickets).toHaveLength(1);

    const text = tack(repo.dir, 'board');
    // States with tickets are columns, in workflow order; the empty ones are named once.
    expect(text.split('\n')[0]).toMatch(/^todo \(2\) +│ in-progress \(1\)$/);
    expect(text).toContain('empty: triage, backlog, needs-context, in-review');
    expect(text).toContain('Beta');
    expect(text).not.toContain('Gamma');
  });
});

describe('tack board, many cards', () => {
  it('shows 50 cards a column unless asked for more, ranked ones first by rank, then the latest updated', () => {
    const s = tempStore({ prefix: 'tack-board-' });
    try {
      const lines = Array.from({ length: 60 }, (_, i) =>
        JSON.stringify({
          id: `bd-${i}`,
          title: `card ${i}`,
          status: 'open',
          priority: 2,
          // Each later one updated later: the newest first among the unranked.
          updated_at: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
          created_at: '2026-01-01T00:00:00Z',
        }),
      );
      writeFileSync(join(s.dir, 'issues.jsonl'), `${lines.join('\n')}\n`);
      tackJson(s.dir, 'import', 'beads', 'issues.jsonl');
      const id = (title: string) =>
        tackJson(s.dir, 'list', '--all', '--limit', '0').find((t: any) => t.title === title).id as string;
      const [r1, r2] = [id('card 3'), id('card 7')];
      tack(s.dir, 'update', r1, '--rank', '2');
      tack(s.dir, 'update', r2, '--rank', '1.5');
      const col = (o: any) => o.columns.find((x: any) => x.count > 0);
      const board = col(tackJson(s.dir, 'board'));
      expect(board.count).toBe(60);
      expect(board.tickets).toHaveLength(50);
      expect(board.tickets.slice(0, 2).map((t: any) => t.id)).toEqual([r2, r1]);
      // The two ranked ones were updated just now: the rest by their own times, newest first.
      expect(board.tickets.slice(2, 5).map((t: any) => t.title)).toEqual(['card 59', 'card 58', 'card 57']);
      const all = col(tackJson(s.dir, 'board', '--limit', '0'));
      expect(all.tickets).toHaveLength(60);
      expect(all.tickets.slice(0, 50)).toEqual(board.tickets);
      expect(all.tickets.at(-1).title).toBe('card 0');
      expect(tack(s.dir, 'board')).toMatch(/… 30 more/);
    } finally {
      s.cleanup();
    }
  });
});

describe('tack view', () => {
  it('saves, lists, updates and deletes views as files in the store, one commit each', () => {
    const before = Number(git(repo.dir, 'rev-list', '--count', 'tack'));
    expect(
      tackJson(
        repo.dir,
        'view',
        'save',
        'triage-ui',
        '--filter',
        'state=triage',
        '--filter',
        'label=ui',
        '--description',
        'UI triage',
      ),
    ).toMatchObject({ name: 'triage-ui', path: 'views/triage-ui.yaml', changed: true });
    expect(git(repo.dir, 'show', 'tack:views/triage-ui.yaml')).toBe(
      'name: triage-ui\ndescription: UI triage\nfilters:\n  state: triage\n  label: ui',
    );
    expect(
      tackJson(
        repo.dir,
        'view',
        'save',
        'triage-ui',
        '--filter',
        'state=triage',
        '--filter',
        'label=ui',
        '--description',
        'UI triage',
      ).changed,
    ).toBe(false);
    expect(Number(git(repo.dir, 'rev-list', '--count', 'tack'))).toBe(before + 1);
    expect(tackJson(repo.dir, 'view', 'list')).toEqual([
      {
        name: 'triage-ui',
        path: 'views/triage-ui.yaml',
        description: 'UI triage',
        filters: { state: 'triage', label: 'ui' },
      },
    ]);
    expect(tack(repo.dir, 'view').trim()).toBe('triage-ui  state=triage label=ui  — UI triage');

    expect(tackFail(repo.dir, 'view', 'save', '../escape', '--filter', 'a=b').error.code).toBe('invalid_input');
    expect(tackFail(repo.dir, 'view', 'save', 'ok', '--filter', 'no-equals').error).toMatchObject({
      code: 'invalid_input',
    });
    expect(tackFail(repo.dir, 'view', 'delete', 'nope').error.code).toBe('not_found');
    expect(Number(git(repo.dir, 'rev-list', '--count', 'tack'))).toBe(before + 1); // bad input changed nothing

    // A rename is one commit that moves the file and its name; it never overwrites a view.
    tack(repo.dir, 'view', 'save', 'other', '--filter', 'label=x');
    const beforeRename = Number(git(repo.dir, 'rev-list', '--count', 'tack'));
    expect(tackFail(repo.dir, 'view', 'rename', 'triage-ui', 'other').error.code).toBe('already_exists');
    expect(tackFail(repo.dir, 'view', 'rename', 'nope', 'fresh').error.code).toBe('not_found');
    expect(tackFail(repo.dir, 'view', 'rename', 'triage-ui', '../x').error.code).toBe('invalid_input');
    expect(Number(git(repo.dir, 'rev-list', '--count', 'tack'))).toBe(beforeRename);
    expect(tackJson(repo.dir, 'view', 'rename', 'triage-ui', 'ui-triage')).toMatchObject({
      from: 'triage-ui',
      name: 'ui-triage',
      path: 'views/ui-triage.yaml',
    });
    expect(Number(git(repo.dir, 'rev-list', '--count', 'tack'))).toBe(beforeRename + 1);
    expect(git(repo.dir, 'show', 'tack:views/ui-triage.yaml')).toBe(
      'name: ui-triage\ndescription: UI triage\nfilters:\n  state: triage\n  label: ui',
    );
    tack(repo.dir, 'view', 'delete', 'other');
    tack(repo.dir, 'view', 'delete', 'ui-triage');
    expect(tackJson(repo.dir, 'view', 'list')).toEqual([]);
    expect(git(repo.dir, 'log', '-1', '--format=%s', 'tack')).toBe('delete view ui-triage');
  });
});

describe('tack docs log', () => {
  it("lists a doc's versions newest first; each is readable with docs show --at", () => {
    tack(repo.dir, 'docs', 'add', 'specs/board.md', '--text', '# Board\n\nv1\n');
    tack(repo.dir, 'docs', 'add', 'specs/board.md', '--text', '# Board\n\nv2\n');
    const log = tackJson(repo.dir, 'docs', 'log', 'specs/board.md');
    expect(log.path).toBe('docs/specs/board.md');
    expect(log.versions.map((v: any) => v.subject)).toEqual([
      'update doc docs/specs/board.md',
      'add doc docs/specs/board.md',
    ]);
    expect(log.versions[0].commit).toBe(git(repo.dir, 'rev-parse', 'tack'));
    expect(tackJson(repo.dir, 'docs', 'show', 'specs/board.md', '--at', log.versions[1].commit).body).toBe(
      '# Board\n\nv1\n',
    );
    expect(tackJson(repo.dir, 'docs', 'log', 'specs/none.md').versions).toEqual([]);
  });
});

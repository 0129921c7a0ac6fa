import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';

/* `tack batch`: many operations as ONE commit, all or nothing, from a file or stdin. */

const track = trackCleanups();

function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

const fileAt = (dir: string, id: string) => git(dir, 'show', `tack:tickets/${id}.md`);
const jsonl = (items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;

function batchStdin(dir: string, text: string, ...args: string[]): any {
  const r = tackRaw(dir, ['batch', ...args, '--json'], {}, text);
  if (r.status !== 0) throw new Error(`tack batch exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function batchFail(
  dir: string,
  text: string,
  ...args: string[]
): { status: number; error: { code: string; message: string; details?: any } } {
  const r = tackRaw(dir, ['batch', ...args, '--json'], {}, text);
  expect(r.status).not.toBe(0);
  return { status: r.status, error: JSON.parse(r.stderr.trim().split('\n').pop()!).error };
}

describe('tack batch', () => {
  it('applies JSONL from stdin as one commit, with @ref placeholders for tickets it creates', () => {
    const dir = store();
    const existing = tackJson(dir, 'create', 'Existing').id;
    const before = revParse(dir, 'tack')!;
    const out = batchStdin(
      dir,
      jsonl([
        { op: 'create', ref: 'epic', title: 'The epic', type: 'epic' },
        { op: 'create', ref: 'child', title: 'A child', parent: '@epic', label: ['a'] },
        { op: 'link', id: '@child', kind: 'blocks', target: existing },
        { op: 'update', id: existing, status: 'in-progress', add_label: ['b'] },
        { op: 'comment', id: '@epic', text: 'planned in one go' },
        { op: 'label-add', id: '@child', labels: ['c'] },
        { op: 'label-rm', id: '@child', labels: ['a'] },
        { op: 'close', id: '@child', reason: 'not needed' },
        { op: 'reopen', ids: ['@child'] },
      ]),
    );
    const epic = out.refs.epic;
    const child = out.refs.child;
    expect(out.created).toEqual([epic, child]);
    expect(out.updated).toEqual([existing]);
    expect(out.items.map((i: { op: string }) => i.op)).toEqual([
      'create',
      'create',
      'link',
      'update',
      'comment',
      'label-add',
      'label-rm',
      'close',
      'reopen',
    ]);
    // One commit on top of the previous head, touching exactly the three tickets.
    expect(revParse(dir, 'tack')).toBe(out.commit);
    expect(git(dir, 'rev-parse', `${out.commit}^`)).toBe(before);
    expect(git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', 'tack').split('\n').sort()).toEqual(
      [`tickets/${epic}.md`, `tickets/${child}.md`, `tickets/${existing}.md`].sort(),
    );
    const msg = git(dir, 'log', '-1', '--format=%B', 'tack');
    expect(msg).toContain('Tack-Op: batch');
    expect(msg).toContain(`Tack-Ticket: ${child}`);
    expect(msg).toContain(`- create ${epic}: The epic`);
    // The files say what every item did.
    const c = fileAt(dir, child);
    expect(c).toMatch(new RegExp(`^parent: ${epic}$`, 'm'));
    expect(c).toMatch(new RegExp(`^blocks: \\[${existing}\\]$`, 'm'));
    expect(c).toMatch(/^labels: \[c\]$/m);
    expect(c).toMatch(/^status: todo$/m);
    expect(c).not.toMatch(/^resolution:/m);
    expect(fileAt(dir, epic)).toContain('planned in one go');
    expect(fileAt(dir, existing)).toMatch(/^status: in-progress$/m);
    const shown = tackJson(dir, 'show', epic);
    expect(shown.children).toEqual([child]);
  });

  it('reads a JSON array from a FILE argument, with a commit subject from --message', () => {
    const dir = store();
    const file = join(dir, 'ops.json');
    writeFileSync(
      file,
      JSON.stringify(
        [
          { op: 'create', title: 'One' },
          { op: 'create', title: 'Two', priority: 'high' },
        ],
        null,
        2,
      ),
    );
    const out = tackJson(dir, 'batch', 'ops.json', '-m', 'plan the sprint');
    expect(out.created).toHaveLength(2);
    expect(git(dir, 'log', '-1', '--format=%s', 'tack')).toBe('plan the sprint');
    expect(
      tackJson(dir, 'list')
        .map((t: { title: string }) => t.title)
        .sort(),
    ).toEqual(['One', 'Two']);
    // The human summary names what was created.
    writeFileSync(file, JSON.stringify({ op: 'create', title: 'Three', ref: 'x' }));
    expect(tack(dir, 'batch', file)).toMatch(/created tk-[0-9a-z]+ \(@x\)/);
  });

  it('is all or nothing: one invalid item anywhere writes nothing', () => {
    const dir = store();
    const existing = tackJson(dir, 'create', 'Existing').id;
    const before = revParse(dir, 'tack');
    const cases: Array<[unknown[], string, string]> = [
      [
        [
          { op: 'create', title: 'ok' },
          { op: 'update', id: existing, status: 'nonsense' },
        ],
        'invalid_input',
        'batch item 2 (update): unknown status "nonsense"',
      ],
      [
        [
          { op: 'create', title: 'ok' },
          { op: 'create', titel: 'typo' },
        ],
        'invalid_input',
        'batch item 2 (create): Unrecognized key: "titel"',
      ],
      [[{ op: 'create', title: 'ok' }, { op: 'explode' }], 'invalid_input', 'batch item 2: unknown op "explode"'],
      [
        [
          { op: 'update', id: '@later', status: 'done' },
          { op: 'create', ref: 'later', title: 'x' },
        ],
        'invalid_input',
        '@later names no ticket',
      ],
      [
        [
          { op: 'create', title: 'ok' },
          { op: 'comment', id: 'tk-doesnotexist', text: 'hi' },
        ],
        'not_found',
        'batch item 2 (comment)',
      ],
      [
        [
          { op: 'create', ref: 'a', title: 'a' },
          { op: 'create', ref: 'a', title: 'b' },
        ],
        'invalid_input',
        '"ref" "a" is already used',
      ],
      [
        [
          { op: 'create', ref: 'a', title: 'a' },
          { op: 'link', id: existing, kind: 'blocks', target: '@a' },
          { op: 'link', id: '@a', kind: 'blocks', target: existing },
        ],
        'cycle',
        'cycle',
      ],
    ];
    for (const [items, code, message] of cases) {
      const f = batchFail(dir, jsonl(items));
      expect(f.error.code, message).toBe(code);
      expect(f.error.message).toContain(message);
    }
    expect(revParse(dir, 'tack')).toBe(before);
    expect(tackJson(dir, 'list', '--all')).toHaveLength(1);
  });

  it('reports malformed input with the line, and refuses an empty batch', () => {
    const dir = store();
    const before = revParse(dir, 'tack');
    const bad = batchFail(dir, '{"op":"create","title":"a"}\n{"op": oops}\n');
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.message).toMatch(/^stdin:2: invalid JSON/);
    expect(batchFail(dir, '').error.message).toContain('empty');
    expect(batchFail(dir, '[1, 2]').error.message).toContain('expected a JSON object');
    expect(tackRaw(dir, ['batch', 'missing.jsonl']).stderr).toContain('cannot read missing.jsonl');
    expect(revParse(dir, 'tack')).toBe(before);
  });
});

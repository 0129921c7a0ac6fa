import { describe, expect, it } from 'vitest';
import { git, revParse, tackJson, tempStore, trackCleanups } from './helpers.js';

/*
 * A write that changes nothing commits nothing: repeating a label, a value, an assignee or
 * a link reports `changed: false`, leaves the ref where it was, and `tack validate` accepts
 * every commit Tack made.
 */

const track = trackCleanups();

const repeats: Array<[string, (a: string, b: string) => string[]]> = [
  ['label add twice', (a) => ['label', 'add', a, 'x']],
  ['label rm of an absent label', (a) => ['label', 'rm', a, 'absent']],
  ['update to the same priority', (a) => ['update', a, '--priority', 'high']],
  ['update to the same title', (a) => ['update', a, '--title', 'Alpha']],
  ['assign to the same person', (a) => ['update', a, '--assignee', 'alice']],
  ['link twice', (a, b) => ['link', a, 'blocks', b]],
];

describe.each([false, true])('writes that change nothing (inline %s)', (inline) => {
  it.each(repeats)('%s: changed false, no commit, validate ok', (_name, args) => {
    const s = tempStore({ inline });
    track(s.cleanup);
    const ref = inline ? 'HEAD' : 'refs/heads/tack';
    const a = tackJson(s.dir, 'create', 'Alpha').id;
    const b = tackJson(s.dir, 'create', 'Beta').id;
    for (const setup of [
      ['label', 'add', a, 'x'],
      ['update', a, '--priority', 'high', '--assignee', 'alice'],
      ['link', a, 'blocks', b],
    ]) {
      expect(tackJson(s.dir, ...setup).changed).toBe(true);
    }
    const before = revParse(s.dir, ref);
    const out = tackJson(s.dir, ...args(a, b));
    expect(out.changed).toBe(false);
    expect(out.commit ?? null).toBeNull();
    expect(revParse(s.dir, ref)).toBe(before);
    if (inline) expect(git(s.dir, 'status', '--porcelain')).toBe('');
    expect(tackJson(s.dir, 'validate', '--all').ok).toBe(true);
  });
});

describe("validate and Tack's own history", () => {
  it('accepts an empty Tack commit (as older versions wrote for a repeated label)', () => {
    const s = tempStore();
    track(s.cleanup);
    const a = tackJson(s.dir, 'create', 'Alpha').id;
    const head = revParse(s.dir, 'refs/heads/tack')!;
    const tree = git(s.dir, 'rev-parse', `${head}^{tree}`);
    const empty = git(
      s.dir,
      'commit-tree',
      tree,
      '-p',
      head,
      '-m',
      `label ${a} +x\n\nTack-Op: label\nTack-Ticket: ${a}`,
    );
    git(s.dir, 'update-ref', 'refs/heads/tack', empty, head);
    expect(tackJson(s.dir, 'validate', '--all').ok).toBe(true);
  });
});

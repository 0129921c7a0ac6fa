import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revParse, tackImport, tackJson, tackRaw, importedStore } from './helpers.js';

/* `tack import github`: `gh issue list --state all --json …` output (fixture written in gh's documented shapes). */

const FIXTURE = join(import.meta.dirname, 'fixtures', 'github', 'issues.json');

describe('tack import github', () => {
  let dir = '';
  let cleanup = () => {};
  let file = '';
  let first: any;
  beforeAll(() => {
    ({ dir, file, first, cleanup } = importedStore('github', 'issues.json', readFileSync(FIXTURE)));
  });
  afterAll(() => cleanup());

  it('makes one ticket per issue keyed github:OWNER/REPO#N, with labels, assignees, milestone, comments', () => {
    expect(first).toMatchObject({ total: 3, created: 3, skipped: [] });
    const t = tackJson(dir, 'show', 'github:acme/widgets#12');
    expect(t).toMatchObject({
      title: '--force crashes `tack ready`',
      status: 'todo',
      labels: ['bug', 'good first issue'],
      assignee: 'octocat',
      project: 'gh-milestone-3',
      created: '2026-10-01T08:00:00Z',
    });
    expect(t.extra.github).toMatchObject({ number: 12, author: 'monalisa', assignees: ['octocat', 'hubot'] });
    expect(t.description).toContain('$(rm -rf /)');
    expect(t.comments.map((c: any) => [c.author, c.body.trim()])).toEqual([['octocat', 'Reproduced — 日本語 too.']]);
  });

  it('closed as completed → done; closed as not planned → canceled; bodies are plain text', () => {
    expect(tackJson(dir, 'show', 'github:acme/widgets#7')).toMatchObject({ status: 'done', category: 'completed' });
    const wont = tackJson(dir, 'show', 'github:acme/widgets#8');
    expect(wont).toMatchObject({ status: 'canceled', category: 'canceled' });
    expect(wont.description.trim()).toBe('=HYPERLINK("http://evil")');
    expect(wont.comments[0].author).toBe('ghost');
  });

  it('a re-import makes no commit; an edited issue updates its ticket', () => {
    const head = revParse(dir, 'HEAD');
    expect(tackImport(dir, 'github', file)).toMatchObject({ created: 0, unchanged: 3 });
    expect(revParse(dir, 'HEAD')).toBe(head);
    const issues = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    issues[1].title = 'Ship the parser, renamed';
    issues[1].updatedAt = '2026-09-07T00:00:00Z';
    writeFileSync(file, JSON.stringify(issues));
    expect(tackImport(dir, 'github', file)).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    expect(tackJson(dir, 'show', 'github:acme/widgets#7').title).toBe('Ship the parser, renamed');
  });

  it.each([
    ['an object, not an array', { issues: [] }, /expected a JSON array/],
    ['a number as a string', [{ number: '12', title: 'x' }], /\.number must be a positive integer; received \\"12\\"/],
    ['labels as strings', [{ number: 1, title: 'x', labels: 'bug' }], /labels must be a list/],
    ['an author as a string', [{ number: 1, title: 'x', author: 'eve' }], /author.* must be an object \{login\}/],
    ['a body as an object', [{ number: 1, title: 'x', body: { toString: 1 } }], /body must be a string/],
    ['an unknown state', [{ number: 1, title: 'x', state: 'MERGED' }], /state must be OPEN or CLOSED/],
    ['not JSON', '[{', /not `gh issue list --json` output/],
  ])('refuses %s with a clear error, writing nothing', (_what, bad, msg) => {
    const head = revParse(dir, 'HEAD');
    writeFileSync(file, typeof bad === 'string' ? bad : JSON.stringify(bad));
    const r = tackRaw(dir, ['import', 'github', file, '--json']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(msg);
    expect(revParse(dir, 'HEAD')).toBe(head);
  });

  it('closed as duplicate → canceled', () => {
    const dup = {
      number: 99,
      title: 'Same as #7',
      state: 'CLOSED',
      stateReason: 'DUPLICATE',
      url: 'https://github.com/acme/widgets/issues/99',
    };
    writeFileSync(file, JSON.stringify([dup]));
    expect(tackImport(dir, 'github', file)).toMatchObject({ created: 1 });
    expect(tackJson(dir, 'show', 'github:acme/widgets#99')).toMatchObject({ status: 'canceled', category: 'canceled' });
  });
});

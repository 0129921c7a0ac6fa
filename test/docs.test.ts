import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tack, tackJson, tackRaw, tempRepo } from './helpers.js';
import { commitToStore } from './storeFiles.js';

const SPEC = '# Parser spec\n\nThe parser keeps `// trailing` comments.\n';

let repo: { dir: string; cleanup: () => void };
let outside: string; // files given to --file live beside the repository, not in it
beforeAll(() => {
  repo = tempRepo();
  outside = mkdtempSync(join(tmpdir(), 'tack-doc-'));
  tack(repo.dir, 'init');
});
afterAll(() => {
  repo.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const commits = (dir: string, ref = 'tack') => Number(git(dir, 'rev-list', '--count', ref));

describe('tack docs (branch mode)', () => {
  it('docs add writes the doc as one commit on the store branch, leaving the code branch alone', () => {
    const src = join(outside, 'spec.md');
    writeFileSync(src, SPEC);
    const head = git(repo.dir, 'rev-parse', 'HEAD');
    const before = commits(repo.dir);
    const out = tackJson(repo.dir, 'docs', 'add', 'specs/parser.md', '--file', src);
    expect(out).toMatchObject({ path: 'docs/specs/parser.md', title: 'Parser spec', created: true, changed: true });
    expect(out.commit).toBe(git(repo.dir, 'rev-parse', 'tack'));
    expect(commits(repo.dir)).toBe(before + 1);
    expect(`${git(repo.dir, 'show', 'tack:docs/specs/parser.md')}\n`).toBe(SPEC);
    expect(git(repo.dir, 'log', '-1', '--format=%B', 'tack')).toBe(
      'add doc docs/specs/parser.md\n\nTack-Op: docs-write\nTack-Doc: docs/specs/parser.md\nTack-Actor: human',
    );
    expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo.dir, 'status', '--porcelain')).toBe('');
  });

  it('the same content again makes no commit; new text replaces the doc', () => {
    const before = commits(repo.dir);
    expect(tackJson(repo.dir, 'docs', 'add', 'docs/specs/parser.md', '--text', SPEC)).toMatchObject({
      changed: false,
      commit: null,
    });
    expect(commits(repo.dir)).toBe(before);
    const out = tackJson(repo.dir, 'docs', 'write', 'docs/specs/parser.md', '--text', `${SPEC}\n## Edge cases\n`);
    expect(out).toMatchObject({ created: false, changed: true });
    expect(commits(repo.dir)).toBe(before + 1);
    expect(git(repo.dir, 'show', 'tack:docs/specs/parser.md')).toContain('## Edge cases');
    expect(tack(repo.dir, 'docs', 'add', 'notes.md', '--text', 'no heading here')).toMatch(
      /^added docs\/notes\.md \(commit [0-9a-f]{8}\)\n$/,
    );
  });

  it('lists docs with the tickets linking to them by field or [[wiki link]], and links to missing docs', () => {
    const byField = tackJson(repo.dir, 'create', 'Implement the parser', '--link', 'docs/specs/parser.md').id;
    const byBody = tackJson(
      repo.dir,
      'create',
      'Review the spec',
      '-d',
      'Read [[docs/specs/parser.md]] and [[docs/specs/lexer.md#tokens]].',
    ).id;
    const docs = tackJson(repo.dir, 'docs');
    expect(docs.map((d: any) => d.path)).toEqual(['docs/notes.md', 'docs/specs/lexer.md', 'docs/specs/parser.md']);
    const parser = docs.find((d: any) => d.path === 'docs/specs/parser.md');
    expect(parser).toMatchObject({ title: 'Parser spec', exists: true });
    expect(parser.backlinks.map((b: any) => b.id).sort()).toEqual([byField, byBody].sort());
    expect(parser.backlinks_total).toBe(2);
    expect(parser.backlinks[0]).toEqual(
      expect.objectContaining({ short_id: expect.any(String), title: expect.any(String), status: 'todo' }),
    );
    expect(docs.find((d: any) => d.path === 'docs/notes.md')).toMatchObject({ title: 'notes.md', backlinks: [] });
    expect(docs.find((d: any) => d.path === 'docs/specs/lexer.md')).toMatchObject({
      exists: false,
      title: null,
      backlinks: [expect.objectContaining({ id: byBody })],
    });
    expect(tackJson(repo.dir, 'docs', 'list', '--missing').map((d: any) => d.path)).toEqual(['docs/specs/lexer.md']);
    expect(tack(repo.dir, 'docs')).toMatch(/docs\/specs\/lexer\.md +\(missing\)/);
  });

  it('docs show prints the markdown and its backlinks', () => {
    const doc = tackJson(repo.dir, 'docs', 'show', 'specs/parser.md');
    expect(doc.path).toBe('docs/specs/parser.md');
    expect(doc.body).toContain('## Edge cases');
    expect(doc.backlinks).toHaveLength(2);
    expect(doc.blob).toBe(git(repo.dir, 'rev-parse', 'tack:docs/specs/parser.md'));
    const human = tack(repo.dir, 'docs', 'show', 'docs/specs/parser.md');
    expect(human).toContain('docs/specs/parser.md · Parser spec');
    expect(human).toContain('linked from:');
    expect(human).toContain('Implement the parser');
    expect(human).toContain('The parser keeps `// trailing` comments.');
    const old = tackJson(repo.dir, 'docs', 'show', 'specs/parser.md', '--at', 'tack~4');
    expect(old.body).not.toContain('## Edge cases');
  });

  it('picks up docs committed by hand', () => {
    commitToStore(repo.dir, { 'docs/guide/intro.md': '# Intro\n\nWelcome.\n' }, 'write a doc by hand');
    expect(tackJson(repo.dir, 'docs', 'show', 'guide/intro.md')).toMatchObject({ title: 'Intro', backlinks: [] });
  });

  it.each([
    [['docs', 'add', '../schema.yaml', '--text', 'x'], 'contains ".."'],
    [['docs', 'add', 'docs/../tickets/x.md', '--text', 'x'], 'contains ".."'],
    [['docs', 'add', '/etc/x.md', '--text', 'x'], 'is absolute'],
    [['docs', 'add', 'docs/x.txt', '--text', 'x'], 'does not end in .md'],
    [['docs', 'add', 'docs/x.md'], 'exactly one of --file or --text'],
    [['docs', 'add', 'docs/x.md', '--text', 'a', '--file', 'b'], 'exactly one of --file or --text'],
    [['docs', 'add', 'docs/x.md', '--text', '  '], 'empty'],
    [['docs', 'add', 'docs/x.md', '--file', 'no-such-file.md'], 'cannot read --file'],
  ])('refuses %j without committing', (args, message) => {
    const before = commits(repo.dir);
    const r = tackRaw(repo.dir, [...args, '--json']);
    expect(r.status).toBe(2);
    const err = JSON.parse(r.stderr).error;
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain(message);
    expect(commits(repo.dir)).toBe(before);
  });

  it('docs show of an unknown doc says so and suggests near names', () => {
    const r = tackRaw(repo.dir, ['docs', 'show', 'parser', '--json']);
    expect(r.status).toBe(2); // "parser" has no .md: invalid input
    const r2 = tackRaw(repo.dir, ['docs', 'show', 'specs/pars.md', '--json']);
    expect(r2.status).toBe(3);
    expect(JSON.parse(r2.stderr).error.message).toMatch(/^no doc at docs\/specs\/pars\.md; expected/);
    const r3 = tackRaw(repo.dir, ['docs', 'show', 'parser.md', '--json']);
    expect(JSON.parse(r3.stderr).error.details.similar).toEqual(['docs/specs/parser.md']);
  });
});

describe('tack docs (inline mode)', () => {
  it('keeps docs in .tack/docs/ and commits them to the current branch', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init', '--inline');
      const out = tackJson(r.dir, 'docs', 'add', 'guide.md', '--text', '# Guide\n\nHello.');
      expect(out).toMatchObject({ path: 'docs/guide.md', title: 'Guide', created: true });
      expect(readFileSync(join(r.dir, '.tack/docs/guide.md'), 'utf8')).toBe('# Guide\n\nHello.\n');
      expect(git(r.dir, 'show', 'HEAD:.tack/docs/guide.md')).toBe('# Guide\n\nHello.');
      expect(out.commit).toBe(git(r.dir, 'rev-parse', 'HEAD'));
      expect(git(r.dir, 'status', '--porcelain')).toBe('');
      // an edit on disk is seen at once, before any commit
      writeFileSync(join(r.dir, '.tack/docs/guide.md'), '# Guide, revised\n');
      expect(tackJson(r.dir, 'docs')).toEqual([
        { path: 'docs/guide.md', title: 'Guide, revised', exists: true, backlinks: [], backlinks_total: 0 },
      ]);
      // the same text as on disk, but not committed yet: committing it is the point
      const again = tackJson(r.dir, 'docs', 'add', 'guide.md', '--text', '# Guide, revised\n');
      expect(again).toMatchObject({ changed: true, created: false });
      expect(git(r.dir, 'show', 'HEAD:.tack/docs/guide.md')).toBe('# Guide, revised');
      expect(tackJson(r.dir, 'docs', 'add', 'guide.md', '--text', '# Guide, revised\n').changed).toBe(false);
    } finally {
      r.cleanup();
    }
  });
});

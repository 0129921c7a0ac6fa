import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tack, tackImport, tackJson, tackRaw, tempStore } from './helpers.js';

/* `tack export backlog DIR`: the real Backlog.md project, imported, exported, imported again. */

const ROOT = resolve(__dirname, 'fixtures/shared/data/backlog-md/backlog');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/** Every ticket of a store as the source knows it: ids replaced by the Backlog.md id. */
function byKey(dir: string): Map<string, any> {
  tack(dir, 'export', 'jsonl', '--all', '--out', 'all.jsonl');
  const rows = readFileSync(join(dir, 'all.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const key = new Map(rows.map((r) => [r.id, r.aliases?.[0] ?? r.id]));
  return new Map(
    rows.map((r) => {
      const { id, aliases, ...rest } = r;
      return [
        key.get(id),
        {
          ...rest,
          parent: r.parent ? key.get(r.parent) : null,
          blocks: (r.blocks ?? []).map((b: string) => key.get(b)),
        },
      ];
    }),
  );
}

function frontMatter(file: string): any {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(file, 'utf8'));
  expect(m, file).not.toBeNull();
  return parse(m![1]);
}

describe('tack export backlog', () => {
  let a = { dir: '', cleanup: () => {} };
  let b = { dir: '', cleanup: () => {} };
  let side = '';
  let out = '';
  beforeAll(() => {
    a = tempStore();
    b = tempStore();
    side = mkdtempSync(join(tmpdir(), 'tack-backlog-'));
    out = join(side, 'backlog');
    tackImport(a.dir, 'backlog', ROOT);
  });
  afterAll(() => {
    a.cleanup();
    b.cleanup();
    rmSync(side, { recursive: true, force: true });
  });

  it('writes a Backlog.md folder that imports into a fresh store as the same tickets', () => {
    const res = tackJson(a.dir, 'export', 'backlog', out, '--all');
    expect(res).toMatchObject({ count: 674 });
    const files = walk(out).map((f) => relative(out, f));
    expect(files).toContain('config.yml');
    expect(parse(readFileSync(join(out, 'config.yml'), 'utf8'))).toMatchObject({ task_prefix: 'back' });
    for (const f of files.filter((f) => f.endsWith('.md'))) expect(frontMatter(join(out, f)).id).toBeTruthy();
    // Dates as Backlog.md writes them: quoted, so its YAML 1.1 reader keeps them strings.
    expect(
      readFileSync(
        join(out, 'tasks', 'back-222.1 - Show-parent-and-subtask-hierarchy-in-the-web-task-details-modal.md'),
        'utf8',
      ),
    ).toContain("created_date: '2026-08-17 07:26'");
    const first = tackImport(b.dir, 'backlog', out);
    expect(first).toMatchObject({ total: 674, created: 674 });
    expect(tackImport(b.dir, 'backlog', out)).toMatchObject({ created: 0, updated: 0, commit: null });
    const want = byKey(a.dir);
    const got = byKey(b.dir);
    expect(got.size).toBe(want.size);
    for (const [k, t] of want) {
      const { created: _c, updated: _u, ...rest } = got.get(k) ?? {};
      const { created, updated, ...w } = t;
      expect(rest, k).toEqual(w);
      if (t.backlog?.created_date) expect(got.get(k).created, k).toBe(created);
      if (t.backlog?.updated_date) expect(got.get(k).updated, k).toBe(updated);
    }
  });

  it('hostile titles make safe file names and YAML that parses back to the same title', () => {
    const s = tempStore();
    const dest = join(side, 'hostile');
    try {
      const titles = [
        '../../etc/passwd',
        'a/b\\c',
        '.hidden',
        'key: value # not a comment',
        '- [x] *star* &anchor !tag {a: 1} \'q\' "dq" | > %',
        'yes',
        '2025-07-23',
        '$(rm -rf ~) `id`',
      ];
      for (const t of titles) tack(s.dir, 'create', '--', t);
      const r = tackRaw(s.dir, ['export', 'backlog', dest]);
      expect(r.status, r.stderr).toBe(0);
      const files = walk(dest).map((f) => relative(dest, f));
      for (const f of files) {
        expect(f.startsWith('..')).toBe(false);
        expect(f).toMatch(/^(tasks\/[\p{L}\p{N}][\p{L}\p{N}._ -]*\.md|config\.yml)$/u);
      }
      const read = files.filter((f) => f.startsWith('tasks/')).map((f) => String(frontMatter(join(dest, f)).title));
      expect(read.sort()).toEqual([...titles].sort());
      const fresh = tempStore();
      try {
        expect(tackImport(fresh.dir, 'backlog', dest)).toMatchObject({ created: titles.length });
        const back = tack(fresh.dir, 'export', 'jsonl')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).title);
        expect(back.sort()).toEqual([...titles].sort());
      } finally {
        fresh.cleanup();
      }
      // A second export into the same folder is refused, nothing overwritten.
      const again = tackRaw(s.dir, ['export', 'backlog', dest, '--json']);
      expect(again.status).not.toBe(0);
      expect(again.stderr).toContain('not empty');
    } finally {
      s.cleanup();
    }
  });
});

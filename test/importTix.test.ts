import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, revParse, tackImport, tackJson, tempStore } from './helpers.js';

/* `tack import tix`: a plan.jsonl written from tix's documented format (see test/fixtures/tix/README.md). */

const PLAN = resolve(__dirname, 'fixtures/tix/plan.jsonl');
const LINES = readFileSync(PLAN, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

const importJson = (dir: string) => tackImport(dir, 'tix', PLAN);

describe('tack import tix', () => {
  let dir = '';
  let cleanup = () => {};
  let first: any;
  beforeAll(() => {
    ({ dir, cleanup } = tempStore());
    first = importJson(dir);
  });
  afterAll(() => cleanup());

  it('replays the log: one ticket per id, last line wins, tombstones and deletes settle the state', () => {
    const ids = new Set(LINES.filter((l) => ['task', 'issue', 'note'].includes(l.t)).map((l) => l.id));
    expect(first).toMatchObject({ total: ids.size, created: ids.size });
    expect(tackJson(dir, 'show', 't-5e6f7a8b')).toMatchObject({ status: 'done', category: 'completed' }); // done, then accepted
    const rejected = tackJson(dir, 'show', 't-2b3c4d5e'); // done, rejected, then a new pending line
    expect(rejected).toMatchObject({ status: 'todo', resolution: 'rejected: benchmark numbers were not recorded' });
    expect(rejected.description).toContain('Record numbers in bench/README.md this time.');
    expect(rejected.extra.tix.tombstones).toEqual([LINES.find((l) => l.t === 'reject')]);
    expect(tackJson(dir, 'show', 't-0f0f0f0f').status).toBe('canceled');
    expect(tackJson(dir, 'show', 'i-7a8b9c0d')).toMatchObject({
      type: 'issue',
      priority: 'high',
      title: 'Parser silently drops comments after a string literal',
    });
    expect(tackJson(dir, 'show', 'n-4d5e6f7a').type).toBe('note');
  });

  it('maps deps, parent, created_from, notes, acceptance and metadata', () => {
    const id = (alias: string) => tackJson(dir, 'show', alias).id;
    expect(tackJson(dir, 'show', 't-1a2b3c4d').blocks).toEqual([id('t-3c4d5e6f')]);
    expect(tackJson(dir, 'show', 't-9a0b1c2e').parent).toBe(id('t-9a0b1c2d'));
    const fixed = tackJson(dir, 'show', 't-5e6f7a8b');
    expect(fixed.relations.created_from).toEqual([id('i-7a8b9c0d')]);
    expect(fixed.extra.tix).toMatchObject({
      done_at: '9f1c2ab',
      branch: 'fix/comments',
      author: 'ralph',
      meta: { cost: 0.42, model: 'gpt-4o' },
      spec: 'parser-coverage.md',
    });
    expect(fixed.description).toContain('## Acceptance\n\nround-trip fixture comments.txt is unchanged');
    const ready = tackJson(dir, 'ready').map((t: any) => t.title);
    expect(ready).toContain('Add parser unit tests');
    expect(ready).not.toContain('Fix tokenizer edge case with trailing backslash'); // blocked by the tests task
  });

  it('keeps spec, config and stage records in a doc; a second import changes nothing', () => {
    const doc = git(dir, 'show', 'tack:docs/tix/plan.md');
    for (const l of LINES.filter((x) => ['spec', 'config', 'stage'].includes(x.t)))
      expect(doc).toContain(JSON.stringify(l));
    const head = revParse(dir, 'tack');
    expect(importJson(dir)).toMatchObject({ created: 0, updated: 0, commit: null });
    expect(revParse(dir, 'tack')).toBe(head);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonlFileSource, jsonlSource } from './jsonlImport.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: unknown[]) => {
  const p = join(dir, name);
  writeFileSync(p, `${lines.map((l) => JSON.stringify(l)).join('\n\n')}\n`);
  return p;
};

describe('jsonlFileSource: an export read from its file as it goes', () => {
  const lines = [
    { id: 'tk-aaaa1111', title: 'One', status: 'review', priority: 'p9', type: 'spike', custom: { a: 1 } },
    { id: 'not an id', title: 'Skipped' },
    {
      id: 'tk-bbbb2222',
      title: 'Two',
      parent: 'tk-aaaa1111',
      aliases: ['bd-2'],
      description: 'Body',
      comments: [{ id: 'c1', author: 'ann', created: '2026-01-01T00:00:00Z', text: 'hi' }],
      estimate: 3,
    },
  ];

  it('makes what jsonlSource makes of the same text: records, skipped lines, schema needs, owned keys', () => {
    const path = file('export.jsonl', lines);
    const streamed = jsonlFileSource(path);
    const whole = jsonlSource(`${lines.map((l) => JSON.stringify(l)).join('\n\n')}\n`);
    expect(streamed.records.length).toBe(2);
    expect([...streamed.records]).toEqual([...whole.records]);
    expect([...streamed.records]).toEqual([...streamed.records]);
    expect(streamed.skipped).toEqual(whole.skipped);
    expect(streamed.skipped[0].reason).toContain('line 2');
    expect(streamed.needs).toEqual(whole.needs);
    expect(streamed.managedKeys).toEqual(whole.managedKeys);
    expect(streamed.managedKeys).toEqual(expect.arrayContaining(['custom', 'estimate']));
  });

  it('a value of the wrong type fails on the first read, naming its line, before any record is made', () => {
    const path = file('bad.jsonl', [lines[0], { id: 'tk-cccc3333', title: 'Bad', comments: 'no' }]);
    expect(() => jsonlFileSource(path)).toThrow(/line 2: "comments" must be a list/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonLines } from './jsonLines.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('readJsonLines', () => {
  it('reads records in order, skips blank and torn lines, and a missing file has none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-jsonl-'));
    dirs.push(dir);
    const file = join(dir, 'x.jsonl');
    expect(readJsonLines(file)).toEqual([]);
    writeFileSync(file, '{"a":1}\n\n{"a":2}\n{"a":');
    expect(readJsonLines<{ a: number }>(file)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

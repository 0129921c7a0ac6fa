import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OpContext, OpDef } from '../ops/op.js';
import { StreamedRows, wholeRows } from './streamedRows.js';

const written = (fn: (write: (t: string) => void) => void) => {
  const pieces: string[] = [];
  fn((t) => pieces.push(t));
  return { text: pieces.join(''), pieces };
};

const ROWS = [
  { id: 'tk-1', title: 'two\nlines and "quotes"', labels: ['a', 'b'], parent: null, n: 1.5 },
  { id: 'tk-2', title: 'nested', labels: [], extra: { deep: [1, { x: 'y' }] } },
  { id: 'tk-3', title: 'emoji 👍 and \u2028' },
];

describe('StreamedRows', () => {
  it('--json: the very text JSON.stringify(rows, null, 2) gives, for none, one and several rows', () => {
    for (const rows of [[], ROWS.slice(0, 1), ROWS]) {
      const out = written((w) => new StreamedRows(() => rows).writeJson(w));
      expect(out.text).toBe(`${JSON.stringify(rows, null, 2)}\n`);
      expect(JSON.parse(out.text)).toEqual(rows);
    }
  });

  it('writes as it reads: the first write comes long before the last row is read', () => {
    let read = 0;
    const total = 5_000;
    function* rows() {
      for (; read < total; ) yield { id: `tk-${++read}`, body: 'x'.repeat(100) };
    }
    const readAtWrite: number[] = [];
    new StreamedRows(rows).writeJson(() => readAtWrite.push(read));
    expect(readAtWrite.length).toBeGreaterThan(5);
    expect(readAtWrite[0]).toBeLessThan(total / 5);
  });

  it('whole: every row, read again from the start', () => {
    const s = new StreamedRows(() => ROWS.values());
    expect(s.whole()).toEqual(ROWS);
    expect(s.whole()).toEqual(ROWS);
  });
});

describe('wholeRows', () => {
  const offsets: Array<[number | undefined, number]> = [];
  const op = {
    name: 'fake',
    input: z.object({ limit: z.number().optional(), offset: z.number().optional() }),
    rows: async () => ({
      read: (limit: number | undefined, offset: number) => {
        offsets.push([limit, offset]);
        return ROWS.slice(offset);
      },
      count: () => ROWS.length,
    }),
  } as unknown as OpDef;
  const ctx = {} as OpContext;

  it('asked for every row (limit 0) of an op that gives rows: rows from the offset, unbounded', async () => {
    const s = await wholeRows(op, ctx, { limit: 0, offset: 1 });
    expect(s).toBeInstanceOf(StreamedRows);
    expect(s!.whole()).toEqual(ROWS.slice(1));
    expect(offsets).toEqual([[undefined, 1]]);
  });

  it('a page, no limit, or an op without rows: the op answers as usual', async () => {
    expect(await wholeRows(op, ctx, { limit: 10 })).toBeUndefined();
    expect(await wholeRows(op, ctx, {})).toBeUndefined();
    expect(await wholeRows({ ...op, rows: undefined }, ctx, { limit: 0 })).toBeUndefined();
    expect(await wholeRows({ ...op, rows: async () => undefined }, ctx, { limit: 0 })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { jsonPieces } from './jsonPieces.js';
import { RowList } from '../ops/rowList.js';

const same = (v: unknown) => expect([...jsonPieces(v)].join('')).toBe(`${JSON.stringify(v, null, 2)}`);

describe('jsonPieces', () => {
  it('gives the very text JSON.stringify gives, with two spaces', () => {
    const row = { id: 'T-1', title: 'a "quoted"\nline', labels: ['x', 'y'], nested: { a: [1, { b: null }] } };
    same({ tickets: [row, row], commit: 'abc', released: [] });
    same([row, [], {}, [[1, 2], { c: [] }]]);
    same({ tickets: [], commit: null });
    same({});
    same([]);
    same('text');
    same(42);
    same(null);
    same({ 'ke"y\u2028': 1, ünï: [true, false] });
  });

  it('leaves out what has no JSON in an object and says null for it in a list, as JSON.stringify does', () => {
    const fn = () => 1;
    same({ a: undefined, b: fn, c: Symbol('s'), d: 1 });
    same({ a: undefined });
    same([undefined, fn, Symbol('s'), Number.NaN, -0, Number.POSITIVE_INFINITY]);
    // biome-ignore lint/suspicious/noSparseArray: a hole is one of the cases
    same({ rows: [1, , 3] });
  });

  it('asks toJSON and treats other objects as JSON.stringify does', () => {
    same({ at: new Date(0), custom: { toJSON: () => ({ shown: [1, 2] }) }, map: new Map([[1, 2]]) });
    same({ bare: Object.assign(Object.create(null), { x: [1] }) });
    same(new Date(0));
  });

  it('writes a long list a row at a time', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: `T-${i}`, n: i }));
    const pieces = [...jsonPieces({ tickets: rows, commit: 'c' })];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(60);
    expect(pieces.join('')).toBe(JSON.stringify({ tickets: rows, commit: 'c' }, null, 2));
  });

  it('prints an answer that is nothing as the template did', () => {
    expect([...jsonPieces(undefined)].join('')).toBe('undefined');
  });
});

describe('jsonPieces of a RowList', () => {
  it('writes its rows as they are read, as JSON.stringify writes the list', () => {
    let reads = 0;
    const rows = [{ id: 'T-1' }, { id: 'T-2', labels: ['a'] }];
    const lazy = new RowList(function* () {
      reads++;
      yield* rows;
    });
    const pieces = jsonPieces({ tickets: lazy, commit: 'c' });
    expect(reads).toBe(0);
    expect([...pieces].join('')).toBe(JSON.stringify({ tickets: rows, commit: 'c' }, null, 2));
    expect(reads).toBe(1);
    expect([...jsonPieces({ tickets: new RowList(() => []) })].join('')).toBe('{\n  "tickets": []\n}');
    expect(JSON.stringify({ tickets: lazy })).toBe(JSON.stringify({ tickets: rows }));
  });
});

import { describe, expect, it } from 'vitest';
import { progressLine } from './progressLine.js';

describe('progressLine', () => {
  it('redraws one line at most every 80 ms, each completed step shown, and clears it at the end', () => {
    const written: string[] = [];
    const report = progressLine((t) => written.push(t));
    report(1, 200, 'indexing');
    for (let i = 2; i < 200; i++) report(i, 200, 'indexing'); // all within 80 ms: dropped
    report(200, 200, 'indexing'); // a completed step always shows, on the same line
    report(5, 5, 'parsing');
    report.end();
    report.end(); // once
    expect(written).toEqual([
      '\r\x1b[2Kindexing 1/200 (0%)',
      '\r\x1b[2Kindexing 200/200 (100%)',
      '\r\x1b[2Kparsing 5/5 (100%)',
      '\r\x1b[2K',
    ]);
  });

  it('writes nothing at the end when nothing was drawn', () => {
    const written: string[] = [];
    progressLine((t) => written.push(t)).end();
    expect(written).toEqual([]);
  });
});

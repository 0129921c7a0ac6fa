import { describe, expect, it } from 'vitest';
import { progressLine } from './progressLine.js';

describe('progressLine', () => {
  it('redraws one line at most every 80 ms and ends it with a newline', () => {
    const written: string[] = [];
    const report = progressLine((t) => written.push(t));
    report(1, 200, 'indexing');
    for (let i = 2; i < 200; i++) report(i, 200, 'indexing'); // all within 80 ms: dropped
    report(200, 200, 'indexing'); // the last one always shows
    expect(written).toEqual(['\r\x1b[2Kindexing 1/200 (0%)', '\r\x1b[2Kindexing 200/200 (100%)\n']);
  });
});

import { describe, expect, it } from 'vitest';
import { formulaSafe, toCsv } from './exportFormats.js';

describe('CSV export guards spreadsheet formulas', () => {
  it("prefixes cells starting with = + - @ tab CR with '", () => {
    for (const s of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(formulaSafe(s)).toBe(`'${s}`);
    for (const s of ['plain', 'a=b', '', "'quoted", ' =x']) expect(formulaSafe(s)).toBe(s);
  });

  it('in a whole export: title, labels and description are guarded, numbers are not', () => {
    const csv = toCsv([
      {
        id: 'tk-aaaa1111',
        fields: { title: '=HYPERLINK("http://x","y")', labels: ['@a', 'b'], estimate: -3 },
        body: '-1\n',
        comments: [],
        blockedBy: [],
      } as never,
    ]);
    const row = csv.split('\r\n')[1];
    expect(row).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(row).toContain("'@a;b");
    expect(row).toContain(`"'-1\n"`);
  });
});

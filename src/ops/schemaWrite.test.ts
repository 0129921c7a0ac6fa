import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { spliceText, yamlScalar } from './schemaWrite.js';
import { frontMatterLine } from './frontMatterLine.js';

describe('yamlScalar', () => {
  it('writes plain names plain and quotes what YAML would read differently', () => {
    expect(yamlScalar('in-progress')).toBe('in-progress');
    expect(yamlScalar('ready to go')).toBe('ready to go');
    for (const v of ['true', 'null', '12', 'a: b', 'x, y', '[x]', '#tag', ' lead', "it's", '']) {
      const s = yamlScalar(v);
      expect(parse(`k: ${s}`).k, v).toBe(v);
      expect(parse(`k: { name: ${s} }`).k.name, v).toBe(v);
    }
  });
});

describe('spliceText', () => {
  it('replaces ranges from the end so earlier offsets stay valid', () => {
    expect(
      spliceText('abc def ghi', [
        { start: 0, end: 3, text: 'X' },
        { start: 8, end: 11, text: 'YY' },
      ]),
    ).toBe('X def YY');
  });
});

describe('frontMatterLine', () => {
  it('finds a top-level key inside the front matter, else line 1', () => {
    const text = '---\nid: tk-1\ntitle: x\nstatus: bad\n---\nstatus: in the body\n';
    expect(frontMatterLine(text, 'status')).toBe(4);
    expect(frontMatterLine(text, 'priority')).toBe(1);
    expect(frontMatterLine('version: 1\ndefault_status: x\n', 'default_status')).toBe(2);
  });
});

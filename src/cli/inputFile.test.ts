import { describe, expect, it } from 'vitest';
import { parseJsonItems } from './inputFile.js';

describe('parseJsonItems', () => {
  it('reads a JSON array, a single object, or JSON lines', () => {
    expect(parseJsonItems('[{"op":"a"},{"op":"b"}]', 'f')).toEqual([{ op: 'a' }, { op: 'b' }]);
    expect(parseJsonItems('{\n  "op": "a"\n}\n', 'f')).toEqual([{ op: 'a' }]);
    expect(parseJsonItems('{"op":"a"}\n\n{"op":"b"}\n', 'f')).toEqual([{ op: 'a' }, { op: 'b' }]);
  });

  it('names the line of a malformed JSON line and refuses non-objects', () => {
    expect(() => parseJsonItems('{"op":"a"}\n{nope}\n', 'ops.jsonl')).toThrow(/^ops\.jsonl:2: invalid JSON/);
    expect(() => parseJsonItems('[{"op":"a"},', 'f')).toThrow(/f: invalid JSON/);
    expect(() => parseJsonItems('["x"]', 'f')).toThrow(/item 1: expected a JSON object/);
    expect(() => parseJsonItems('  \n', 'f')).toThrow(/empty/);
  });
});

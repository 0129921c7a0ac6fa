import { describe, expect, it } from 'vitest';
import { parseMentions } from './commitMentions.js';

const p = (msg: string) => parseMentions(msg, ['tk']);

describe('parseMentions', () => {
  it('links a bare mention and closes after a closing word, any case', () => {
    expect(p('Parser: handle comments (tk-3fa9)')).toEqual([{ id: 'tk-3fa9', closes: false }]);
    for (const w of [
      'fixes',
      'Fixes',
      'FIXED',
      'fix',
      'closes',
      'close',
      'closed',
      'resolves',
      'Resolved',
      'completes',
      'complete',
    ]) {
      expect(p(`${w} tk-3fa9`), w).toEqual([{ id: 'tk-3fa9', closes: true }]);
    }
  });

  it('reads trailers and lists after a closing word', () => {
    expect(p('Parser fix\n\nFixes: TK-3FA9\n')).toEqual([{ id: 'tk-3fa9', closes: true }]);
    expect(p('closes tk-aaaa, tk-bbbb and tk-cccc & tk-dddd')).toEqual(
      ['tk-aaaa', 'tk-bbbb', 'tk-cccc', 'tk-dddd'].map((id) => ({ id, closes: true })),
    );
    expect(p('fixes #tk-aaaa')).toEqual([{ id: 'tk-aaaa', closes: true }]);
  });

  it('link words only link, and end a closing list', () => {
    expect(p('refs tk-aaaa; part of tk-bbbb, towards tk-cccc')).toEqual(
      ['tk-aaaa', 'tk-bbbb', 'tk-cccc'].map((id) => ({ id, closes: false })),
    );
    expect(p('fixes tk-aaaa, refs tk-bbbb')).toEqual([
      { id: 'tk-aaaa', closes: true },
      { id: 'tk-bbbb', closes: false },
    ]);
  });

  it('ignores other prefixes, short fragments, words that merely contain a closing word', () => {
    expect(p('prefixes tk-aaaa')).toEqual([{ id: 'tk-aaaa', closes: false }]);
    expect(p('fixes bug-aaaa and tk-ab and xtk-aaaa')).toEqual([]);
    expect(p('fixes the tk-aaaa bug')).toEqual([{ id: 'tk-aaaa', closes: false }]);
  });

  it('reports each id once; closing wins over an earlier plain mention', () => {
    expect(p('tk-aaaa: parser\n\nFixes tk-aaaa')).toEqual([{ id: 'tk-aaaa', closes: true }]);
    expect(parseMentions('fixes bd-a1b2', ['tk', 'bd'])).toEqual([{ id: 'bd-a1b2', closes: true }]);
  });
});

describe('closing words that do not close', () => {
  it('said negatively', () => {
    for (const msg of [
      'do not close tk-3fa9 until the docs land',
      "don't fix tk-3fa9 here",
      'Never closes tk-3fa9',
      'not yet fixed tk-3fa9',
    ])
      expect(p(msg), msg).toEqual([{ id: 'tk-3fa9', closes: false }]);
    expect(p('fixes tk-3fa9, not closing tk-aaaa')).toEqual([
      { id: 'tk-3fa9', closes: true },
      { id: 'tk-aaaa', closes: false },
    ]);
  });

  it('quoted by git revert', () => {
    expect(p('Revert "Fix tk-3fa9"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n')).toEqual([
      { id: 'tk-3fa9', closes: false },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { extractRefs } from './bodyRefs.js';

const sorted = (xs: string[]) => [...xs].sort();

describe('extractRefs', () => {
  it('finds #tags in text, lower-cased, once each', () => {
    const r = extractRefs('Fix the #parser bug (#Regression), see #ui/forms.\n#parser again; #v2-beta!');
    expect(sorted(r.tags)).toEqual(['parser', 'regression', 'ui/forms', 'v2-beta']);
  });

  it('headings are not tags', () => {
    const r = extractRefs('# Title\n## Acceptance\n###Not-a-heading-either\ntext #real');
    expect(r.tags).toEqual(['real']);
  });

  it('no tags inside fenced code blocks or inline code', () => {
    const md = [
      'Before #outside',
      '```c',
      '#include <stdio.h>',
      '#define X 1',
      '```',
      '~~~',
      '#tilde-fenced',
      '~~~',
      'Inline `#notatag` and `+tk-abcd1234` here',
      'after #after',
    ].join('\n');
    const r = extractRefs(md);
    expect(sorted(r.tags)).toEqual(['after', 'outside']);
    expect(r.tickets).toEqual([]);
  });

  it('does not take #123, url fragments or mid-word hashes as tags', () => {
    const r = extractRefs('issue #123 and https://x.org/page#section and a#b, C# code');
    expect(r.tags).toEqual([]);
  });

  it('+tk-xxxx links to tickets', () => {
    const r = extractRefs('see +tk-3fa9, also (+tk-abcd1234) and x+tk-nope1 and +tk-ab');
    expect(sorted(r.tickets)).toEqual(['tk-3fa9', 'tk-abcd1234']);
  });

  it('[[tk-..]] links a ticket, [[docs/x.md]] a doc, with optional |label', () => {
    const r = extractRefs(
      'Spec in [[docs/specs/parser.md]] and [[docs/x.md|the X doc]]; depends on [[tk-77c1]] and [[ tk-1a2b ]].',
    );
    expect(sorted(r.tickets)).toEqual(['tk-1a2b', 'tk-77c1']);
    expect(sorted(r.docs)).toEqual(['docs/specs/parser.md', 'docs/x.md']);
  });

  it('the example body of the design', () => {
    const r = extractRefs(
      'The parser drops `// trailing` comments. #regression, see +tk-1a2b.\n\n## Acceptance\n- [ ] all fixtures round-trip\n',
    );
    expect(r).toEqual({ tags: ['regression'], tickets: ['tk-1a2b'], docs: [] });
  });

  it('an empty body has no refs', () => {
    expect(extractRefs('')).toEqual({ tags: [], tickets: [], docs: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { acceptanceSection, briefMarkdown, withoutAcceptance, type Brief } from './briefText.js';

const BODY = '# Goal\n\nBuild it.\n\n## Acceptance criteria\n\n- a\n- b\n\n## Notes\n\nlater\n';

describe('acceptance sections', () => {
  it('finds the section up to the next heading of its level', () => {
    expect(acceptanceSection(BODY)).toBe('- a\n- b');
    expect(withoutAcceptance(BODY)).toBe('# Goal\n\nBuild it.\n\n## Notes\n\nlater');
  });
  it('reads "Done when" too, and nothing when absent', () => {
    expect(acceptanceSection('text\n### Done when\nit ships')).toBe('it ships');
    expect(acceptanceSection('no criteria here')).toBeNull();
  });
});

describe('briefMarkdown', () => {
  const brief: Brief = {
    ticket: {
      id: 'tk-1',
      title: 'Do it',
      status: 'todo',
      category: 'unstarted',
      type: 'task',
      priority: 'high',
      assignee: null,
      audience: 'agent',
      labels: [],
      description: BODY,
    },
    acceptance: '- a\n- b',
    parents: [
      { id: 'tk-0', title: 'Epic', status: 'todo', category: 'unstarted', type: 'epic', description: '# Why\nbecause' },
    ],
    docs: [{ path: 'docs/x.md', title: 'X', body: '# X\n\ncontent', linked_by: 'tk-1' }],
    blocked_by: [{ id: 'tk-2', title: 'First', status: 'done', category: 'completed', type: 'task' }],
    blocks: [],
    children: [],
    discovered_from: [],
    discovered: [],
    branch: 'main',
    commits: [],
    range: null,
    questions: [{ question: { author: 'bot', created: '2026-01-01T00:00:00Z', text: 'which?' }, answer: null }],
    reviews: [],
    comments: [],
  };
  const md = briefMarkdown(brief);
  it("keeps one outline: embedded headings move below the brief's own", () => {
    expect(md.split('\n').filter((l) => l.startsWith('# '))).toEqual(['# tk-1: Do it']);
    expect(md).toContain('## Goal');
    expect(md).toContain('#### Why');
    expect(md).toContain('### X');
  });
  it('says what is done and what is still open', () => {
    expect(md).toContain('- all finished: it can start now');
    expect(md).toContain('(not answered yet)');
    expect(md.match(/- a\n- b/g)?.length).toBe(1);
  });
  it('with a budget, cuts long linked docs and says where to read on; the task stays whole', () => {
    const spec = Array.from({ length: 800 }, (_, i) => `Line ${i} of the spec, long enough to count.`).join('\n');
    const big = {
      ...brief,
      docs: [...brief.docs, { path: 'docs/spec.md', title: 'Spec', body: spec, linked_by: 'tk-0' }],
    };
    const whole = briefMarkdown(big);
    expect(Buffer.byteLength(whole)).toBeGreaterThan(35_000);
    const cut = briefMarkdown(big, 12_000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(12_500);
    expect(cut).toContain('## Goal');
    expect(cut).toContain('content'); // the short doc is whole
    const m =
      /\[… cut: (\d+) of (\d+) characters shown; read on with the docs tool \{path: "docs\/spec.md", offset: (\d+)\}/.exec(
        cut,
      );
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(spec.length);
    expect(spec.slice(Number(m![3])).startsWith('\nLine')).toBe(true);
    expect(briefMarkdown(big, 0)).toBe(whole);
    expect(briefMarkdown(brief, 12_000)).toBe(md);
  });
});

import { describe, expect, it } from 'vitest';
import { backlogTime, parseBacklogFile, splitComments, taskNumber } from './backlogImport.js';

describe('Backlog.md files', () => {
  it('reads `assignee: @name`, which is not valid YAML', () => {
    const f = parseBacklogFile('---\nid: task-1\nassignee: @MrLesk\nlabels:\n  - @x\n---\nBody\n', 'f.md');
    expect(f.fields).toEqual({ id: 'task-1', assignee: '@MrLesk', labels: ['@x'] });
    expect(f.body).toBe('Body\n');
  });

  it('dates become ISO times; ids of any era compare by number', () => {
    expect(backlogTime('2026-08-17 07:26')).toBe('2026-08-17T07:26:00Z');
    expect(backlogTime('2025-06-09')).toBe('2025-06-09T00:00:00Z');
    expect(backlogTime('yesterday')).toBeNull();
    expect(taskNumber('task-012')).toBe(taskNumber('BACK-12'));
    expect(taskNumber('back-355.01')).toBe('task:355.01');
    expect(taskNumber('DRAFT-1')).not.toBe(taskNumber('BACK-1'));
  });

  it('a comments block becomes comments; an unexpected one stays in the body', () => {
    const body =
      'Text\n\n<!-- COMMENTS:BEGIN -->\nauthor: @a\ncreated: 2026-07-09 22:13\n---\nhello\n---\n\nauthor: @b\ncreated: 2026-07-10 01:00\n---\nworld\n---\n<!-- COMMENTS:END -->\n';
    const r = splitComments(body);
    expect(r.body).toBe('Text\n');
    expect(r.comments).toEqual([
      { id: 'bl-1', author: '@a', created: '2026-07-09T22:13:00Z', text: 'hello' },
      { id: 'bl-2', author: '@b', created: '2026-07-10T01:00:00Z', text: 'world' },
    ]);
    const odd = 'x\n<!-- COMMENTS:BEGIN -->\nsomething else\n<!-- COMMENTS:END -->\n';
    expect(splitComments(odd)).toEqual({ body: odd, comments: [] });
  });
});

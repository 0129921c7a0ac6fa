import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyParts, formatTaskList, parseTaskList, statusTag, taskBody } from './tasksMarkdown.js';

const TASKS = readFileSync(resolve(__dirname, '../../test/fixtures/shared/data/markdown/TASKS.md'), 'utf8');

describe('parseTaskList', () => {
  const list = parseTaskList(TASKS);

  it('finds milestones (## sections with tickets) and their ### tickets', () => {
    expect(list.title).toBe('Mynth — Tasks (repo tracker)');
    expect(list.milestones.map((m) => m.key)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7']);
    expect(list.milestones[0].name).toBe('Foundations');
    const t = list.milestones[0].tickets[1];
    expect(t).toMatchObject({
      key: 'M0-T2',
      title: 'Global config file (`config.toml`)',
      status: 'DONE',
      goal: 'Define and implement a global TOML config file with typed access.',
    });
    expect(t.acceptance).toHaveLength(4);
    expect(list.milestones[5].tickets[1]).toMatchObject({
      key: 'M5-T2',
      status: 'BACKLOG',
      goal: null,
      acceptance: [],
      notes: '',
    });
  });

  it('reads dependencies and keeps other lines as notes; headings in code fences are text', () => {
    const l = parseTaskList(
      '## A — One\n### A-1 — x\n- Status: NEXT\n- Blocked by: `A-2`, A-3\nfree text\n```\n### not a ticket\n```\n',
    );
    expect(l.milestones[0].tickets).toHaveLength(1);
    expect(l.milestones[0].tickets[0]).toMatchObject({
      status: 'NEXT',
      dependsOn: ['A-2', 'A-3'],
      notes: 'free text\n```\n### not a ticket\n```',
    });
  });

  it('formats back to the same tickets', () => {
    expect(parseTaskList(formatTaskList(list)).milestones).toEqual(list.milestones);
  });
});

describe('bodies and tags', () => {
  it('taskBody and bodyParts are inverse', () => {
    const parts = { goal: 'Ship it.', acceptance: ['a', 'b `c`'], notes: 'free\n\ntext' };
    expect(bodyParts(taskBody(parts))).toEqual(parts);
    expect(bodyParts('')).toEqual({ goal: null, acceptance: [], notes: '' });
  });

  it('bodies written in Tack: checkboxes become bullets, other headings become notes', () => {
    expect(bodyParts('Intro\n\n## Acceptance\n\n- [x] done\n- [ ] open\n\n## Design\n\nmore')).toEqual({
      goal: null,
      acceptance: ['done', 'open'],
      notes: 'Intro\n\n**Design**\n\nmore',
    });
  });

  it('status tags: the five known ones, else the state name upper-cased', () => {
    expect(['backlog', 'todo', 'in-progress', 'blocked', 'done', 'in-review'].map(statusTag)).toEqual([
      'BACKLOG',
      'NEXT',
      'IN_PROGRESS',
      'BLOCKED',
      'DONE',
      'IN_REVIEW',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';
import { parse } from 'yaml';
import { addToSchema } from './schemaAdditions.js';

describe('addToSchema', () => {
  const schema = parseSchema(parse(DEFAULT_SCHEMA_YAML));

  it('adds only what is missing, keeping the comments of schema.yaml', () => {
    const r = addToSchema(DEFAULT_SCHEMA_YAML, schema, {
      types: ['task', 'chore'],
      states: [
        { name: 'todo', category: 'unstarted' },
        { name: 'hooked', category: 'started' },
      ],
      priorities: ['none'],
      relations: [
        { name: 'blocks', inverse: 'blocked_by' },
        { name: 'discovered_from', inverse: 'discovered' },
        { name: 'tracks', inverse: 'tracked_by' },
      ],
      projects: [
        { key: 'M0', name: 'Foundations' },
        { key: 'm-1', name: 'CLI', description: 'line one\nline two' },
      ],
    });
    expect(r.notes).toEqual([
      'added type chore',
      'added state hooked (category started)',
      'added relation tracks (inverse tracked_by)',
      'added project M0 (Foundations)',
      'added project m-1 (CLI)',
    ]);
    expect(r.text).toContain('# Tack metaschema');
    const after = parseSchema(parse(r.text!));
    expect(after.types).toContain('chore');
    expect(after.states).toContainEqual({ name: 'hooked', category: 'started' });
    // discovered_from is in the default schema already: only tracks is new.
    expect(after.relations).toContainEqual({ name: 'tracks', inverse: 'tracked_by', acyclic: false });
    expect(after.projects).toEqual([
      { key: 'M0', name: 'Foundations' },
      { key: 'm-1', name: 'CLI', description: 'line one\nline two' },
    ]);
  });

  it('returns no text when nothing is missing', () => {
    expect(
      addToSchema(DEFAULT_SCHEMA_YAML, schema, {
        types: ['bug'],
        states: [],
        priorities: ['high'],
        relations: [],
        projects: [],
      }),
    ).toEqual({ text: null, notes: [] });
  });
});

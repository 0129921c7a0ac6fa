import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';
import { missingAgentSchema } from './agentShared.js';
import { agentSchemaText } from './agentSchemaPatch.js';

const OLD = `# my schema
version: 1
id_prefix: tk
types: [task, bug]
states:
  - { name: todo, category: unstarted }
  - { name: doing, category: started }
  - { name: done, category: completed }
# keep this comment
fields:
  estimate: { type: number }
`;

describe('agentSchemaText', () => {
  it('leaves the default schema alone: it has everything', () => {
    const schema = parseSchema(parse(DEFAULT_SCHEMA_YAML));
    expect(missingAgentSchema(schema)).toEqual([]);
    expect(agentSchemaText(DEFAULT_SCHEMA_YAML, schema)).toBeNull();
  });

  it('adds every missing piece to an old schema, keeping its content and comments', () => {
    const before = parseSchema(parse(OLD));
    expect(missingAgentSchema(before).length).toBe(7);
    const res = agentSchemaText(OLD, before)!;
    const after = parseSchema(parse(res.text));
    expect(missingAgentSchema(after)).toEqual([]);
    expect(after.states.map((s) => s.name)).toEqual(['todo', 'needs-context', 'doing', 'in-review', 'done']);
    expect(after.states.find((s) => s.name === 'needs-context')).toMatchObject({
      category: 'unstarted',
      waiting: true,
    });
    expect(after.relations.map((r) => r.name)).toEqual(['blocks', 'discovered_from', 'reviews']);
    expect(after.fields.map((f) => f.name)).toEqual(['estimate', 'audience', 'verdict']);
    expect(after.types).toEqual(['task', 'bug', 'review']);
    expect(res.text).toContain('# keep this comment');
    expect(res.text.startsWith('# my schema\n')).toBe(true);
    expect(agentSchemaText(res.text, after)).toBeNull();
  });
});

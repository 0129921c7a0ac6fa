import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';
import { meAs, meInList, parseFieldAssignments } from './ticketInput.js';

describe('"me"', () => {
  const user = () => 'ann';

  it('is the acting user where a user is expected', () => {
    expect(meAs('me', user)).toBe('ann');
    expect(meAs('bob', user)).toBe('bob');
    expect(meAs(null, user)).toBeNull();
    expect(meInList(['me', 'none'], user)).toEqual(['ann', 'none']);
  });

  it('in a custom field of type user, not in a string field', () => {
    const raw = parseYaml(DEFAULT_SCHEMA_YAML) as Record<string, unknown>;
    raw.fields = { ...(raw.fields as object), owner: { type: 'user' }, note: { type: 'string' } };
    const schema = parseSchema(raw);
    expect(parseFieldAssignments(schema, ['owner=me', 'note=me'], user)).toEqual([
      ['owner', 'ann'],
      ['note', 'me'],
    ]);
  });
});

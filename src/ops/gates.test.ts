import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';
import { ticketFromData } from '../model/ticket.js';
import { agentBreach } from './gates.js';

const schema = parseSchema(
  parse(DEFAULT_SCHEMA_YAML.replace(/^gates: .*$/m, 'gates: { complete_by: human, agent_tickets_start_in: triage }')),
);
const t = (status: string) =>
  ticketFromData(schema, { fields: { id: 'tk-a', title: 'A', status }, body: '', comments: [] });

describe('agentBreach', () => {
  it('names the rule an agent change breaks, and exempts submit and connector pulls', () => {
    expect(agentBreach(schema, t('todo'), t('done'), 'close')).toMatchObject({
      rule: 'complete_by',
      kind: 'completed',
    });
    expect(agentBreach(schema, t('done'), t('done'), 'comment')).toBeNull();
    expect(agentBreach(schema, t('todo'), t('canceled'), 'update')).toBeNull();
    expect(agentBreach(schema, null, t('todo'), 'create')).toMatchObject({
      rule: 'agent_tickets_start_in',
      kind: 'created',
    });
    expect(agentBreach(schema, null, t('triage'), 'create')).toBeNull();
    expect(agentBreach(schema, null, t('todo'), 'submit')).toBeNull();
    expect(agentBreach(schema, t('triage'), t('todo'), 'update')).toMatchObject({ kind: 'left', expected: 'triage' });
    expect(agentBreach(schema, t('todo'), t('done'), 'sync-linear')).toBeNull();
    expect(agentBreach(schema, null, t('todo'), 'sync-github')).toBeNull();
  });
});

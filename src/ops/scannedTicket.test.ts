import { describe, expect, it } from 'vitest';
import { ticketFromData } from '../model/ticket.js';
import { ticketIdFromPath, ticketPath, type TicketDir, type TicketLayout } from '../model/ticketPath.js';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';

const schema = parseSchema(parseYaml(DEFAULT_SCHEMA_YAML));
const ticketOf = (fields: Record<string, unknown>) => ticketFromData(schema, { fields, body: '', comments: [] });
import { ScannedTicket, scannedFields } from './scannedTicket.js';

describe('ScannedTicket', () => {
  it('gives back the path it was found at, in each folder and layout, under any prefix', () => {
    for (const prefix of ['', '.tack/', 'plan/store/'])
      for (const dir of ['tickets', 'archive'] as TicketDir[])
        for (const layout of ['flat', 'fanout'] as TicketLayout[])
          for (const id of ['tk-3fa9', 'tk-a', 'x', 'bd-Ab_9']) {
            const rel = ticketPath(id, layout, dir);
            const loc = ticketIdFromPath(rel);
            expect(loc).not.toBe(null);
            const t = ScannedTicket.at(loc!, 'f'.repeat(40), prefix);
            expect([t.path, t.id, t.archived, t.sha]).toEqual([
              `${prefix}${rel}`,
              id,
              dir === 'archive',
              'f'.repeat(40),
            ]);
          }
  });

  it('says the id its front matter declares: the file\u2019s, another, or none before it is read', () => {
    const t = ScannedTicket.at(ticketIdFromPath('tickets/tk-ab12.md')!, 'a'.repeat(40), '');
    expect(t.declaredId).toBe(null);
    t.ticket = scannedFields(ticketOf({ id: 'tk-ab12', title: 'x' }), t.id);
    expect(t.declaredId).toBe('tk-ab12');
    t.ticket = scannedFields(ticketOf({ id: 'tk-other', title: 'x' }), t.id);
    expect(t.declaredId).toBe('tk-other');
  });
});

describe('scannedFields', () => {
  const fields = (data: Record<string, unknown>) => scannedFields(ticketOf(data), String(data.id));

  it('shares one frozen object among tickets with no references and the same status and assignee', () => {
    const a = fields({ id: 'tk-aaaa', title: 'a', status: 'todo' });
    const b = fields({ id: 'tk-bbbb', title: 'b', status: 'todo' });
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({
      parent: null,
      relations: {},
      links: [],
      category: 'unstarted',
      assignee: null,
      status: 'todo',
    });
    expect(fields({ id: 'tk-cccc', title: 'c', status: 'todo', assignee: 'ann' })).not.toBe(a);
    expect(fields({ id: 'tk-dddd', title: 'd', status: 'todo', assignee: 'ann' }).assignee).toBe('ann');
  });

  it('keeps its own fields for a ticket with references or another id than its file', () => {
    const p = fields({ id: 'tk-aaaa', title: 'a', parent: 'tk-pppp', blocks: ['tk-bbbb'], links: ['docs/x.md'] });
    expect([p.parent, p.relations, p.links, p.id]).toEqual([
      'tk-pppp',
      { blocks: ['tk-bbbb'] },
      ['docs/x.md'],
      undefined,
    ]);
    const other = scannedFields(ticketOf({ id: 'tk-zzzz', title: 'z' }), 'tk-yyyy');
    expect(other.id).toBe('tk-zzzz');
    expect(Object.isFrozen(other)).toBe(false);
  });
});

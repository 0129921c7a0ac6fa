import { describe, expect, it } from 'vitest';
import { classifySql } from './sqlStatement.js';

describe('classifySql', () => {
  it('finds the verb and the UPDATE target', () => {
    expect(classifySql("UPDATE tickets SET status = 'done'")).toEqual({ verb: 'update', table: 'tickets' });
    expect(classifySql('update "Tickets" set x = 1')).toEqual({ verb: 'update', table: 'tickets' });
    expect(classifySql('UPDATE main.tickets SET x = 1')).toEqual({ verb: 'update', table: 'tickets' });
    expect(classifySql('UPDATE OR IGNORE [tickets] SET x = 1')).toEqual({ verb: 'update', table: 'tickets' });
    expect(classifySql('UPDATE temp.tickets SET x = 1')).toEqual({ verb: 'update', table: null });
    expect(classifySql('UPDATE labels SET label = 1')).toEqual({ verb: 'update', table: 'labels' });
    expect(classifySql('SELECT * FROM tickets')).toEqual({ verb: 'select', table: null });
    expect(classifySql("DELETE FROM tickets WHERE title = 'update tickets'")).toEqual({ verb: 'delete', table: null });
  });

  it('skips comments, strings and WITH clauses', () => {
    expect(classifySql('-- update tickets\n/* update tickets */ DELETE FROM tickets')).toEqual({
      verb: 'delete',
      table: null,
    });
    expect(
      classifySql("WITH x(a) AS (SELECT 'update' FROM labels) UPDATE tickets SET status = 'done' WHERE id IN x"),
    ).toEqual({ verb: 'update', table: 'tickets' });
    expect(classifySql('WITH x AS (UPDATE tickets SET a = 1) DELETE FROM labels')).toEqual({
      verb: 'delete',
      table: null,
    });
    expect(classifySql('WITH RECURSIVE "update"(n) AS (SELECT 1) INSERT INTO labels VALUES (1, 2)').verb).toBe(
      'insert',
    );
  });
});

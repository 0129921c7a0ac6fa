import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimited } from '../../src/connectors/connector.js';
import { linearComplexity } from '../../src/connectors/linear/linearComplexity.js';
import { LinearConnector } from '../../src/connectors/linear/linearConnector.js';
import * as Q from '../../src/connectors/linear/linearQueries.js';
import { linearSchema, startLinearStandin, type LinearStandin } from '../standins/linearStandin.js';
import { scoreRequest } from '../standins/linearStandinBudget.js';

/**
 * The Linear connector within Linear's budgets, against a stand-in that scores every
 * request by Linear's complexity rules, refuses one over 10,000 points, charges the
 * hourly buckets and answers with Linear's rate-limit headers.
 */

let s: LinearStandin;
let conn: LinearConnector;

beforeEach(async () => {
  s = await startLinearStandin();
  conn = new LinearConnector({ kind: 'linear', scope: 'ENG', apiUrl: s.url }, { apiKey: 'lin_api_standin' });
});
afterEach(() => s.stop());

const maxCost = () => Math.max(...s.costs.map((c) => c.cost));

describe('Linear complexity', () => {
  it("scores every query as the stand-in does, each under Linear's 10,000 with the page sizes sent", () => {
    const vars = { first: Q.ISSUE_PAGE };
    const queries: Array<[string, string, Record<string, unknown>]> = [
      ['CHANGED', Q.CHANGED, { first: Q.ID_PAGE }],
      ['PULL', Q.PULL, vars],
      ['GET', Q.GET, {}],
      ['TEAM', Q.TEAM, {}],
      ['LABELS', Q.LABELS, {}],
      ['USERS', Q.USERS, {}],
      ['WEBHOOKS', Q.WEBHOOKS, {}],
      ['CREATE', Q.CREATE, {}],
      ['UPDATE', Q.UPDATE, {}],
      ['ARCHIVE', Q.ARCHIVE, {}],
      ['COMMENT', Q.COMMENT, {}],
      ...Object.entries(Q.ISSUE_LIST_PAGE).map(([k, q]): [string, string, Record<string, unknown>] => [k, q, {}]),
    ];
    for (const [name, q, v] of queries) {
      const ours = linearComplexity(q, v);
      expect({ name, cost: ours }).toEqual({ name, cost: scoreRequest(linearSchema(), parse(q), v) });
      expect(ours, name).toBeLessThanOrEqual(10_000);
    }
    // The largest, the detail page, stays well under the cap; an idle poll lists ids only.
    expect(linearComplexity(Q.PULL, vars)).toBeLessThan(8_500);
    expect(linearComplexity(Q.CHANGED, { first: Q.ID_PAGE })).toBeLessThan(400);
  });

  it('pulls a large team whole: lists past 25 per issue, 250 labels and users, every request under the cap', async () => {
    const ws = s.ws;
    for (let i = 0; i < 300; i++) ws.labels.push({ id: randomUUID(), name: `l-${i}`, color: '#888888' });
    for (let i = 0; i < 300; i++)
      ws.users.push({ id: randomUUID(), name: `User ${i}`, displayName: `u-${i}`, email: `u${i}@example.com` });
    const issues = Array.from({ length: 130 }, (_, i) => ws.createIssue({ teamId: ws.team.id, title: `issue ${i}` }));
    const busy = issues[7];
    ws.updateIssue(busy.id, { labelIds: ws.labels.slice(0, 40).map((l) => l.id) });
    for (let i = 0; i < 60; i++) ws.createComment({ issueId: busy.id, body: `c${i}` }, ws.users[0].id);
    for (let i = 0; i < 30; i++)
      ws.createRelation({ issueId: busy.id, relatedIssueId: issues[20 + i].id, type: 'related' });

    const page = await conn.pull(undefined);
    expect(page.items).toHaveLength(130);
    const got = page.items.find((i) => i.id === busy.id)!;
    expect(got.comments).toHaveLength(60);
    expect(got.labels).toHaveLength(40);
    expect(got.relations).toHaveLength(30);
    expect(s.invalid).toEqual([]);
    expect(maxCost()).toBeLessThanOrEqual(10_000);

    // A label and a user past the 250th are found, not created again or refused.
    const before = ws.writes.length;
    const made = await conn.create({ title: 'late', labels: ['l-280'], assignee: 'u-280' }, 'tk-late');
    expect(made).toMatchObject({ labels: ['l-280'], assignee: 'u-280' });
    expect(ws.writes.slice(before).map((w) => w.mutation)).toEqual(['issueCreate']);
    expect(ws.labels.filter((l) => l.name === 'l-280')).toHaveLength(1);
  });

  it('an idle poll costs a few hundred points, not a full page of issues', async () => {
    for (let i = 0; i < 60; i++) s.ws.createIssue({ teamId: s.ws.team.id, title: `i${i}` });
    const first = await conn.pull(undefined);
    const spent = conn.budget().spent;
    s.costs.length = 0;
    // Past the overlap window: nothing changed since the cursor.
    const idle = await conn.pull(new Date(Date.now() + 120_000).toISOString());
    expect(idle.items).toEqual([]);
    expect(s.costs.map((c) => c.operation)).toEqual(['TackChanged']);
    expect(conn.budget().spent - spent).toBe(s.costs[0].cost);
    expect(s.costs[0].cost).toBeLessThan(400);
    expect(first.items).toHaveLength(60);
  });

  it("creates issues under a UUID v4 client id (Linear's schema), the same one on every retry", async () => {
    const a = await conn.create({ title: 'A' }, 'tk-v4');
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(conn.remoteIdFor('tk-v4')).toBe(a.id);
    expect((await conn.findByMarker('tk-v4'))?.id).toBe(a.id);
    const c = await conn.addComment(a.id, 'hello', 'c-1');
    expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });

  it('reads the budget headers and waits for the reset instead of spending what is not left', async () => {
    await conn.pull(undefined);
    const b = conn.budget();
    expect(b.complexity).toMatchObject({ limit: 250_000 });
    expect(b.complexity!.remaining).toBeLessThan(250_000);
    expect(b.requests).toMatchObject({ limit: 5_000 });
    expect(b.requests!.remaining).toBeLessThan(5_000);
    expect(b.complexity!.resetAt).toBeGreaterThan(Date.now());

    s.ws.createIssue({ teamId: s.ws.team.id, title: 'x' });
    s.budget.set('complexity', 50);
    // Linear refuses a request the bucket cannot pay, with the headers that say so...
    expect(await conn.pull(undefined).catch((e: unknown) => e)).toBeInstanceOf(RateLimited);
    expect(conn.budget().complexity!.remaining).toBeLessThan(100);
    // ...and from then on the connector waits instead of sending.
    const sent = s.costs.length;
    const e = await conn.pull(undefined).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).retryAfterMs).toBeGreaterThan(0);
    expect(s.costs.length).toBe(sent);
  });
});

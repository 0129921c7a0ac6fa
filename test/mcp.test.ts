import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, tackRaw, tempRepo, tempStore, trackCleanups } from './helpers.js';
import { type CallResult, call, callError, closeClients, connect } from './mcpClient.js';

const track = trackCleanups();
afterEach(closeClients);

function resourceText(r: { contents: Array<object> }): string {
  const first = r.contents[0];
  if (!('text' in first)) throw new Error('expected a text resource');
  return String(first.text);
}

describe('tack mcp (SDK client over stdio, built CLI, real store)', () => {
  it('lists compact generated tools and resources', async () => {
    const s = tempStore();
    track(s.cleanup);
    const c = await connect(s.dir, 'agent-1');
    const list = await c.listTools();
    expect(list.tools.map((t) => t.name)).toEqual([
      'prime',
      'ready',
      'list',
      'show',
      'search',
      'create',
      'update',
      'comment',
      'link',
      'claim',
      'release',
      'reserve',
      'ask',
      'answer',
      'submit',
      'review',
      'wait',
      'close',
      'brief',
      'docs',
      'write_doc',
      'sql',
      'sync',
    ]);
    expect(Buffer.byteLength(JSON.stringify(list))).toBeLessThanOrEqual(8192);
    for (const t of list.tools) expect(typeof t.annotations?.readOnlyHint, t.name).toBe('boolean');
    const ready = list.tools.find((t) => t.name === 'ready')!;
    expect(Object.keys(ready.inputSchema.properties!)).toEqual(['for', 'type', 'label', 'limit', 'offset', 'claim']);
    const ticketTools = list.tools.filter((t) =>
      ['show', 'comment', 'claim', 'ask', 'answer', 'submit', 'review', 'brief'].includes(t.name),
    );
    for (const t of ticketTools) expect(t.inputSchema.required, t.name).toContain('id');
    expect(c.getInstructions()).toContain('tack://prime');

    const resources = await c.listResources();
    expect(resources.resources.map((r) => r.uri)).toEqual(['tack://prime', 'tack://schema']);
    const schema = await c.readResource({ uri: 'tack://schema' });
    expect(resourceText(schema)).toContain('needs-context');
  });

  it('reserve: an agent reserves files for a ticket, another is refused, brief shows it, release gives back', async () => {
    const s = tempStore();
    track(s.cleanup);
    const a1 = await connect(s.dir, 'agent-1');
    const a2 = await connect(s.dir, 'agent-2');
    const task = await call(a1, 'create', { title: 'Lexer', description: 'Rewrite `src/lex.ts`.' });
    const r = await call(a1, 'reserve', { paths: ['src/lex.ts'], id: task.id, ttl: '1h' });
    expect(r.reserved[0]).toMatchObject({ pattern: 'src/lex.ts', owner: 'agent-1', ticket: task.id });
    expect(await callError(a2, 'reserve', { paths: ['src'] })).toMatchObject({ code: 'conflict' });
    expect(await callError(a2, 'reserve', { paths: ['../etc'] })).toMatchObject({ code: 'invalid_input' });
    expect(await call(a2, 'brief', { id: task.id })).toContain('- src/lex.ts: agent-1 until');
    expect((await call(a1, 'reserve', { release: true })).released).toHaveLength(1);
    expect((await call(a2, 'reserve', { paths: ['src'] })).reserved[0].owner).toBe('agent-2');
  });

  it('runs the agent loop: create, ready+claim, ask, answer, submit, review, brief; errors carry the TackError code', async () => {
    const s = tempStore();
    track(s.cleanup);
    const agent = await connect(s.dir, 'agent-1');
    const human = await connect(s.dir, 'Test User');
    const epic = await call(human, 'create', {
      title: 'Checkout',
      type: 'epic',
      description: 'Customers pay by card.',
    });
    const task = await call(human, 'create', {
      title: 'Validate card numbers',
      parent: epic.id,
      audience: 'agent',
      priority: 'high',
      description: 'Use the Luhn check.\n\n## Acceptance criteria\n\n- invalid numbers are refused\n',
    });
    const provider = await call(human, 'create', { title: 'Choose a payment provider', audience: 'agent' });
    // Any field is settable over MCP: `field` takes name=value, typed and checked by the schema.
    await call(human, 'update', { id: provider.id, field: ['audience=human'], type: 'spec', parent: epic.id });
    expect(JSON.parse(tackRaw(s.dir, ['show', provider.id, '--json']).stdout)).toMatchObject({
      audience: 'human',
      type: 'spec',
      parent: epic.id,
    });
    const bad = await callError(human, 'update', { id: provider.id, field: ['audience=robot'] });
    expect(bad).toMatchObject({ code: 'invalid_input' });
    expect(bad.message).toMatch(/robot/);
    expect((await call(agent, 'ready', { for: 'agent' })).map((t: { id: string }) => t.id)).toEqual([task.id]);

    const claimed = await call(agent, 'ready', { for: 'agent', claim: true });
    expect(claimed.ticket).toMatchObject({ id: task.id, assignee: 'agent-1' });
    const prime = await agent.readResource({ uri: 'tack://prime' });
    const primeText = resourceText(prime);
    expect(Buffer.byteLength(primeText)).toBeLessThanOrEqual(2048);
    expect(primeText).toContain('Validate card numbers');

    const asked = await call(agent, 'ask', { id: task.id.slice(0, 7), question: 'Amex too?' });
    expect(asked.ticket).toMatchObject({ status: 'needs-context', assignee: 'Test User' });
    expect(await call(agent, 'ready', { for: 'agent' })).toEqual([]);
    const answered = await call(human, 'answer', { id: task.id, answer: 'Yes, 15 digits.' });
    expect(answered.ticket).toMatchObject({ status: 'todo', assignee: 'agent-1' });

    writeFileSync(join(s.dir, 'luhn.js'), 'module.exports = () => true;\n');
    git(s.dir, 'add', 'luhn.js');
    git(s.dir, 'commit', '-q', '-m', `Luhn check for card numbers (${task.id})`);
    const sub = await call(agent, 'submit', {
      id: task.id,
      criteria: 'Amex and Visa pass; 1234 fails',
      instructions: 'node -e "require(\'./luhn\')"',
    });
    expect(sub.ticket.status).toBe('in-review');
    expect(sub.commits).toHaveLength(1);
    const reviewed = await call(human, 'review', { id: sub.review.id, verdict: 'approve', reason: 'Tested by hand' });
    expect(reviewed).toMatchObject({ verdict: 'approved', work: task.id });
    expect((await call(human, 'list', { reviewed: 'approved' })).map((t: { id: string }) => t.id)).toEqual([task.id]);

    const brief: string = await call(agent, 'brief', { id: task.id });
    expect(brief).toContain(`# ${task.id}: Validate card numbers`);
    expect(brief).toContain('- invalid numbers are refused');
    expect(brief).toContain('Customers pay by card.');
    expect(brief).toContain('Yes, 15 digits.');
    expect(brief).toContain('Luhn check for card numbers');

    expect(await callError(agent, 'show', { id: 'tk-nope' })).toMatchObject({ code: 'not_found' });
    expect((await callError(agent, 'ask', { id: task.id })).code).toBe('invalid_input');
    expect((await callError(agent, 'show', { id: task.id, history: true })).message).toContain(
      'unknown argument "history"',
    );
    const count = await call(agent, 'sql', { query: 'SELECT count(*) AS n FROM tickets' });
    expect(JSON.stringify(count)).toContain('4');
    const write = await callError(agent, 'sql', { query: `UPDATE tickets SET title = 'x' WHERE id = '${task.id}'` });
    expect(write.code).not.toBe('internal');
    expect(tackRaw(s.dir, ['show', task.id, '--json']).stdout).toContain('Validate card numbers');
  });
});

describe('tack mcp: comments', () => {
  it('comment adds, edits and deletes (author only), and refuses a delete without its comment id', async () => {
    const s = tempStore();
    track(s.cleanup);
    const agent = await connect(s.dir, 'agent-1');
    const other = await connect(s.dir, 'agent-2');
    const t = await call(agent, 'create', { title: 'Parser' });
    const added = await call(agent, 'comment', { id: t.id, text: 'first words' });
    const cid: string = added.comment.id;
    const edited = await call(agent, 'comment', { id: t.id, comment: cid, text: 'better words' });
    expect(edited.comment).toMatchObject({ id: cid, text: 'better words' });
    // Nobody rewrites another's words, over MCP as anywhere.
    expect(await callError(other, 'comment', { id: t.id, comment: cid, delete: true })).toMatchObject({
      code: 'forbidden',
    });
    expect((await callError(agent, 'comment', { id: t.id, delete: true })).message).toMatch(/needs comment/);
    expect(await callError(agent, 'comment', { id: t.id, comment: cid })).toMatchObject({ code: 'invalid_input' });
    expect((await callError(agent, 'comment', { id: t.id, comment: cid, text: 'x', delete: true })).message).toMatch(
      /received both/,
    );
    expect(await call(agent, 'comment', { id: t.id, comment: cid, delete: true })).toMatchObject({
      comment: cid,
      deleted: true,
    });
    const shown = JSON.parse(tackRaw(s.dir, ['show', t.id, '--json']).stdout);
    expect(JSON.stringify(shown.comments ?? [])).not.toContain('better words');
  });
});

describe('tack mcp and workspaces', () => {
  it('sees `tack workspace add` made while it runs, without a restart', async () => {
    const app = tempStore();
    const plan = tempStore();
    track(app.cleanup);
    track(plan.cleanup);
    const p = JSON.parse(tackRaw(plan.dir, ['create', 'Planned', '--json']).stdout);
    const c = await connect(app.dir, 'agent-1');
    expect(await call(c, 'list')).toEqual([]);
    expect(tackRaw(app.dir, ['workspace', 'add', plan.dir, '--name', 'plan']).status).toBe(0);
    expect((await call(c, 'list')).map((t: { id: string; source: string }) => [t.source, t.id])).toEqual([
      ['plan', p.id],
    ]);
  });
});

describe('tack mcp: complete and honest', () => {
  it('starts in a repository without a store, and every tool says how to make one', async () => {
    const r = tempRepo();
    track(r.cleanup);
    const c = await connect(r.dir, 'agent-1');
    expect((await c.listTools()).tools.length).toBeGreaterThan(10);
    for (const name of ['prime', 'list', 'ready']) {
      const err = await callError(c, name, {});
      expect(err.code, name).toBe('no_store');
      expect(err.message, name).toContain('tack init');
    }
    await expect(c.readResource({ uri: 'tack://prime' })).rejects.toThrow(/tack init/);
  });

  it('answers protocol errors with their JSON-RPC codes and refuses mistyped arguments', async () => {
    const s = tempStore();
    track(s.cleanup);
    const c = await connect(s.dir, 'agent-1');
    await expect(c.readResource({ uri: 'tack://nope' })).rejects.toMatchObject({ code: -32002 });
    await expect(c.callTool({ name: 'nope', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    tackRaw(s.dir, ['create', 'Ready work']);
    const err = await callError(c, 'ready', { claim: 'true' });
    expect(err).toMatchObject({ code: 'invalid_input' });
    expect(err.message).toContain('"claim" must be a boolean; received a string ("true")');
    expect(JSON.parse(tackRaw(s.dir, ['list', '--json']).stdout)[0].assignee).toBeNull(); // nothing was claimed

    // No answer is unbounded: a ticket with a 50 KB description is shown cut, with a note.
    const huge = await call(c, 'create', { title: 'Huge', description: 'word '.repeat(10_000) });
    const shown = (await c.callTool({ name: 'show', arguments: { id: huge.id } })) as CallResult;
    expect(shown.isError).toBeFalsy();
    expect(Buffer.byteLength(shown.content[0].text)).toBeLessThanOrEqual(32_000);
    expect(shown.content[1].text).toMatch(/^answer cut at \d+ of \d+ characters: ask for less/);
  });

  it('primes, closes with a resolution, reads and writes docs in parts, and bounds a brief', async () => {
    const s = tempStore();
    track(s.cleanup);
    const c = await connect(s.dir, 'agent-1');
    const spec = Array.from({ length: 1500 }, (_, i) => `Line ${i}: the parser keeps every token it reads.`).join('\n');
    expect(await call(c, 'write_doc', { path: 'specs/parser.md', text: `# Parser\n\n${spec}` })).toMatchObject({
      path: 'docs/specs/parser.md',
      created: true,
    });
    const t = await call(c, 'create', { title: 'Parse input', link: ['docs/specs/parser.md'] });
    expect(await call(c, 'prime')).toContain('Parse input');

    const brief: string = await call(c, 'brief', { id: t.id });
    expect(Buffer.byteLength(`# Parser\n\n${spec}`)).toBeGreaterThan(70_000);
    expect(Buffer.byteLength(brief)).toBeLessThanOrEqual(12_500);
    expect(brief).toMatch(/read on with the docs tool \{path: "docs\/specs\/parser.md", offset: \d+\}/);

    const docs = await call(c, 'docs');
    expect(docs.map((d: { path: string }) => d.path)).toEqual(['docs/specs/parser.md']);
    let text = '';
    let offset: number | null = 0;
    for (let parts = 0; offset !== null; parts++) {
      expect(parts).toBeLessThan(10);
      const part: { body: string; next_offset: number | null } = await call(c, 'docs', {
        path: 'specs/parser.md',
        offset,
      });
      expect(Buffer.byteLength(part.body)).toBeLessThanOrEqual(16_000);
      text += part.body;
      offset = part.next_offset;
    }
    expect(text).toBe(`# Parser\n\n${spec}\n`);

    const closed = await call(c, 'close', { id: t.id, reason: 'Done: the parser is in' });
    expect(closed.tickets[0]).toMatchObject({ id: t.id });
    expect(JSON.parse(tackRaw(s.dir, ['show', t.id, '--json']).stdout)).toMatchObject({
      resolution: 'Done: the parser is in',
    });
    expect((await callError(c, 'close', { id: 'tk-nope' })).code).toBe('not_found');
  });
});

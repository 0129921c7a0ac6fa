import { afterEach, describe, expect, it } from 'vitest';
import { git, tackRaw, trackCleanups } from './helpers.js';
import { call, callError, closeClients, connect } from './mcpClient.js';
import { tackEnv, tackEnvJson } from './storeFiles.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * Issue 18's fleet, end to end: two agents (the MCP SDK's client against `tack mcp`) and a
 * human (the CLI), each in a clone of one bare remote. Claim, reserve, ask, wait, answer,
 * submit, a refused self-approval, a human approval, an expired claim resurfacing; each
 * step seen by the others after their sync.
 */

const track = trackCleanups();
afterEach(closeClients);

const human = (dir: string, ...args: string[]) => tackEnv(dir, { TACK_USER: 'ann' }, ...args);
const humanJson = (dir: string, ...args: string[]) => tackEnvJson(dir, { TACK_USER: 'ann' }, ...args);

describe('a fleet: two agents over MCP and a human, three clones of one remote', () => {
  it('claims, reserves, asks, waits, is answered, submits, cannot approve itself, is approved; an expired claim resurfaces', async () => {
    const r = remoteWithStore(track);
    const [a, b, c] = [r.clone(), r.clone(), r.clone()];
    const parser = humanJson(c, 'create', 'Parser keeps comments', '--audience', 'agent', '-p', 'high').id as string;
    const lexer = humanJson(c, 'create', 'Lexer handles tabs', '--audience', 'agent').id as string;
    human(c, 'sync');

    const one = await connect(a, 'agent-1', { TACK_AGENT: 'agent-1' });
    const two = await connect(b, 'agent-2', { TACK_AGENT: 'agent-2' });
    await call(one, 'sync');
    await call(two, 'sync');

    // agent-1 takes the top ready work (the high-priority parser) and reserves its files.
    const taken = await call(one, 'ready', { for: 'agent', claim: true });
    expect(taken.id ?? taken.ticket?.id).toBe(parser);
    await call(one, 'reserve', { paths: ['src/parser'], id: parser, ttl: '1h' });
    // agent-2 cannot claim it nor reserve the same files: claims and reservations are exclusive across clones.
    expect((await callError(two, 'claim', { id: parser })).code).toBe('conflict');
    expect((await callError(two, 'reserve', { paths: ['src/parser/grammar.ts'] })).code).toBe('conflict');

    // agent-1 asks; a wait for the answer times out while nobody has answered.
    await call(one, 'ask', { id: parser, question: 'Keep comments inside string literals too?' });
    await call(one, 'sync');
    const early = await call(one, 'wait', { answered: parser, timeout: 1 });
    expect(early.timedOut).toBe(true);

    // The human sees the question after a sync and answers it.
    human(c, 'sync');
    expect(humanJson(c, 'show', parser).status).toBe('needs-context');
    human(c, 'answer', parser, 'No: string literals stay as they are.');
    human(c, 'sync');

    // agent-1 sees the answer after its sync, and prime says so.
    await call(one, 'sync');
    const answered = await call(one, 'wait', { answered: parser, timeout: 5 });
    expect(answered).toMatchObject({ held: 'answered', timedOut: false });
    expect(await call(one, 'prime')).toMatch(/Answered or rejected[\s\S]*answered by ann/);

    // agent-1 does the work and submits it; the claim goes with the submission.
    await call(one, 'claim', { id: parser });
    const submitted = await call(one, 'submit', {
      id: parser,
      criteria: 'comments survive a round trip',
      instructions: 'run the parser tests',
    });
    expect(submitted.released).toContain(parser);
    await call(one, 'sync');

    // It cannot approve its own work, on any surface.
    const refused = await callError(one, 'review', { id: parser, verdict: 'approve' });
    expect(refused.code).toBe('gate_refused');
    expect(refused.message).toMatch(/self_review/);

    // The human approves; everyone sees the work done after a sync.
    human(c, 'sync');
    human(c, 'review', parser, 'approve');
    human(c, 'sync');
    await call(two, 'sync');
    const done = await call(two, 'show', { id: parser });
    expect(done.category).toBe('completed');
    expect(done.verdict).toBe('approved');

    // The agent's changes carry who made them: agent-1, over MCP (the SDK client's name).
    git(c, 'fetch', '-q', 'origin');
    const trailers = git(c, 'log', '--format=%(trailers:key=Tack-Agent,valueonly)', 'origin/tack');
    expect(trailers).toContain('agent-1');

    // agent-2 claims the lexer and goes away; two hours later its claim has expired and the
    // ticket is back in ready for agent-1, saying whose claim expired.
    await call(two, 'claim', { id: lexer, for: '1h' });
    await call(two, 'sync');
    const later = new Date(Date.now() + 3 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    tackEnv(a, { TACK_USER: 'agent-1', TACK_NOW: later }, 'sync');
    const ready = JSON.parse(tackRaw(a, ['ready', '--json'], { TACK_USER: 'agent-1', TACK_NOW: later }).stdout);
    const back = (ready.items ?? ready).find((t: { id: string }) => t.id === lexer);
    expect(back?.expired_claim?.owner).toBe('agent-2');
  }, 240_000);
});

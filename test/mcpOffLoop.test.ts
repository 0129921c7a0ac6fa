import { afterEach, describe, expect, it } from 'vitest';
import { git, tackJson, tempStore, trackCleanups, waitFor } from './helpers.js';
import { startMcp, type McpProc } from './mcpProcess.js';
import { type SlowGit, slowGit } from './slowGit.js';

/*
 * `tack mcp` keeps git off its event loop as the server does (issue 13): a write runs in the
 * write lane (as the client: its provenance goes with it), a read that runs git in the read
 * lane, an index refresh in the refresh lane. Its git sleeps 4 s on the subcommand a test
 * names; meanwhile another call answers.
 */

const track = trackCleanups();
const running: McpProc[] = [];
afterEach(() => {
  for (const m of running.splice(0)) m.proc.kill('SIGKILL');
});

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  tackJson(s.dir, 'create', 'Alpha');
  return s.dir;
}

function mcp(dir: string, env: Record<string, string>): McpProc {
  const m = startMcp(dir, env);
  running.push(m);
  return m;
}

/** The text of the answer to request `id`. */
function answerOf(m: McpProc, id: number): string {
  const line = m
    .out()
    .split('\n')
    .find((l) => l.includes(`"id":${id}}`) || l.includes(`"id":${id},`));
  const res = JSON.parse(line!) as { result: { content: Array<{ text: string }>; isError?: boolean } };
  expect(res.result.isError, line).toBeFalsy();
  return res.result.content[0].text;
}

const call = (m: McpProc, id: number, name: string, args: object = {}) =>
  m.send({ id, method: 'tools/call', params: { name, arguments: args } });

/**
 * Send `id` once the slowed git sleeps, and say whether its answer came while git still slept:
 * git on the loop would hold the answer past the sleep, however fast the machine.
 */
async function answeredMeanwhile(m: McpProc, g: SlowGit, id: number, send: () => void): Promise<boolean> {
  await waitFor('the slowed git to start', g.started, 20_000).catch((e) => {
    throw new Error(`${e.message}: ${m.err()}`);
  });
  send();
  await waitFor(`the answer to ${id}`, () => m.answered(id), 20_000);
  return !g.slept();
}

describe('tack mcp: git off the event loop', () => {
  it('a write runs in the write lane, as the client: a read answers while its git is slow', async () => {
    const dir = store();
    const g = slowGit(track);
    const m = mcp(dir, { ...g.env, TACK_AGENT: 'agent-7' });
    call(m, 2, 'list'); // the index is open and the lanes idle before git slows
    await waitFor('the first list', () => m.answered(2), 15_000);
    g.slow('update-ref');
    call(m, 3, 'create', { title: 'Beta' });
    expect(await answeredMeanwhile(m, g, 4, () => call(m, 4, 'list')), 'answered while git slept').toBe(true);
    expect(m.answered(3)).toBe(false);
    await waitFor('the create', () => m.answered(3), 20_000);
    const id = JSON.parse(answerOf(m, 3)).id as string;
    // The lane wrote as this client: its harness and agent name are the commit's.
    const trailers = git(dir, 'log', '-1', '--format=%(trailers)', 'tack');
    expect(trailers).toContain(`Tack-Ticket: ${id}`);
    expect(trailers).toContain('Tack-Harness: test/1');
    expect(trailers).toContain('Tack-Agent: agent-7');
    expect(m.err()).not.toMatch(/\n\s+at /);
  });

  it('a read that runs git (brief) runs in the read lane: another call answers meanwhile', async () => {
    const dir = store();
    const id = (tackJson(dir, 'list') as Array<{ id: string }>)[0].id;
    const g = slowGit(track);
    const m = mcp(dir, g.env);
    call(m, 2, 'list');
    await waitFor('the first list', () => m.answered(2), 15_000);
    g.slow('log'); // a brief reads the commits that mention its ticket
    call(m, 3, 'brief', { id });
    expect(await answeredMeanwhile(m, g, 4, () => call(m, 4, 'show', { id })), 'answered while git slept').toBe(true);
    await waitFor('the brief', () => m.answered(3), 20_000);
    expect(answerOf(m, 3)).toContain('Alpha');
  });

  it('an index refresh runs in the refresh lane: a ref moved by plain git never holds the process', async () => {
    const dir = store();
    tackJson(dir, 'create', 'Beta');
    const g = slowGit(track);
    const m = mcp(dir, g.env);
    call(m, 2, 'list');
    await waitFor('the first list', () => m.answered(2), 15_000);
    g.slow('log');
    // Plain git moves the ref back: the index must read history again (git log), slowly.
    git(dir, 'update-ref', 'refs/heads/tack', 'tack~1');
    call(m, 3, 'list');
    expect(
      await answeredMeanwhile(m, g, 4, () => m.send({ id: 4, method: 'tools/list' })),
      'answered while git slept',
    ).toBe(true);
    await waitFor('the list after the refresh', () => m.answered(3), 20_000);
    expect((JSON.parse(answerOf(m, 3)) as Array<{ title: string }>).map((t) => t.title)).toEqual(['Alpha']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_HARNESS, tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { errorOf } from '../gateHelpers.js';
import { GithubStandin } from '../standins/githubStandin.js';

/*
 * Gates on connector pulls (docs/decisions.md, "A pull is checked, not refused"): a pulled
 * change records what someone did on the service, so it is applied whoever runs the sync;
 * one that breaks a gate (here an agent's account answering its own question on GitHub) is
 * reported in the pass's warnings and by `tack validate`, once, never retried or refused.
 */

const ALICE = { ...NO_HARNESS, TACK_USER: 'alice' };
const AGENT = { ...NO_HARNESS, TACK_USER: 'agent-1', TACK_AGENT: 'agent-1' };

describe('gates on connector pulls', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_gates', users: ['octocat', 'hubot'] }).start();
  });
  afterAll(() => gh.close());
  const connect = (dir: string) =>
    run(
      ALICE,
      dir,
      'connect',
      'github',
      '--repo',
      'acme/widgets',
      '--api-url',
      gh.url,
      '--api-key',
      'ghp_gates',
      '--user',
      'alice=octocat',
      '--user',
      'agent-1=hubot',
    );
  const run = async (env: Record<string, string>, dir: string, ...args: string[]) => {
    const r = await tackAwait(dir, [...args, '--json'], env);
    if (r.status !== 0) throw new Error(`tack ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return JSON.parse(r.stdout);
  };

  it('a self-answer made on the service is pulled, reported by the pass and by validate, and not reported again', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await connect(dir);
    const t = (await run(ALICE, dir, 'create', 'Rate limits', '-a', 'agent-1')).id as string;
    await run(AGENT, dir, 'ask', t, 'Per user or per key?');
    expect((await run(AGENT, dir, 'sync', 'github')).errors).toEqual([]);
    const issue = Number((await run(ALICE, dir, 'show', t)).extra.external.github.id);

    // On GitHub, the agent's own account answers its question, in a later second: an answer
    // pulled with the question's very second can sort before it, and then the self-answer is
    // not seen (a known gap, in the closing note; it failed this way on Node 24).
    await new Promise((r) => setTimeout(r, 1020 - (Date.now() % 1000)));
    gh.remoteComment(issue, '**Answer:** per key, I decided', 'hubot');
    // The agent runs the sync: the pull is not refused because its runner asked the question.
    const pass = await run(AGENT, dir, 'sync', 'github');
    expect(pass.errors).toEqual([]);
    const shown = await run(ALICE, dir, 'show', t);
    // Found by its text, not its place: the service's time has whole seconds, so an answer
    // made in the question's second may sort before it (it did, once, on Node 24).
    expect(shown.comments).toContainEqual(
      expect.objectContaining({ author: 'agent-1', body: '**Answer:** per key, I decided' }),
    );
    const warned = pass.warnings.filter((w: string) => w.includes('gate self_answer'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(t);
    expect(warned[0]).toContain('by agent-1 answers their own question');
    expect(warned[0]).toContain('tack validate');

    // validate reports the commit that brought it in, like a hand edit that went around the write path.
    const v = await tackAwait(dir, ['validate', '--all', '--json'], ALICE);
    expect(v.status).not.toBe(0);
    const problems = errorOf(v.stderr).details.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'gate',
        message: expect.stringMatching(/^gate self_answer: comment \S+ by agent-1/),
      }),
    ]);

    // A quiet pass: nothing pulled, nothing reported again.
    const quiet = await run(AGENT, dir, 'sync', 'github');
    expect(quiet.commits).toEqual([]);
    expect(quiet.warnings.filter((w: string) => w.includes('gate '))).toEqual([]);
    expect(gh.violations).toEqual([]);
  });

  it('a person answering on the service is no breach, whoever runs the sync', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await connect(dir);
    const t = (await run(ALICE, dir, 'create', 'Quotas', '-a', 'agent-1')).id as string;
    await run(AGENT, dir, 'ask', t, 'Soft or hard?');
    await run(AGENT, dir, 'sync', 'github');
    const issue = Number((await run(ALICE, dir, 'show', t)).extra.external.github.id);
    gh.remoteComment(issue, '**Answer:** hard', 'octocat');
    const pass = await run(AGENT, dir, 'sync', 'github');
    expect(pass.errors).toEqual([]);
    expect(pass.warnings.filter((w: string) => w.includes('gate '))).toEqual([]);
    expect((await tackAwait(dir, ['validate', '--all', '--json'], ALICE)).status).toBe(0);
  });
});

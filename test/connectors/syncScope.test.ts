import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tackAsync, tempStore, trackCleanups } from '../helpers.js';
import { GithubStandin } from '../standins/githubStandin.js';
import { startLinearStandin, type LinearStandin } from '../standins/linearStandin.js';

const run = async (dir: string, ...args: string[]) => {
  const r = await tackAsync(dir, [...args, '--json']);
  return { status: r.status, stderr: r.stderr, json: r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null };
};

describe('unknown users never fail an item', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  let linear: LinearStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_users', users: ['octocat'] }).start();
    linear = await startLinearStandin();
  });
  afterAll(async () => {
    await gh.close();
    await linear.stop();
  });

  it('GitHub (422 on unknown assignees): created unassigned, the user named in a warning, nothing retried in a loop', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_users');
    const ids: string[] = [];
    for (const who of ['ghost', 'octocat', 'ghost', 'phantom'])
      ids.push((await run(dir, 'create', `For ${who}`, '-a', who)).json.id);
    const first = await run(dir, 'sync', 'github');
    expect(first.json.errors).toEqual([]);
    expect(first.status).toBe(0);
    expect(first.json.remoteCreated).toBe(4);
    expect(gh.state.issues.size).toBe(4);
    const warnings = first.json.warnings.join('\n');
    expect(warnings).toMatch(new RegExp(`${ids[0]}: .*"ghost"`));
    expect(warnings).toMatch(new RegExp(`${ids[2]}: .*"ghost"`));
    expect(warnings).toMatch(new RegExp(`${ids[3]}: .*"phantom"`));
    // One refused request per unknown user, not per ticket.
    expect(gh.requests.filter((r) => r.status === 422)).toHaveLength(2);
    const assignees = [...gh.state.issues.values()].map((r) => (r.issue.assignees ?? []).map((a) => a.login).join(','));
    expect(assignees.sort()).toEqual(['', '', '', 'octocat']);
    // The tickets keep their assignee; the next pass creates nothing twice and fails nothing.
    const t = (await run(dir, 'show', ids[0])).json;
    expect(t.assignee).toBe('ghost');
    const second = await run(dir, 'sync', 'github');
    expect(second.json.errors).toEqual([]);
    expect(second.json.remoteCreated).toBe(0);
    expect(gh.state.issues.size).toBe(4);
  });

  it('GitHub: an update naming an unknown user still sends the other fields', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const gh = await new GithubStandin({ token: 'ghp_users', users: ['octocat'] }).start();
    track(() => void gh.close());
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_users');
    const id = (await run(dir, 'create', 'Before')).json.id;
    await run(dir, 'sync', 'github');
    await run(dir, 'update', id, '--title', 'After', '-a', 'ghost');
    const r = await run(dir, 'sync', 'github');
    expect(r.stderr).toBe('');
    expect(r.json.errors).toEqual([]);
    expect(r.json.warnings.join('\n')).toMatch(/"ghost"/);
    const n = Number((await run(dir, 'show', id)).json.extra.external.github.id);
    expect(gh.state.issues.get(n)!.issue.title).toBe('After');
  });

  it('Linear (no such user): created unassigned with a warning', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(dir, 'connect', 'linear', '--team', 'ENG', '--api-url', linear.url, '--api-key', 'k');
    const id = (await run(dir, 'create', 'Nobody knows', '-a', 'zed')).json.id;
    const r = await run(dir, 'sync', 'linear');
    expect(r.json.errors).toEqual([]);
    expect(r.json.warnings.join('\n')).toMatch(new RegExp(`${id}: .*"zed"`));
    const remoteId = (await run(dir, 'show', id)).json.extra.external.linear.id;
    expect(linear.ws.issue(remoteId).assigneeId ?? null).toBeNull();
  });
});

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tackAwait, tackRaw, tempStore, trackCleanups } from '../helpers.js';
import { GithubStandin } from '../standins/githubStandin.js';

/**
 * GitHub scope by milestone, both ways: `--pull-filter milestone=TITLE` brings in only the
 * issues of that milestone, `--filter milestone=TITLE` sends out only the tickets of the
 * project standing for it. The title is compared with what GitHub answered and with the
 * schema's projects, never sent to GitHub nor used as a query.
 */

const run = async (dir: string, ...args: string[]) => {
  const r = await tackAwait(dir, [...args, '--json']);
  return { status: r.status, stderr: r.stderr, json: r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null };
};
const titles = async (dir: string) =>
  (JSON.parse((await tackAwait(dir, ['list', '--all', '--limit', '0', '--json'])).stdout) as Array<{ title: string }>)
    .map((t) => t.title)
    .sort();
const connectionsFile = (dir: string) => readFileSync(join(dir, '.git', 'tack', 'connections.json'), 'utf8');

/** A title a person could give a milestone, written to break a shell, a query string or an option parser. */
const HOSTILE = `--help $(touch /tmp/pwned) ; & since=1970 milestone=* ' " \\ Ünïcode`;

describe('GitHub scope by milestone', () => {
  const track = trackCleanups();

  async function setup() {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const gh = await new GithubStandin({ token: 'ghp_ms', users: ['octocat'] }).start();
    track(() => void gh.close());
    const connect = (...more: string[]) =>
      run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_ms', ...more);
    return { dir, gh, connect };
  }

  it('--pull-filter milestone: only that milestone comes in; the rest are counted; one that joins later follows', async () => {
    const { dir, gh, connect } = await setup();
    const c = await connect('--pull-filter', 'milestone=v1.0');
    expect(c.status, c.stderr).toBe(0);
    expect(c.json.pullFilter).toEqual({ milestone: ['v1.0'] });
    const wanted = gh.remoteCreate({ title: 'In v1.0' });
    gh.remoteMilestone(wanted, 'V1.0'); // names compare without regard to case
    const later = gh.remoteCreate({ title: 'In v2.0' });
    gh.remoteMilestone(later, 'v2.0');
    gh.remoteCreate({ title: 'No milestone' });

    const dry = await run(dir, 'sync', 'github', '--dry-run');
    expect(dry.json.plan.local.map((e: { action: string; title: string }) => `${e.action} ${e.title}`).sort()).toEqual([
      'create In v1.0',
      'skip In v2.0',
      'skip No milestone',
    ]);
    const r = await run(dir, 'sync', 'github');
    expect(r.json).toMatchObject({ localCreated: 1, errors: [] });
    expect(r.json.reconciliation).toMatchObject({ seen: 3, mirrored: 1, outOfScope: 2, missing: 0 });
    expect(await titles(dir)).toEqual(['In v1.0']);

    // Moved into the milestone: it comes in with the pass that reads the change. Moved out:
    // the linked one keeps syncing.
    gh.remoteMilestone(later, 'v1.0');
    gh.remoteMilestone(wanted, null);
    gh.remoteEdit(wanted, { title: 'In v1.0, renamed' });
    const r2 = await run(dir, 'sync', 'github');
    expect(r2.json).toMatchObject({ localCreated: 1, localUpdated: 1, errors: [] });
    expect(await titles(dir)).toEqual(['In v1.0, renamed', 'In v2.0']);
  });

  it('a hostile milestone title is data: compared, never sent; malformed ones are refused and change nothing', async () => {
    const { dir, gh, connect } = await setup();
    const c = await connect('--pull-filter', `milestone=${HOSTILE}`);
    expect(c.status, c.stderr).toBe(0);
    expect(c.json.pullFilter).toEqual({ milestone: [HOSTILE] });
    const mine = gh.remoteCreate({ title: 'Hostile milestone' });
    gh.remoteMilestone(mine, HOSTILE);
    const other = gh.remoteCreate({ title: 'Other milestone' });
    gh.remoteMilestone(other, '*');
    const r = await run(dir, 'sync', 'github');
    expect(r.json).toMatchObject({ localCreated: 1, errors: [] });
    expect(await titles(dir)).toEqual(['Hostile milestone']);
    // Nothing of the value reached GitHub: no request names a milestone or any part of it.
    for (const q of gh.requests.map((x) => decodeURIComponent(x.path.replace(/\+/g, ' ')))) {
      expect(q).not.toMatch(/milestone|pwned|Ünïcode/i);
    }

    const saved = connectionsFile(dir);
    for (const [arg, message] of [
      ['milestone=', /--pull-filter takes KEY=VALUE/],
      ['milestone=v1\u0007', /expected a name of at most 200 characters without control characters/],
      ['milestone=line\nbreak', /without control characters/],
      [`milestone=${'m'.repeat(201)}`, /at most 200 characters/],
      ['milestone= padded ', /surrounding spaces/],
    ] as Array<[string, RegExp]>) {
      const bad = await connect('--pull-filter', arg);
      expect(bad.status, arg).not.toBe(0);
      expect(JSON.parse(bad.stderr).error.message, arg).toMatch(message);
      expect(connectionsFile(dir), arg).toBe(saved);
    }
  });

  it('--filter milestone: only the tickets of the project standing for it go out; an unknown one is refused', async () => {
    const { dir, gh, connect } = await setup();
    // Projects as `tack import github` names them: gh-milestone-N, with the milestone's title.
    const tmp = mkdtempSync(join(tmpdir(), 'tack-ms-'));
    track(() => rmSync(tmp, { recursive: true, force: true }));
    const editor = join(tmp, 'edit.sh');
    writeFileSync(
      editor,
      `#!/bin/sh\nsed -i 's/^projects: \\[\\]/projects: [{key: gh-milestone-1, name: v1.0}, {key: web, name: Web}]/' "$1"\n`,
    );
    chmodSync(editor, 0o755);
    const edit = tackRaw(dir, ['schema', 'edit', '--json'], { VISUAL: '', EDITOR: editor, TMPDIR: tmp });
    expect(edit.status, edit.stderr).toBe(0);
    for (const [title, project] of [
      ['Release blocker', 'gh-milestone-1'],
      ['Web polish', 'web'],
      ['Loose', null],
    ] as const) {
      const made = await run(dir, 'create', title, ...(project ? ['--project', project] : []));
      expect(made.status, made.stderr).toBe(0);
    }

    const refused = await connect('--filter', 'milestone=v9.9');
    expect(refused.status).not.toBe(0);
    expect(JSON.parse(refused.stderr).error.message).toMatch(
      /--filter milestone: no project stands for milestone "v9.9"; expected the name or key of one of the projects \(v1.0, Web\)/,
    );
    const hostile = await connect('--filter', `milestone=${HOSTILE}`);
    expect(hostile.status).not.toBe(0);
    expect(gh.requests).toEqual([]);

    const c = await connect('--filter', 'milestone=V1.0');
    expect(c.status, c.stderr).toBe(0);
    expect(c.json.filter).toEqual({ milestone: ['V1.0'] });
    const r = await run(dir, 'sync', 'github');
    expect(r.json).toMatchObject({ remoteCreated: 1, outOfScope: 2, errors: [] });
    expect([...gh.state.issues.values()].map((x) => x.issue.title)).toEqual(['Release blocker']);
    // With a project filter too: both must hold.
    await connect('--filter', 'milestone=v1.0', '--filter', 'project=web');
    expect((await run(dir, 'sync', 'github', '--dry-run')).json.plan.remote).toEqual([]);
  });

  it('milestone is a GitHub key only', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const r = await run(dir, 'connect', 'linear', '--team', 'ENG', '--filter', 'milestone=v1.0');
    expect(r.status).not.toBe(0);
    expect(JSON.parse(r.stderr).error.message).toMatch(/--filter takes KEY=VALUE with KEY one of .* for linear/);
    const p = await run(dir, 'connect', 'trello', '--board', 'b', '--pull-filter', 'milestone=v1.0');
    expect(JSON.parse(p.stderr).error.message).toMatch(/KEY one of label, list, category for trello/);
  });
});

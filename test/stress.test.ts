import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackAsync, tackJson, testEnv, tempStore, trackCleanups } from './helpers.js';

/*
 * Many writers on one clone, all updating the same three tickets: 8 processes × 100
 * updates through the library, plus real CLI processes at the same time. Every update
 * must be its own commit, findable in git and in the index's history, and the final
 * state must be what the last commit says; a rebuilt index must agree.
 */

const track = trackCleanups();
const WORKERS = 8;
const UPDATES = 40;
const CLI_UPDATES = 6;
const WORKER = join(__dirname, 'stressWorker.cjs');

interface Done {
  id: string;
  title: string;
  commit: string;
}

function runWorker(dir: string, w: number, ids: string[]): Promise<Done[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, dir, String(w), String(UPDATES), ids.join(',')], {
      env: testEnv({ TACK_USER: `w${w}` }),
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${w} exited ${code}: ${err}`));
      else
        resolve(
          out
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Done),
        );
    });
  });
}

/** CLI writers, alongside the library workers: assignee changes on the same tickets. */
async function cliWriter(dir: string, ids: string[]): Promise<Done[]> {
  const done: Done[] = [];
  for (let i = 0; i < CLI_UPDATES; i++) {
    const id = ids[i % ids.length];
    const r = await tackAsync(dir, ['update', id, '--assignee', `cli-${i}`, '--json']);
    if (r.status !== 0) throw new Error(`tack update exited ${r.status}: ${r.stderr}`);
    done.push({ id, title: `cli-${i}`, commit: JSON.parse(r.stdout).commit });
  }
  return done;
}

/** commit → the title lines its diff adds, from one `git log -p`. */
function addedTitles(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const line of git(dir, 'log', '--format=@@%H', '-p', '--unified=0', 'tack', '--', 'tickets/').split('\n')) {
    if (line.startsWith('@@') && /^@@[0-9a-f]{40}$/.test(line)) {
      current = line.slice(2);
      out.set(current, []);
    } else if (line.startsWith('+title: ')) out.get(current)!.push(line.slice('+title: '.length));
  }
  return out;
}

describe('stress: concurrent writers on one clone', () => {
  it(`${WORKERS} processes × ${UPDATES} updates of the same 3 tickets lose nothing`, async () => {
    const r = tempStore();
    track(r.cleanup);
    const dir = r.dir;
    const ids = [1, 2, 3].map((i) => tackJson(dir, 'create', `Ticket ${i}`).id as string);

    const started = Date.now();
    const settled = await Promise.allSettled([
      ...Array.from({ length: WORKERS }, (_, w) => runWorker(dir, w, ids)),
      cliWriter(dir, ids),
    ]);
    const elapsed = Date.now() - started;
    const failures = settled
      .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
      .map((s) => String(s.reason));
    expect(failures).toEqual([]);
    const results = settled.map((s) => (s as PromiseFulfilledResult<Done[]>).value);
    const updates = results.slice(0, WORKERS).flat();
    const cli = results[WORKERS];
    expect(updates).toHaveLength(WORKERS * UPDATES);

    // One commit per update, all distinct, all on one line of history.
    const total = WORKERS * UPDATES + CLI_UPDATES;
    const ops = git(dir, 'log', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack').split('\n').filter(Boolean);
    expect(ops.filter((o) => o === 'update')).toHaveLength(total);
    expect(git(dir, 'rev-list', '--count', 'tack')).toBe(String(1 + 3 + total));
    expect(git(dir, 'rev-list', '--merges', 'tack')).toBe('');
    const commits = new Set([...updates, ...cli].map((u) => u.commit));
    expect(commits.size).toBe(total);
    const reachable = new Set(git(dir, 'rev-list', 'tack').split('\n'));
    for (const c of commits) expect(reachable.has(c)).toBe(true);

    // Each update's value is in the commit it reported, and in the index's history.
    const titles = addedTitles(dir);
    for (const u of updates) expect(titles.get(u.commit)).toEqual([u.title]);
    const history = tackJson(dir, 'sql', "select new, commit_sha from history where field = 'title'") as Array<{
      new: string;
      commit_sha: string;
    }>;
    const seen = new Map(history.map((h) => [h.commit_sha, h.new]));
    for (const u of updates) expect(seen.get(u.commit)).toBe(u.title);
    const assignees = tackJson(dir, 'sql', "select new, commit_sha from history where field = 'assignee'") as Array<{
      new: string;
      commit_sha: string;
    }>;
    for (const u of cli) expect(assignees.find((a) => a.commit_sha === u.commit)?.new).toBe(u.title);

    // The final state is what the last commit touching each ticket wrote.
    const shown = tackJson(dir, 'list', '--all') as Array<{ id: string; title: string; assignee: string }>;
    for (const id of ids) {
      const lastTitle = git(dir, 'log', '-1', '--format=%H', '-G^title:', 'tack', '--', `tickets/${id}.md`);
      const t = shown.find((x) => x.id === id)!;
      expect(titles.get(lastTitle)).toEqual([t.title]);
      expect(git(dir, 'show', `tack:tickets/${id}.md`)).toContain(`title: ${t.title}`);
    }

    // A rebuilt index answers the same.
    const before = { list: shown, history: tackJson(dir, 'sql', 'select count(*) n from history') };
    tackJson(dir, 'reindex');
    expect(tackJson(dir, 'list', '--all')).toEqual(before.list);
    expect(tackJson(dir, 'sql', 'select count(*) n from history')).toEqual(before.history);
    expect(elapsed).toBeLessThan(120_000);
  }, 180_000);
});

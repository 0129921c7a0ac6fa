import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TACK_BIN, tackJson, tempStore, testEnv, trackCleanups, waitFor } from './helpers.js';
import { alive, RUNAWAY } from './processes.js';

/* The child a bounded query runs in always ends (issue 13), even when its parent cannot kill it. */

const track = trackCleanups();
const procs: ChildProcess[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  // A child this test failed to see end is not left running on the machine.
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** The pid of `parent`'s query child, once it runs. */
async function queryChild(parent: ChildProcess): Promise<number> {
  const pid = await waitFor(
    'the query child to start',
    () => {
      let lines: string[] = [];
      try {
        lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent.pid)], { encoding: 'utf8' }).split(
          '\n',
        );
      } catch {
        return null; // ps exits 1 while the parent has no child
      }
      const hit = lines.find((l) => l.includes('queryProcess'));
      return hit ? Number(hit.trim().split(/\s+/)[0]) : null;
    },
    15_000,
  );
  pids.push(pid);
  return pid;
}

function runawaySql(timeout: string): ChildProcess {
  const s = tempStore();
  track(s.cleanup);
  tackJson(s.dir, 'create', 'Alpha');
  const proc = spawn(process.execPath, [TACK_BIN, 'sql', '--timeout', timeout, RUNAWAY], {
    cwd: s.dir,
    env: testEnv(),
    stdio: 'ignore',
  });
  procs.push(proc);
  return proc;
}

describe('the query child', () => {
  it('ends within seconds when its parent is killed with SIGKILL mid-query', async () => {
    const parent = runawaySql('600s');
    const child = await queryChild(parent);
    // The query is really running (not starting up) when the parent dies.
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(child)).toBe(true);
    parent.kill('SIGKILL');
    // The child runs niced by 10: on a saturated machine (the whole suite beside it on two
    // cores) its main thread waits seconds for its turn to see the channel close. What this
    // holds is that it ends by itself, long before its 600 s query would (5 s failed twice
    // under that load, on Node 24).
    await waitFor('the orphaned query child to end', () => !alive(child), 20_000);
  });

  it('runs below the priority of its parent, so a long query takes only the CPU others leave', async () => {
    const parent = runawaySql('60s');
    const child = await queryChild(parent);
    const nice = (pid: number) => Number(execFileSync('ps', ['-o', 'ni=', '-p', String(pid)], { encoding: 'utf8' }));
    const own = nice(parent.pid!);
    expect(nice(child)).toBe(Math.min(19, own + 10));
  });

  it('counts its time limit from the statement, not from a slow start of its process', () => {
    const s = tempStore();
    track(s.cleanup);
    tackJson(s.dir, 'create', 'Alpha');
    // Only the query child starts slowly (1.5 s, as a niced child may on a loaded machine),
    // longer than the whole limit of a query that itself takes a millisecond.
    const preload = join(s.dir, '..', `slow-start-${process.pid}.cjs`);
    writeFileSync(
      preload,
      "if (process.argv[1]?.includes('queryProcess')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\n",
    );
    track(() => rmSync(preload, { force: true }));
    const r = spawnSync(
      process.execPath,
      [TACK_BIN, 'sql', '--timeout', '500ms', '--json', 'SELECT count(*) AS n FROM tickets'],
      { cwd: s.dir, env: { ...testEnv(), NODE_OPTIONS: `--require ${preload}` }, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ n: 1 }]);
  });

  it('ends at its own deadline (the time limit plus a margin) when its parent never kills it', async () => {
    const parent = runawaySql('2s');
    const child = await queryChild(parent);
    // The deadline runs from the request, which the parent sends just after the fork that ps
    // sees: stopped in between, it never would. Half a second is ample for the parent.
    await new Promise((r) => setTimeout(r, 500));
    // A stopped parent neither kills its child at the limit nor closes the IPC channel.
    parent.kill('SIGSTOP');
    try {
      expect(alive(child)).toBe(true);
      const t0 = Date.now();
      // Its deadline is 4 s away (2 s + the margin); the rest is for a child 10 steps nicer than
      // a loaded machine's other processes, which may get the CPU to fire it late (CI once saw
      // this wait pass 12 s).
      await waitFor('the query child to end at its deadline', () => !alive(child), 40_000);
      // Not before the limit it was given: the deadline is the parent's, plus a margin.
      expect(Date.now() - t0).toBeGreaterThan(500);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackJson, tempStore, trackCleanups, waitFor } from './helpers.js';
import { startServe } from './serverHarness.js';

/*
 * A stopping server answers the writes it has begun (issue 13): killed after its commit, a
 * write landed without an answer, and a client that sends it again makes it twice. The writes
 * not begun are refused with `unavailable` (503) and change nothing.
 */

const track = trackCleanups();

/** A git that sleeps after it moves a ref, having touched `mark`: a stop comes while a write is in hand. */
function slowRefGit(dir: string, mark: string): string {
  const bin = mkdtempSync(join(tmpdir(), 'tack-slowref-'));
  track(() => rmSync(bin, { recursive: true, force: true }));
  const real = git(dir, '--exec-path').trim();
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh
slow=
for a in "$@"; do [ "$a" = update-ref ] && slow=1; done
'${real}/git' "$@"
rc=$?
if [ -n "$slow" ]; then touch '${mark}'; sleep 0.8; fi
exit $rc
`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  return bin;
}

describe('a stopping server answers the writes it has begun', () => {
  it('SIGTERM while a write is in hand: every write in git was answered 200, the others 503 and not in git', async () => {
    const s = tempStore();
    track(s.cleanup);
    const ids = Array.from({ length: 8 }, (_, i) => tackJson(s.dir, 'create', `Ticket ${i}`).id as string);
    const mark = join(s.dir, '..', `updated-${process.pid}`);
    track(() => rmSync(mark, { force: true }));
    const bin = slowRefGit(s.dir, mark);
    const server = await startServe(s.dir, ['--request-timeout', '30s'], { PATH: `${bin}:${process.env.PATH}` });
    track(() => void server.stop());
    const patch = (id: string) =>
      fetch(`${server.url}/api/tickets/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ priority: 'urgent' }),
      })
        .then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }))
        .catch(() => ({ status: 0, body: {} as { error?: { code: string } } }));
    // The first write has moved the ref and its git sleeps; the others queue behind it.
    const answers = [patch(ids[0])];
    await waitFor('the first write to move the ref', () => existsSync(mark), 20_000);
    answers.push(...ids.slice(1).map(patch));
    // Time for them to reach the server (the git sleeps on); one that does not is refused too.
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)));
    const t0 = Date.now();
    server.proc.kill('SIGTERM');
    const got = await Promise.all(answers);
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000 + 1000); // the promise is 2 s; slack for a loaded machine

    const landed = ids.map((id) => tackJson(s.dir, 'show', id).priority === 'urgent');
    expect(landed.some(Boolean)).toBe(true);
    // The writes queued behind it were refused, not left to the kill.
    expect(got.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    for (const [i, a] of got.entries()) {
      if (landed[i]) expect(a.status, `${ids[i]} is in git`).toBe(200);
      else {
        expect(a.status, `${ids[i]} is not in git`).not.toBe(200);
        if (a.status !== 0) expect([a.status, a.body.error?.code]).toEqual([503, 'unavailable']);
      }
    }
    // What was refused is refused for good: nothing lands after the stop.
    git(s.dir, 'fsck', '--strict', '--no-progress');
    expect(ids.map((id) => tackJson(s.dir, 'show', id).priority === 'urgent')).toEqual(landed);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  });
});

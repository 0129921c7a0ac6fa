import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tack, tackProcess, tempStore, trackCleanups } from './helpers.js';

// Work that reads the whole store on a large one runs in node started lean (bin/tack.cjs
// replaces itself by execve). TACK_LEAN_STORE_BYTES=0 makes every store "large" here, and
// TACK_DEBUG has the relaunched process say so, with the flags it really runs with.
const LEAN = { TACK_LEAN_STORE_BYTES: '0', TACK_DEBUG: '1' };
const RELAUNCHED = /^tack: relaunched lean: node .*--optimize-for-size/m;
const cleanup = trackCleanups();

function store(): string {
  const s = tempStore();
  cleanup(s.cleanup);
  tack(s.dir, 'create', 'First', '--type', 'task');
  tack(s.dir, 'create', 'Second', '--type', 'bug');
  return s.dir;
}
const dropIndex = (dir: string) => {
  for (const f of ['index.db', 'index.db-wal', 'index.db-shm']) rmSync(join(dir, '.git', 'tack', f), { force: true });
};
const withoutElapsed = (stdout: string) => ({ ...JSON.parse(stdout), elapsed_ms: 0 });

describe('a lean process for whole-store work on a large store', () => {
  it('reindex, doctor, validate, export and reads asked for every row relaunch lean and answer as they would have', () => {
    const dir = store();
    for (const args of [
      ['reindex', '--json'],
      ['doctor', '--json'],
      ['validate', '--all', '--json'],
      ['export', 'jsonl'],
      ['export', 'csv', '--json'],
      ['list', '--limit', '0', '--json'],
      ['search', 'first', '-n', '0'],
      ['ready', '--limit=0'],
    ]) {
      const plain = tackProcess(dir, args);
      const lean = tackProcess(dir, args, LEAN);
      expect(plain.stderr).not.toMatch(RELAUNCHED);
      expect(lean.stderr, args.join(' ')).toMatch(RELAUNCHED);
      // Node 24 optimizes with Maglev alone there (leanNodeFlags); Node 22 keeps TurboFan.
      expect(lean.stderr.includes('--max-opt=2')).toBe(Number(process.versions.node.split('.')[0]) >= 24);
      expect(lean.status).toBe(plain.status);
      if (args[0] === 'reindex') expect(withoutElapsed(lean.stdout)).toEqual(withoutElapsed(plain.stdout));
      else expect(lean.stdout).toBe(plain.stdout);
    }
  });

  it('a write naming more than 1,000 tickets, or a schema rename, relaunches lean; one naming fewer runs as started', () => {
    const dir = store();
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `tk-none${i}`);
    for (const args of [
      ['close', ...ids(1001)],
      ['label', 'add', 'tk-none', 'x', ...ids(1000).flatMap((id) => ['--also', id])],
      // A schema rename may rewrite every ticket, whatever its words.
      ['schema', 'rename-state', 'no-such-state', 'x'],
      ['schema', 'rename-field', 'no_such_field', 'x'],
    ]) {
      const lean = tackProcess(dir, args, LEAN);
      expect(lean.stderr, args[0]).toMatch(RELAUNCHED);
      expect(lean.status).toBe(tackProcess(dir, args).status);
    }
    expect(tackProcess(dir, ['close', ...ids(10)], LEAN).stderr).not.toMatch(RELAUNCHED);
    expect(tackProcess(dir, ['schema', 'show'], LEAN).stderr).not.toMatch(RELAUNCHED);
  });

  it('a small store, or a command that finds its index, runs as started', () => {
    const dir = store();
    expect(tackProcess(dir, ['reindex', '--json'], { TACK_DEBUG: '1' }).stderr).not.toMatch(RELAUNCHED);
    expect(tackProcess(dir, ['list', '--json'], LEAN).stderr).not.toMatch(RELAUNCHED);
    expect(tackProcess(dir, ['list', '--limit', '10', '--json'], LEAN).stderr).not.toMatch(RELAUNCHED);
    // validate checks only the commits not yet validated unless --all: all of them the
    // first time, lean; after that, a hook's few as started.
    const first = tackProcess(dir, ['validate', '--json'], LEAN);
    expect(first.stderr).toMatch(RELAUNCHED);
    expect(first.status).toBe(0);
    expect(tackProcess(dir, ['validate', '--json'], LEAN).stderr).not.toMatch(RELAUNCHED);
    // Long-running commands keep node's defaults, and git's merge driver builds no index.
    dropIndex(dir);
    expect(tackProcess(dir, ['serve', '--port', 'x'], LEAN).stderr).not.toMatch(RELAUNCHED);
    expect(tackProcess(dir, ['merge-file', 'a', 'b', 'c'], LEAN).stderr).not.toMatch(RELAUNCHED);
  });

  it('a first command with no index relaunches once, with its arguments, stdin and exit status intact', () => {
    const dir = store();
    const listed = tackProcess(dir, ['list', '--json']).stdout;
    dropIndex(dir);
    const first = tackProcess(dir, ['list', '--json'], LEAN);
    expect(first.stderr).toMatch(RELAUNCHED);
    expect(first.stdout).toBe(listed);
    expect(tackProcess(dir, ['list', '--json'], LEAN).stderr).not.toMatch(RELAUNCHED);
    expect(tackProcess(dir, ['list', '--limit', '10', '--json'], LEAN).stderr).not.toMatch(RELAUNCHED); // built now

    // Arguments reach the relaunched process as they were given: no shell, no re-splitting.
    dropIndex(dir);
    const title = 'a b; $(touch pwned) `id` --json';
    const created = tackProcess(dir, ['create', title, '--description', '-', '--json'], LEAN, 'piped text\n');
    expect(created.stderr).toMatch(RELAUNCHED);
    expect(created.status, created.stderr).toBe(0);
    const t = JSON.parse(tackProcess(dir, ['show', JSON.parse(created.stdout).id, '--json']).stdout);
    expect(t.title).toBe(title);
    expect(t.body ?? t.description).toContain('piped text');
    expect(existsSync(join(dir, 'pwned'))).toBe(false);

    dropIndex(dir);
    const missing = tackProcess(dir, ['show', 'tk-nothere', '--json'], LEAN);
    expect(missing.stderr).toMatch(RELAUNCHED);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('"code":"not_found"');
  });

  it('an import of a large source file relaunches; a small one, a folder or a missing file does not', () => {
    const dir = store();
    const source = join(dir, 'issues.jsonl');
    writeFileSync(source, `${JSON.stringify({ id: 'bd-1', title: 'Imported lean', status: 'open' })}\n`);
    const large = { TACK_LEAN_IMPORT_BYTES: '0', TACK_DEBUG: '1' };
    const lean = tackProcess(dir, ['import', 'beads', source, '--dry-run', '--json'], large);
    expect(lean.stderr).toMatch(RELAUNCHED);
    // New ids are random: the rest of the answer is the same.
    const answer = (stdout: string) => {
      const a = JSON.parse(stdout);
      return { ...a, tickets: a.tickets.map((t: { key: string; action: string }) => [t.key, t.action]) };
    };
    expect(answer(lean.stdout)).toEqual(
      answer(tackProcess(dir, ['import', 'beads', source, '--dry-run', '--json']).stdout),
    );
    expect(tackProcess(dir, ['import', 'beads', source, '--json'], { TACK_DEBUG: '1' }).stderr).not.toMatch(RELAUNCHED);
    expect(tackProcess(dir, ['import', 'backlog', dir, '--json'], large).stderr).not.toMatch(RELAUNCHED);
    const missing = tackProcess(dir, ['import', 'beads', join(dir, 'nothere.jsonl'), '--json'], large);
    expect(missing.stderr).not.toMatch(RELAUNCHED);
    expect(missing.stderr).toContain('"code":"not_found"');
  });

  it('outside a repository the command reports its own error, not relaunched', () => {
    const r = tackProcess('/', ['reindex', '--json'], LEAN);
    expect(r.stderr).not.toMatch(RELAUNCHED);
    expect(r.stderr).toContain('not_a_repo');
  });
});

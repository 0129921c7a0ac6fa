import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tackAsync, tackRaw, tempStore, testEnv, trackCleanups } from './helpers.js';
import { remoteWithStore } from './syncHelpers.js';
import { startServe } from './serverHarness.js';
import { tackEnv, tackEnvJson } from './storeFiles.js';

/*
 * File reservations: one lease ref for all of them, taken like a claim (CAS here, a
 * non-forced push across clones), and a pre-commit hook that warns or refuses.
 */

const track = trackCleanups();
const T0 = '2026-11-21T10:00:00Z';
const as = (user: string, now = T0) => ({ TACK_USER: user, TACK_NOW: now });
const REF = 'refs/tack/reservations';

function clones(): { a: string; b: string } {
  const { first: a, clone } = remoteWithStore(track, { code: true });
  return { a, b: clone() };
}

/** The reservations the remote holds: [pattern, owner]. */
function remoteHeld(dir: string): string[][] {
  const out = spawnSync('git', ['ls-remote', 'origin', REF], { cwd: dir, encoding: 'utf8', env: testEnv() }).stdout;
  const sha = out.split('\t')[0];
  if (!sha) return [];
  git(dir, 'fetch', '-q', 'origin', `+${REF}:refs/test/seen`);
  return git(dir, 'log', '-1', '--format=%b', 'refs/test/seen')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .map((r) => [r.pattern, r.owner]);
}

function failCode(r: { status: number; stderr: string }): string {
  const line = r.stderr.split('\n').find((l) => l.includes('{"error"'));
  if (!line) throw new Error(`expected a JSON error, got status ${r.status}: ${r.stderr}`);
  return JSON.parse(line.slice(line.indexOf('{"error"'))).error.code;
}

function stage(dir: string, path: string, text = 'x\n'): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  git(dir, 'add', '--', path);
}

function commit(dir: string, env: Record<string, string>, msg: string) {
  const r = spawnSync('git', ['commit', '-q', '-m', msg], { cwd: dir, encoding: 'utf8', env: testEnv(env) });
  return { status: r.status ?? -1, stderr: r.stderr };
}

describe('reservations across clones', () => {
  it('two clones reserve the same path at once: one wins, the other is told who holds it', async () => {
    for (let round = 0; round < 3; round++) {
      const { a, b } = clones();
      const path = `src/file${round}.ts`;
      const [ra, rb] = await Promise.all([
        tackAsync(a, ['reserve', path, '--json'], as('alice')),
        tackAsync(b, ['reserve', path, '--json'], as('bob')),
      ]);
      const won = [ra, rb].filter((r) => r.status === 0);
      const lost = [ra, rb].filter((r) => r.status !== 0);
      expect(won, `round ${round}: ${ra.stderr} ${rb.stderr}`).toHaveLength(1);
      expect(failCode(lost[0])).toBe('conflict');
      const winner = ra.status === 0 ? 'alice' : 'bob';
      expect(lost[0].stderr).toContain(`reserved by ${winner}`);
      expect(remoteHeld(a)).toEqual([[path, winner]]);
    }
  });

  it('a folder and a file in it, or a glob and a path it matches, are the same reservation', () => {
    const { a, b } = clones();
    tackEnv(a, as('alice'), 'reserve', 'src/parser/', 'docs/*.md');
    for (const p of ['src/parser/lex.ts', 'src', 'docs/intro.md', './docs/*.md']) {
      const r = tackRaw(b, ['reserve', p, '--json'], as('bob'));
      expect(failCode(r), p).toBe('conflict');
    }
    expect(tackEnvJson(b, as('bob'), 'reserve', 'src/lexer.ts', 'docs/img/a.png').reserved).toHaveLength(2);
    expect(remoteHeld(a).sort()).toEqual([
      ['docs/*.md', 'alice'],
      ['docs/img/a.png', 'bob'],
      ['src/lexer.ts', 'bob'],
      ['src/parser', 'alice'],
    ]);
    // both clones list the same four after a fetch
    const listed = tackEnvJson(a, as('alice'), 'reservations', '--fetch');
    expect(listed.total).toBe(4);
    expect(listed.reservations.filter((r: any) => r.mine).map((r: any) => r.pattern)).toEqual([
      'docs/*.md',
      'src/parser',
    ]);
  });

  it('release gives back your own; someone else’s only with --force', () => {
    const { a, b } = clones();
    const ticket = tackEnvJson(a, as('alice'), 'create', 'Lexer').id;
    git(a, 'push', '-q', 'origin', 'tack');
    tackEnv(a, as('alice'), 'reserve', 'src/a.ts', 'src/b.ts', '--ticket', ticket);
    tackEnv(a, as('alice'), 'reserve', 'src/c.ts');
    expect(failCode(tackRaw(b, ['reserve', '--release', 'src/a.ts', '--json'], as('bob')))).toBe('conflict');
    expect(failCode(tackRaw(b, ['reserve', '--release', 'src/zzz.ts', '--json'], as('bob')))).toBe('not_found');
    expect(tackEnvJson(b, as('bob'), 'reserve', '--release', 'src/c.ts', '--force').released).toHaveLength(1);
    // alice gives back everything for the ticket in one go
    const rel = tackEnvJson(a, as('alice'), 'reserve', '--release', '--ticket', ticket);
    expect(rel.released.map((r: any) => r.pattern).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(remoteHeld(a)).toEqual([]);
    expect(tackEnvJson(b, as('bob'), 'reserve', 'src/a.ts').reserved[0].pattern).toBe('src/a.ts');
  });

  it('closing a ticket releases the reservations its closer made for it, on the remote too', () => {
    const { a, b } = clones();
    const t1 = tackEnvJson(a, as('alice'), 'create', 'One').id;
    const t2 = tackEnvJson(a, as('alice'), 'create', 'Two').id;
    tackEnv(a, as('alice'), 'reserve', 'src/one/', '--ticket', t1);
    tackEnv(a, as('alice'), 'reserve', 'src/two/', '--ticket', t2);
    tackEnv(a, as('alice'), 'reserve', 'src/free.ts');
    tackEnv(a, as('alice'), 'close', t1);
    expect(remoteHeld(a).sort()).toEqual([
      ['src/free.ts', 'alice'],
      ['src/two', 'alice'],
    ]);
    expect(tackEnvJson(b, as('bob'), 'reserve', 'src/one/x.ts').reserved).toHaveLength(1);
  });

  it('a reservation expires: others may take it, listings hide it, commits pass', () => {
    const { a, b } = clones();
    tackEnv(a, as('alice'), 'reserve', 'src/a.ts', '--ttl', '30m');
    tackEnv(b, as('bob'), 'reservations', '--fetch');
    expect(failCode(tackRaw(b, ['reserve', 'src/a.ts', '--json'], as('bob', '2026-11-21T10:29:00Z')))).toBe('conflict');
    const later = as('bob', '2026-11-21T10:31:00Z');
    expect(tackEnvJson(b, later, 'reservations').total).toBe(0);
    expect(tackEnvJson(b, later, 'reservations', '--all').reservations[0]).toMatchObject({
      pattern: 'src/a.ts',
      owner: 'alice',
      live: false,
    });
    expect(tackEnvJson(b, later, 'reservations', 'check', 'src/a.ts').conflicts).toEqual([]);
    expect(tackEnvJson(b, later, 'reserve', 'src/a.ts').reserved[0].owner).toBe('bob');
    // the expired one is dropped from the lease when the next write happens
    expect(remoteHeld(a)).toEqual([['src/a.ts', 'bob']]);
  });
});

describe('the pre-commit hook', () => {
  it('warns on a staged path someone else reserved, refuses when told to, and never without a reason', () => {
    const { a, b } = clones();
    tackEnv(a, as('alice'), 'reserve', 'src/parser/', '--ttl', '1h');
    // The hook never fetches: a sync brings the remote's reservations with the tickets.
    expect(tackEnvJson(b, as('bob'), 'reservations').total).toBe(0);
    tackEnv(b, as('bob'), 'sync');
    expect(tackEnvJson(b, as('bob'), 'reservations').total).toBe(1);
    tackEnv(b, as('bob'), 'hooks', 'install');

    stage(b, 'src/parser/lex.ts');
    const warned = commit(b, as('bob'), 'lexer');
    expect(warned.status).toBe(0);
    expect(warned.stderr).toContain('src/parser/lex.ts: reserved by alice until 2026-11-21T11:00:00Z');

    tackEnv(b, as('bob'), 'config', 'agents.reservations', 'refuse');
    const head = revParse(b, 'HEAD');
    stage(b, 'src/parser/lex.ts', 'y\n');
    stage(b, 'README.md');
    const refused = commit(b, as('bob'), 'lexer again');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('commit refused');
    expect(refused.stderr).toContain('src/parser/lex.ts');
    expect(refused.stderr).not.toContain('README.md:');
    expect(revParse(b, 'HEAD')).toBe(head);

    // the holder commits; so does anyone once it expired; paths nobody holds always pass
    expect(commit(b, as('alice'), 'by alice').status).toBe(0);
    stage(b, 'src/parser/lex.ts', 'z\n');
    expect(commit(b, as('bob', '2026-11-21T11:01:00Z'), 'after expiry').status).toBe(0);
    stage(b, 'src/other.ts');
    const free = commit(b, as('bob'), 'other');
    expect(free.status).toBe(0);
    expect(free.stderr).not.toContain('reserved');
  });
});

describe('hostile reservation input', () => {
  it('refuses paths that escape, reach .git, match everything or explode, and changes nothing', () => {
    const s = tempStore();
    track(s.cleanup);
    const dir = s.dir;
    const bad = [
      '../x',
      'src/../../etc/passwd',
      '/etc/passwd',
      'C:/Windows',
      'src\\x',
      '.git/config',
      '.GIT/hooks/pre-commit',
      '**',
      '*',
      '**/*',
      '',
      'a//b',
      '-rf',
      '!src',
      '+(a|b)',
      'a\nb',
      'x'.repeat(300),
      '*a*b*c*d*e*f*g*h*i',
      '{a,b}{c,d}{e,f}',
    ];
    for (const p of bad) {
      const r = tackRaw(dir, ['reserve', '--json', '--', p], as('mallory'));
      expect(r.status, JSON.stringify(p)).toBe(2);
      expect(failCode(r)).toBe('invalid_input');
    }
    const many = Array.from({ length: 51 }, (_, i) => `f${i}`);
    expect(failCode(tackRaw(dir, ['reserve', ...many, '--json'], as('mallory')))).toBe('invalid_input');
    for (const ttl of ['0m', '31d', 'soon', '-1h']) {
      expect(failCode(tackRaw(dir, ['reserve', 'src/a.ts', '--ttl', ttl, '--json'], as('mallory'))), ttl).toBe(
        'invalid_input',
      );
    }
    expect(revParse(dir, REF)).toBeNull();
    // a hand-made lease line with a hostile pattern is ignored by every reader
    const tree = spawnSync('git', ['mktree'], { cwd: dir, input: '', encoding: 'utf8', env: testEnv() }).stdout.trim();
    const msg = `x\n\n${JSON.stringify({ pattern: '../../etc', owner: 'm', ticket: null, expires: '2099-01-01T00:00:00Z', reserved: T0 })}\n${JSON.stringify({ pattern: 'ok/path', owner: 'm', ticket: null, expires: '2099-01-01T00:00:00Z', reserved: T0 })}\n`;
    const sha = spawnSync('git', ['commit-tree', tree, '-m', msg], {
      cwd: dir,
      encoding: 'utf8',
      env: testEnv(),
    }).stdout.trim();
    git(dir, 'update-ref', REF, sha);
    expect(tackEnvJson(dir, as('bob'), 'reservations').reservations.map((r: any) => r.pattern)).toEqual(['ok/path']);
  });
});

describe('reservations over REST', () => {
  it('POST /api/reserve reserves and is refused with 409 on a path someone else holds; GET /api/reservations lists', async () => {
    const s = tempStore();
    track(s.cleanup);
    tackEnv(s.dir, as('alice'), 'reserve', 'src/parser/');
    const srv = await startServe(s.dir, [], as('bob'));
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${srv.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const refused = await post('/api/reserve', { paths: ['src/parser/lex.ts'] });
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.message).toContain('reserved by alice');
      expect((await post('/api/reserve', { paths: ['/etc/passwd'] })).status).toBe(400);
      const ok = await post('/api/reserve', { paths: ['docs/'], ttl: '1h' });
      expect(ok.status).toBe(200);
      expect((await ok.json()).reserved[0]).toMatchObject({ pattern: 'docs', owner: 'bob' });
      const listed = await (await fetch(`${srv.url}/api/reservations`)).json();
      expect(listed.reservations.map((r: any) => [r.pattern, r.owner])).toEqual([
        ['docs', 'bob'],
        ['src/parser', 'alice'],
      ]);
      expect((await fetch(`${srv.url}/api/reservations-check`)).status).toBe(404);
    } finally {
      await srv.stop();
    }
  }, 60_000);
});

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { git, sh, tackRaw, testEnv, type TackResult } from './helpers.js';

/** Run the CLI with extra environment (TACK_NOW, GIT_AUTHOR_NAME, ...); throws unless it exits 0. */
export function tackEnv(cwd: string, env: Record<string, string>, ...args: string[]): string {
  const r: TackResult = tackRaw(cwd, args, env);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export function tackEnvJson<T = any>(cwd: string, env: Record<string, string>, ...args: string[]): T {
  return JSON.parse(tackEnv(cwd, env, ...args, '--json')) as T;
}

/** A ticket file as a person would write it by hand. */
export function ticketText(fields: Record<string, string | string[]>, body = ''): string {
  const yaml = Object.entries(fields)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}`;
}

/**
 * Commit files to the store branch by hand, as an editor or `git` user would: a temporary
 * worktree of the branch, `git add`, `git commit`. null content deletes the file.
 */
export function commitToStore(
  repo: string,
  files: Record<string, string | Buffer | null>,
  message: string,
  branch = 'tack',
): void {
  const wt = join(mkdtempSync(join(tmpdir(), 'tack-wt-')), 'wt');
  sh(repo, 'git', ['worktree', 'add', '-q', wt, branch]);
  try {
    for (const [path, content] of Object.entries(files)) {
      const full = join(wt, path);
      if (content === null) sh(wt, 'git', ['rm', '-q', path]);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
        sh(wt, 'git', ['add', path]);
      }
    }
    sh(wt, 'git', ['commit', '-q', '-m', message]);
  } finally {
    sh(repo, 'git', ['worktree', 'remove', '--force', wt]);
    rmSync(dirname(wt), { recursive: true, force: true });
  }
}

/**
 * Commit many files to the store branch at once, as anyone with plain git can (one
 * `git fast-import`): tens of thousands of ticket files in a second, for stores at scale.
 * A null text deletes the file.
 */
export function importToStore(
  repo: string,
  files: Record<string, string | null>,
  message: string,
  branch = 'tack',
): void {
  const parent = git(repo, 'rev-parse', `refs/heads/${branch}`);
  const head = `commit refs/heads/${branch}\ncommitter Someone <someone@example.com> 1763719200 +0000\ndata ${Buffer.byteLength(message)}\n${message}\nfrom ${parent}\n`;
  const parts = [head];
  for (const [path, text] of Object.entries(files))
    parts.push(text === null ? `D ${path}\n` : `M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, env: testEnv(), input: parts.join('') });
}

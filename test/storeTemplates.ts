/**
 * vitest globalSetup: one initialised store of each kind, built once per test run. Most
 * tests start from a fresh store; copying a template costs a directory copy instead of
 * four git processes and a `tack init` each (see tempStore in helpers.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { testEnv } from './testEnv.js';

declare module 'vitest' {
  export interface ProvidedContext {
    storeTemplates: { repo: string; branch: string; inline: string } | null;
  }
}

/** The built CLI, as a user runs it. */
export const TACK_BIN = resolve(__dirname, '..', 'bin', 'tack.cjs');

/** What tempRepo and tempStore make, step by step: the templates must be exactly that. */
export function initRepo(dir: string, env: NodeJS.ProcessEnv): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'test@example.com');
  git('commit', '-q', '--allow-empty', '-m', 'initial');
}

export function initStore(dir: string, env: NodeJS.ProcessEnv, inline: boolean): void {
  initRepo(dir, env);
  execFileSync(process.execPath, [TACK_BIN, 'init', ...(inline ? ['--inline'] : [])], { cwd: dir, env, stdio: 'pipe' });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), 'tack-templates-'));
  const env = testEnv();
  const paths = { repo: join(root, 'repo'), branch: join(root, 'branch'), inline: join(root, 'inline') };
  try {
    for (const p of Object.values(paths)) mkdirSync(p);
    initRepo(paths.repo, env);
    initStore(paths.branch, env, false);
    initStore(paths.inline, env, true);
    project.provide('storeTemplates', paths);
  } catch {
    // No build yet (a unit run before `npm run build`): tests build their stores themselves.
    project.provide('storeTemplates', null);
  }
  return () => rmSync(root, { recursive: true, force: true });
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { git, revParse, tackRaw, tempStore } from './helpers.js';

/* What the gate tests (gates, agentGates, criteriaGate) share: a store with gates set, and commands that must pass or be refused. */

/** Replace the `gates:` line of the store's schema.yaml (one `tack schema set` commit, as `env`'s user). */
export function setGates(dir: string, gates: string, env: Record<string, string> = {}, inline = false): void {
  const current = inline
    ? readFileSync(join(dir, '.tack', 'schema.yaml'), 'utf8')
    : git(dir, 'show', 'tack:schema.yaml');
  const r = tackRaw(dir, ['schema', 'set', '-', '--json'], env, current.replace(/^gates: .*$/m, `gates: ${gates}`));
  if (r.status !== 0) throw new Error(`schema set failed: ${r.stderr}`);
}

/** A new store (removed by `track`), with `gates` (e.g. "{ complete_by: human }") when given. */
export function gateStore(
  track: (cleanup: () => void) => void,
  gates?: string | null,
  opts: { inline?: boolean; env?: Record<string, string> } = {},
): string {
  const s = tempStore({ inline: opts.inline });
  track(s.cleanup);
  if (gates) setGates(s.dir, gates, opts.env, opts.inline);
  return s.dir;
}

/** A command that must succeed, run with `env`: its JSON answer. */
export function tackAs(env: Record<string, string>, dir: string, ...args: string[]): any {
  const r = tackRaw(dir, [...args, '--json'], env);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} (as ${env.TACK_USER}) exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A command that must be refused, run with `env` (and `input` on stdin): the store's ref did not move; the error. */
export function refusedAs(
  env: Record<string, string>,
  dir: string,
  args: string[],
  input?: string,
): { code: string; message: string; details: any } {
  const head = revParse(dir, 'tack');
  const r = tackRaw(dir, [...args, '--json'], env, input);
  expect(r.status, r.stdout).not.toBe(0);
  expect(revParse(dir, 'tack')).toBe(head);
  return errorOf(r.stderr);
}

/** The `{"error": …}` line a failed `--json` command wrote to stderr. */
export function errorOf(stderr: string): { code: string; message: string; details: any } {
  return JSON.parse(
    stderr
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{"error"'))!,
  ).error;
}

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A git that sleeps on the subcommands a test names (a wrapper first on the PATH of the
 * process under test): while it sleeps, a surface that keeps git off its event loop still
 * answers what needs no git.
 */

const SLEEP_S = 4;

export interface SlowGit {
  env: Record<string, string>;
  /** From now on, git sleeps before running any of `subcommands`. */
  slow(...subcommands: string[]): void;
  /** A slowed git has started sleeping. */
  started(): boolean;
  /** How many times a slowed subcommand has run. */
  runs(): number;
  /** A slowed git has ended its sleep (a surface that waited for it answers after this). */
  slept(): boolean;
}

export function slowGit(track: (cleanup: () => void) => void, sleepS = SLEEP_S): SlowGit {
  const bin = mkdtempSync(join(tmpdir(), 'tack-slowgit-'));
  track(() => rmSync(bin, { recursive: true, force: true }));
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const mark = join(bin, 'slow');
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh
if [ -f '${mark}' ]; then
  for a in "$@"; do
    if grep -qxF -- "$a" '${mark}'; then echo "$a" >> '${mark}.started'; sleep ${sleepS}; echo "$a" >> '${mark}.slept'; break; fi
  done
fi
exec '${real}' "$@"
`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  return {
    env: { PATH: `${bin}:${process.env.PATH}` },
    slow: (...subcommands) => writeFileSync(mark, `${subcommands.join('\n')}\n`),
    started: () => existsSync(`${mark}.started`),
    runs: () => (existsSync(`${mark}.started`) ? readFileSync(`${mark}.started`, 'utf8').split('\n').length - 1 : 0),
    slept: () => existsSync(`${mark}.slept`),
  };
}

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { TACK_BIN, tackRaw } from './helpers.js';

/** What bash offers after the words typed so far (the last one is being completed). */
function complete(script: string, words: string[]): string[] {
  const typed = words.map((w) => `'${w}'`).join(' ');
  const program = `${script}\nCOMP_WORDS=(${typed}); COMP_CWORD=${words.length - 1}; _tack; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('tack completion', () => {
  // No repository needed: the script comes from the commands, not from a store.
  const repo = { dir: tmpdir() };
  const bash = tackRaw(repo.dir, ['completion', 'bash']).stdout;

  it('completes commands, subcommands, flags and enum values in bash', () => {
    expect(complete(bash, ['tack', 'li'])).toEqual(['list', 'link']);
    expect(complete(bash, ['tack', 'label', ''])).toEqual(['add', 'rm', 'remove']);
    expect(complete(bash, ['tack', 'list', '--st'])).toEqual(['--status', '--store']);
    expect(complete(bash, ['tack', 'create', '--audience', ''])).toEqual(['agent', 'human']);
    expect(complete(bash, ['tack', 'label', 'add', '--j'])).toEqual(['--json']);
    expect(complete(bash, ['tack', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('writes zsh (through bashcompinit) and fish scripts from the same commands', () => {
    const zsh = tackRaw(repo.dir, ['completion', 'zsh']).stdout;
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -F _tack tack');
    const fish = tackRaw(repo.dir, ['completion', 'fish']).stdout;
    expect(fish).toContain("complete -c tack -n __fish_use_subcommand -a '");
    expect(fish).toContain("complete -c tack -n '__fish_seen_subcommand_from create' -l audience -xa 'agent human'");
  });

  it('refuses an unknown shell, saying which ones it knows', () => {
    const r = tackRaw(repo.dir, ['completion', 'powershell']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expects one shell: bash, zsh, fish; received "powershell"');
    expect(spawnSync(process.execPath, [TACK_BIN, 'completion', '--help'], { encoding: 'utf8' }).stdout).toContain(
      'eval "$(tack completion bash)"',
    );
  });
});

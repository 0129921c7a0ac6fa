import { TackError } from '../model/errors.js';
import type { OpDef } from '../ops/op.js';
import { REGISTRY } from '../ops/registry.js';
import { describeInput } from './argsFromSchema.js';

/**
 * `tack completion bash|zsh|fish`: a completion script generated from the operations
 * registry, so every command, subcommand, flag and enum value the CLI accepts completes,
 * and nothing else. The words are Tack's own (never store data), checked to be plain words
 * before they are written into shell code.
 */
interface Command {
  /** One or two words: `list`, `label add`. */
  words: string[];
  flags: Array<{ flag: string; values: string[] }>;
}

const GLOBAL_FLAGS = ['--json', '--help', '--branch', '--color', '--no-color', '--wide', '--no-pager', '-C'];
// Commands that are surfaces, not operations (their flags are their own).
const SURFACES = ['serve', 'watch', 'mcp', 'import', 'connect', 'connections', 'completion'];
const SHELLS = ['bash', 'zsh', 'fish'];
const WORD = /^-{0,2}[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function plain(words: string[]): string[] {
  return words.filter((w) => WORD.test(w));
}

async function commands(): Promise<Command[]> {
  const out: Command[] = SURFACES.map((s) => ({ words: [s], flags: [] }));
  for (const shell of SHELLS) out.push({ words: ['completion', shell], flags: [] });
  for (const e of REGISTRY) {
    const op = (await e.load()).default as OpDef;
    const flags = describeInput(op).map((f) => ({ flag: `--${f.flag}`, values: plain(f.values ?? []) }));
    // `ready --claim` is a flag of `ready` as far as a shell is concerned.
    for (const words of e.words)
      if (plain(words).length === words.length && !words.some((w) => w.startsWith('-'))) out.push({ words, flags });
  }
  return out;
}

const firstWords = (cmds: Command[]) => [...new Set(cmds.map((c) => c.words[0]))];
const subWords = (cmds: Command[], first: string) =>
  cmds.filter((c) => c.words.length > 1 && c.words[0] === first).map((c) => c.words[1]);

function bash(cmds: Command[]): string {
  const firsts = firstWords(cmds);
  const subs = firsts
    .map((f) => [f, subWords(cmds, f)] as const)
    .filter(([, s]) => s.length > 0)
    .map(([f, s]) => `    ${f}) subs="${s.join(' ')}";;`);
  const flags = cmds
    .filter((c) => c.flags.length > 0)
    .map((c) => `    "${c.words.join(' ')}") flags="${c.flags.map((f) => f.flag).join(' ')}";;`);
  const values = cmds.flatMap((c) =>
    c.flags
      .filter((f) => f.values.length > 0)
      .map((f) => `    "${c.words.join(' ')}:${f.flag}") values="${f.values.join(' ')}";;`),
  );
  return `# tack completion for bash: eval "$(tack completion bash)" (or save it in your completions folder)
_tack() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${firsts.join(' ')}" -- "$cur") ); return
  fi
  local first="\${COMP_WORDS[1]}" subs="" flags="" values="" cmd
  case "$first" in
${subs.join('\n')}
  esac
  if [ "$COMP_CWORD" -eq 2 ] && [ -n "$subs" ]; then
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") ); return
  fi
  cmd="$first"
  if [ -n "$subs" ]; then cmd="$first \${COMP_WORDS[2]}"; fi
  case "$cmd:$prev" in
${values.join('\n')}
  esac
  if [ -n "$values" ]; then COMPREPLY=( $(compgen -W "$values" -- "$cur") ); return; fi
  case "$cmd" in
${flags.join('\n')}
  esac
  COMPREPLY=( $(compgen -W "$flags ${GLOBAL_FLAGS.join(' ')}" -- "$cur") )
}
complete -F _tack tack
`;
}

function zsh(cmds: Command[]): string {
  return `# tack completion for zsh: eval "$(tack completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bash(cmds).split('\n').slice(1).join('\n')}`;
}

function fish(cmds: Command[]): string {
  const lines = ['# tack completion for fish: tack completion fish | source', 'complete -c tack -f'];
  lines.push(`complete -c tack -n __fish_use_subcommand -a '${firstWords(cmds).join(' ')}'`);
  for (const f of firstWords(cmds)) {
    const s = subWords(cmds, f);
    if (s.length) lines.push(`complete -c tack -n '__fish_seen_subcommand_from ${f}' -a '${s.join(' ')}'`);
  }
  for (const c of cmds) {
    const when = c.words.map((w) => `__fish_seen_subcommand_from ${w}`).join('; and ');
    for (const f of c.flags) {
      const values = f.values.length ? ` -xa '${f.values.join(' ')}'` : '';
      lines.push(`complete -c tack -n '${when}' -l ${f.flag.slice(2)}${values}`);
    }
  }
  for (const g of GLOBAL_FLAGS.filter((x) => x.startsWith('--'))) lines.push(`complete -c tack -l ${g.slice(2)}`);
  return `${lines.join('\n')}\n`;
}

export const COMPLETION_HELP = `tack completion bash|zsh|fish

Print a completion script for the shell: commands, subcommands, flags and their values.
  bash: eval "$(tack completion bash)"   (or save it as ~/.local/share/bash-completion/completions/tack)
  zsh:  eval "$(tack completion zsh)"
  fish: tack completion fish > ~/.config/fish/completions/tack.fish`;

export async function completionCommand(
  args: string[],
  g: { help: boolean; json: boolean },
  print: (s: string) => void,
): Promise<number> {
  if (g.help) {
    print(`${COMPLETION_HELP}\n`);
    return 0;
  }
  const shell = args[0];
  if (!shell || !SHELLS.includes(shell) || args.length > 1)
    throw new TackError(
      'invalid_input',
      `tack completion expects one shell: ${SHELLS.join(', ')}; received ${JSON.stringify(args.join(' '))}`,
    );
  const cmds = await commands();
  const script = shell === 'bash' ? bash(cmds) : shell === 'zsh' ? zsh(cmds) : fish(cmds);
  print(g.json ? `${JSON.stringify({ shell, script })}\n` : script);
  return 0;
}

import type { OpDef } from './op.js';
import { REGISTRY } from './registry.js';

/**
 * `tack doctor`'s check of AGENTS.md / CLAUDE.md: an agent runs the commands it reads
 * there, so a `tack` command or flag that does not exist (renamed, never was, a typo)
 * costs it a failed call every session. Mentions are read in code (spans and fenced
 * blocks), where commands are written; prose saying "Tack" is not a command.
 */
export interface CommandSpec {
  /** Long flags, without dashes; boolean ones also take `no-`. */
  flags: Set<string>;
  short: Set<string>;
  /** A surface (serve, mcp, …): its flags are its own, not checked. */
  surface?: boolean;
}

const GLOBAL_FLAGS = ['json', 'help', 'branch', 'color', 'no-color', 'version'];
/**
 * Flags the terminal adds to an operation (src/cli/adapters.ts: a file to read the text
 * from, a file to write to); src/cli/adapters.test.ts keeps this list true.
 */
const TERMINAL_FLAGS: Record<string, string[]> = {
  export: ['out'],
  comment: ['file'],
  'comment-edit': ['file'],
  create: ['file'],
  update: ['file'],
  batch: ['file'],
  edit: ['file'],
  'schema-edit': ['file'],
  'merge-file': ['file'],
};
// Commands that are surfaces, not operations (as in the CLI's dispatch).
const SURFACES = ['serve', 'watch', 'mcp', 'import', 'connect', 'connections', 'completion', 'help'];

/** Every command the CLI accepts, by its words ("label add"), with its flags, from the operations registry. */
export async function commandTable(): Promise<Map<string, CommandSpec>> {
  const table = new Map<string, CommandSpec>(
    SURFACES.map((s) => [s, { flags: new Set<string>(), short: new Set<string>(), surface: true }]),
  );
  for (const e of REGISTRY) {
    const op = (await e.load()).default as OpDef;
    const keys = [...Object.keys(op.input.shape), ...(TERMINAL_FLAGS[e.name] ?? [])];
    const flags = new Set(keys.map((k) => k.replace(/_/g, '-')));
    const short = new Set(Object.keys(op.cli?.short ?? {}));
    for (const words of e.words) {
      // `ready --claim`: a flag of `ready` as far as a reader is concerned.
      const flagAt = words.findIndex((w) => w.startsWith('--'));
      if (flagAt > 0) {
        table.get(words.slice(0, flagAt).join(' '))?.flags.add(words[flagAt].slice(2));
        continue;
      }
      const key = words.join(' ');
      const had = table.get(key);
      if (had) for (const f of flags) had.flags.add(f);
      else table.set(key, { flags: new Set(flags), short: new Set(short) });
    }
  }
  return table;
}

export interface DocMention {
  line: number;
  message: string;
}

/** The code parts of a markdown text, with the line each starts on. */
function codeParts(text: string): Array<{ line: number; code: string }> {
  const out: Array<{ line: number; code: string }> = [];
  let fence = false;
  text.split('\n').forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) {
      fence = !fence;
      return;
    }
    if (fence) out.push({ line: i + 1, code: l });
    else for (const m of l.matchAll(/`([^`\n]+)`/g)) out.push({ line: i + 1, code: m[1] });
  });
  return out;
}

/** `tack` invocations in one line of code: the words after `tack` up to a shell separator. */
function invocations(code: string): string[][] {
  const unquoted = code.replace(/"[^"]*"|'[^']*'/g, 'ARG');
  const out: string[][] = [];
  for (const part of unquoted.split(/&&|\|\||[|;()]/)) {
    const words = part.trim().split(/\s+/);
    const at = words.indexOf('tack');
    if (at >= 0 && (at === 0 || /^(\$|npx|[A-Z_]+=\S*)$/.test(words[at - 1]))) out.push(words.slice(at + 1));
  }
  return out;
}

/** Unknown commands and flags in the text, each with its line. */
export function checkAgentDocs(text: string, table: Map<string, CommandSpec>): DocMention[] {
  const found: DocMention[] = [];
  for (const { line, code } of codeParts(text)) {
    for (const words of invocations(code)) {
      const args = words.filter((w) => w !== '');
      // The command is the first word that is neither a flag nor the value of -C / --branch.
      const first = args.findIndex((w, i) => !w.startsWith('-') && !['-C', '--branch'].includes(args[i - 1]));
      if (first < 0) continue; // `tack --help`
      const pair = args.slice(first, first + 2).join(' ');
      const name = table.has(pair) ? pair : args[first];
      const spec = table.get(name);
      if (!spec) {
        if (/^[a-z][a-z-]*$/.test(name)) found.push({ line, message: `\`tack ${name}\` is not a tack command` });
        continue;
      }
      if (spec.surface) continue;
      for (const a of args) {
        const long = /^--([a-z][a-z0-9-]*)(=.*)?$/.exec(a)?.[1];
        const short = /^-([A-Za-z])$/.exec(a)?.[1];
        const known = long
          ? spec.flags.has(long) || spec.flags.has(long.replace(/^no-/, '')) || GLOBAL_FLAGS.includes(long)
          : short
            ? spec.short.has(short) || short === 'C'
            : true;
        if (!known) found.push({ line, message: `\`tack ${name}\` has no flag ${a}` });
      }
    }
  }
  return found;
}

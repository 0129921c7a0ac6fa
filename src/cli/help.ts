import type { OpDef } from '../ops/op.js';
import { groupEntries, REGISTRY } from '../ops/registry.js';
import { describeInput } from './argsFromSchema.js';

/** Help is generated from the registry and the zod schemas: it cannot drift from the code. */
export function commandHelp(op: OpDef, words: string): string {
  const fields = describeInput(op);
  const args = op.cli?.args ?? [];
  const shortOf = Object.fromEntries(Object.entries(op.cli?.short ?? {}).map(([s, k]) => [k, s]));
  const argText = args
    .map((a) => {
      const f = fields.find((x) => x.key === a.replace('...', ''))!;
      const name = a.startsWith('...') ? `${a.slice(3)}...` : a;
      return f.optional || a.startsWith('...') ? `[${name}]` : `<${name}>`;
    })
    .join(' ');
  const lines = [`tack ${words}${argText ? ` ${argText}` : ''} [options]`, '', op.summary, ''];
  const opts = fields.filter((f) => !args.includes(f.key) && !args.includes(`...${f.key}`));
  if (opts.length) lines.push('Options:');
  for (const f of opts) {
    const value =
      f.kind === 'boolean'
        ? ''
        : f.kind === 'enum'
          ? ` <${f.values!.join('|')}>`
          : ` <${f.kind === 'other' ? 'value' : (f.elementKind ?? f.kind)}>`;
    const short = shortOf[f.key] ? `-${shortOf[f.key]}, ` : '    ';
    const repeat = f.kind === 'array' ? ' (repeatable)' : '';
    lines.push(
      `  ${short}--${f.flag}${value}`.padEnd(34) +
        ` ${f.description}${repeat && !f.description.includes('repeatable') ? repeat : ''}`,
    );
  }
  if (op.cli?.notes) lines.push('', op.cli.notes);
  lines.push(
    '',
    'Global: --json (machine-readable output), -C <dir> (run in another directory), --branch <name> (a plan branch), --color always|never|auto, --wide (lines not cut to the terminal), --no-pager, --help',
  );
  return lines.join('\n');
}

export async function mainHelp(): Promise<string> {
  const lines = [
    'tack: an issue tracker whose database is a git repository',
    '',
    'Usage: tack <command> [args] [--json]',
    '',
    'Commands:',
  ];
  for (const e of REGISTRY) {
    const op = (await e.load()).default;
    const words = e.words.map((w) => w.join(' '));
    lines.push(
      `  ${words[0].padEnd(18)} ${op.summary}${words.length > 1 ? ` (also: ${words.slice(1).join(', ')})` : ''}`,
    );
  }
  // Surface commands are not operations; their help lives with them.
  lines.push(`  ${'serve'.padEnd(18)} Serve the REST API, live events and webhooks (tack serve --help)`);
  lines.push(`  ${'watch'.padEnd(18)} Commit hand edits of the mounted files after an idle delay (tack watch --help)`);
  lines.push(`  ${'mcp'.padEnd(18)} Serve the tracker to AI agents over MCP (stdio; tack mcp --help)`);
  lines.push(
    `  ${'import'.padEnd(18)} Import beads JSONL, markdown task lists, ... as one commit (tack import --help)`,
  );
  lines.push(`  ${'connect'.padEnd(18)} Connect to Linear, GitHub or Trello for two-way sync (tack connect --help)`);
  lines.push(`  ${'sync <service>'.padEnd(18)} One sync pass with a connected service: sync linear|github|trello`);
  lines.push(`  ${'completion'.padEnd(18)} Print a shell completion script: completion bash|zsh|fish`);
  lines.push(
    `  ${'connections'.padEnd(18)} Each connection's last sync, cursor, pending creates, conflicts and errors`,
  );
  lines.push(
    '',
    'In lists: !!! urgent, !! high, ! medium, . low priority; yellow started, green completed, dim canceled.',
    'Run `tack <command> --help` for its options. Docs: README.md and docs/ in the package.',
  );
  return lines.join('\n');
}

/** The subcommands of a group, one line each ("" when `group` is not one). */
export async function subcommandLines(group: string): Promise<string> {
  const lines: string[] = [];
  for (const e of groupEntries(group)) {
    const words = e.words.filter((w) => w[0] === group).map((w) => w.join(' '));
    const op = (await e.load()).default;
    lines.push(
      `  ${words[0].padEnd(24)} ${op.summary}${words.length > 1 ? ` (also: ${words.slice(1).join(', ')})` : ''}`,
    );
  }
  return lines.length ? `Commands of ${group}:\n${lines.join('\n')}` : '';
}

/** What `tack hooks` alone prints: a group is not a command, its subcommands are. */
export async function groupHelp(group: string): Promise<string> {
  return [
    `tack ${group} <command> [options]`,
    '',
    await subcommandLines(group),
    '',
    `Run \`tack ${group} <command> --help\` for its options.`,
  ].join('\n');
}

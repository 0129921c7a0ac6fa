// Writes docs/commands.md from the CLI's own help (which is generated from the
// operations' zod schemas), so the reference cannot drift from the code.
// `node scripts/gen-docs.mjs --check` fails when docs/commands.md is out of date.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const bin = join(root, 'bin', 'tack.cjs');
const { REGISTRY } = createRequire(import.meta.url)(join(root, 'dist', 'lib.cjs'));
const run = (...args) =>
  execFileSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  }).trimEnd();

const parts = [
  '# Commands',
  '',
  'Generated from `tack help` by `node scripts/gen-docs.mjs`; do not edit by hand.',
  'Every command also takes `--json` (machine-readable output; errors as',
  '`{"error": {"code", "message"}}` on stderr with a non-zero exit), `-C <dir>` and `--branch <name>` (work on a plan branch, see sync.md).',
  '',
  '```',
  run('help'),
  '```',
];
for (const e of REGISTRY) {
  const words = e.words[0].join(' ');
  parts.push('', `## tack ${words}`, '', '```', run(...e.words[0], '--help'), '```');
}
// `serve` and `watch` are surface commands, not an operation: its help lives in src/server/serve.ts.
parts.push('', '## tack serve', '', '```', run('serve', '--help'), '```');
parts.push('', '## tack watch', '', '```', run('watch', '--help'), '```');
parts.push('', '## tack mcp', '', '```', run('mcp', '--help'), '```');
// `import` is a surface too (src/importers/importersEntry.ts).
parts.push('', '## tack import', '', '```', run('import', '--help'), '```');
// The connectors' commands (src/connectors/connectCommands.ts), also surface commands.
parts.push('', '## tack connect', '', '```', run('connect', '--help'), '```');
parts.push('', '## tack sync linear|github|trello', '', '```', run('sync', 'linear', '--help'), '```');
parts.push('', '## tack connections', '', '```', run('connections', '--help'), '```');
const text = `${parts.join('\n')}\n`;
const file = join(root, 'docs', 'commands.md');
if (process.argv.includes('--check')) {
  if (readFileSync(file, 'utf8') !== text) {
    console.error('docs/commands.md is out of date: run `node scripts/gen-docs.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
}

// Enforces DESIGN §8: model ← git ← store ← index ← ops ← surfaces. A module may import
// only from its own layer or lower ones; nothing imports cli/; only src/git runs git.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');
const RANK = { model: 0, git: 1, store: 2, index: 3, ops: 4, cli: 5, server: 5, mcp: 5, connectors: 5, importers: 5 };
const SURFACES = new Set(['cli', 'server', 'mcp', 'connectors', 'importers']);

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const layerOf = (file) => relative(ROOT, file).split('/')[0];
const ENTRIES = [
  ['cli', 'server/serve.ts'],
  ['cli', 'mcp/serveMcp.ts'],
  ['cli', 'connectors/connectorsEntry.ts'],
  ['server', 'connectors/connectorsEntry.ts'],
  ['cli', 'importers/importersEntry.ts'],
];
const isEntry = (from, target) => ENTRIES.some(([f, t]) => f === from && target === join(ROOT, t));
const problems = [];
for (const file of files(ROOT)) {
  const from = layerOf(file);
  const text = readFileSync(file, 'utf8');
  const isTest = /\.test\.tsx?$/.test(file);
  for (const m of text.matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)) {
    const to = layerOf(resolve(dirname(file), m[1]));
    if (!(to in RANK) || !(from in RANK)) continue;
    if (to === 'cli' && from !== 'cli') problems.push(`${relative(ROOT, file)} imports cli/ (${m[1]})`);
    else if (RANK[to] > RANK[from] && !isTest)
      problems.push(`${relative(ROOT, file)} (${from}) imports higher layer ${to} (${m[1]})`);
    // A surface may start another only through that surface's entry module (a dynamic
    // import, so other commands never load it): the CLI starts the server, MCP, the
    // connectors and the importers; the server runs the connectors' live sync.
    else if (isEntry(from, resolve(dirname(file), m[1]).replace(/\.js$/, '.ts'))) continue;
    else if (SURFACES.has(from) && SURFACES.has(to) && from !== to && !isTest)
      problems.push(`${relative(ROOT, file)}: surface ${from} imports surface ${to} (${m[1]})`);
  }
  if (from !== 'git' && !isTest && /spawn(Sync)?\(\s*['"]git['"]|execFile(Sync)?\(\s*['"]git['"]/.test(text)) {
    problems.push(`${relative(ROOT, file)} runs git outside src/git/`);
  }
  if (from !== 'cli' && !isTest && /process\.exit\(/.test(text))
    problems.push(`${relative(ROOT, file)} calls process.exit outside the CLI entry`);
}
if (problems.length) {
  console.error(`layer check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layer check: ${files(ROOT).length} files, layers respected`);

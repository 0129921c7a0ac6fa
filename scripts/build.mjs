// Bundle the CLI into one CommonJS file (CJS starts faster than ESM on Node 20). Heavy
// modules sit behind dynamic import(), which esbuild turns into lazy initialisers.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist/tack.cjs.cache', import.meta.url), { force: true });
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/tack.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['better-sqlite3'],
  define: { TACK_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

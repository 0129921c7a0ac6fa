// Bundle the CLI into one CommonJS file (CJS starts faster than ESM on Node 20). Heavy
// modules sit behind dynamic import(), which esbuild turns into lazy initialisers.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist/tack.cjs.cache', import.meta.url), { force: true });
// yaml is only needed when files are parsed or written, never by a query on a fresh
// index: it lives in its own file, loaded on first use, so read commands skip it.
const yamlExternal = {
  name: 'yaml-external',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.cjs', external: true }));
  },
};

// `tack serve` is the only command that needs the server (hono, chokidar): it is its own
// bundle, required on demand, so the other commands' bundle stays as small as before.
const serverExternal = {
  name: 'server-external',
  setup(b) {
    b.onResolve({ filter: /\/server\/serve\.js$/ }, () => ({ path: './server.cjs', external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['better-sqlite3'],
  define: { TACK_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/tack.cjs', plugins: [yamlExternal, serverExternal],
    // bin/tack.cjs runs the bundle in a vm.Script, which has no import(): require it.
    supported: { 'dynamic-import': false } }),
  build({ ...common, entryPoints: ['src/server/serve.ts'], outfile: 'dist/server.cjs', plugins: [yamlExternal] }),
  build({ ...common, entryPoints: ['src/lib.ts'], outfile: 'dist/lib.cjs', minify: false, plugins: [yamlExternal] }),
  build({ ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: '.' }, outfile: 'dist/yaml.cjs' }),
]);

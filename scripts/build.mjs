// Every runtime dependency is bundled, so the published package has none (they are all
// devDependencies) and installs without a compiler or a dependency tree.
// Bundle the CLI into one CommonJS file (CJS starts faster than ESM). Heavy
// modules sit behind dynamic import(), which esbuild turns into lazy initialisers.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Modules a command may never touch are loaded on first use, not when the bundle starts:
// esbuild runs a module's imports when the module is initialised, and the CLI initialises
// its context, store and index modules for every command. Each of these is replaced by a
// stand-in whose exports are getters that require the real module the first time one is
// read. yaml is only needed when files are parsed or written, never by a query on a fresh
// index: it also lives in its own file (dist/yaml.cjs). child_process pulls in net, dgram
// and stream; crypto, its ciphers; tty, net; zlib, stream (a read on an indexed store
// inflates and deflates no git object).
const require = createRequire(import.meta.url);
const LAZY = {
  yaml: './yaml.cjs',
  'node:crypto': 'node:crypto',
  'node:child_process': 'node:child_process',
  'node:tty': 'node:tty',
  'node:zlib': 'node:zlib',
};
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: /.*/, namespace: 'lazy' }, (a) => ({ path: a.path, external: true }));
    b.onResolve({ filter: /^(yaml|node:(crypto|child_process|tty|zlib))$/ }, (a) => ({
      path: a.path,
      namespace: 'lazy',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (a) => {
      const names = Object.keys(require(a.path)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const getters = names.map((k) => `  get ${k}() { return load().${k}; },`).join('\n');
      return {
        loader: 'js',
        contents: `let m;\nconst load = () => (m ??= require(${JSON.stringify(LAZY[a.path])}));\nmodule.exports = {\n${getters}\n};\n`,
      };
    });
  },
};

// zod's `z` namespace re-exports every locale (half of zod's size in a bundle, ~250 KB)
// and esbuild cannot drop what a namespace re-exports. Tack's messages are English (zod's
// default, set by zod itself from locales/en.js): only that locale is bundled.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
    }));
  },
};

// Heavy surfaces are bundles of their own, required on demand through one entry module
// each, so the other commands' bundle stays as small as before: `tack serve` (hono,
// chokidar), `tack mcp` (the MCP SDK), the connectors (@linear/sdk, octokit), importers.
const SURFACE_BUNDLES = [
  { entry: 'src/server/serve.ts', filter: /\/server\/serve\.js$/, out: 'server.cjs' },
  { entry: 'src/mcp/serveMcp.ts', filter: /\/mcp\/serveMcp\.js$/, out: 'mcp.cjs' },
  { entry: 'src/connectors/connectorsEntry.ts', filter: /\/connectors\/connectorsEntry\.js$/, out: 'connectors.cjs' },
  { entry: 'src/importers/importersEntry.ts', filter: /\/importers\/importersEntry\.js$/, out: 'importers.cjs' },
].filter((s) => existsSync(new URL(`../${s.entry}`, import.meta.url)));
const surfacesExternal = (except) => ({
  name: 'surfaces-external',
  setup(b) {
    for (const s of SURFACE_BUNDLES) {
      if (s.out !== except) b.onResolve({ filter: s.filter }, () => ({ path: `./${s.out}`, external: true }));
    }
  },
});

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  define: { TACK_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
// The web UI (web/, React + Vite) into dist/web, served by `tack serve` at `/`.
const webBuild = async () => {
  if (!existsSync(new URL('../web/vite.config.ts', import.meta.url))) return;
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: new URL('../web/vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
};
await Promise.all([
  webBuild(),
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/tack.cjs',
    plugins: [zodEnglishOnly, lazyModules, surfacesExternal()],
    // bin/tack.cjs runs the bundle in a vm.Script, which has no import(): require it.
    supported: { 'dynamic-import': false },
  }),
  ...SURFACE_BUNDLES.map((s) =>
    build({
      ...common,
      entryPoints: [s.entry],
      outfile: `dist/${s.out}`,
      plugins: [zodEnglishOnly, lazyModules, surfacesExternal(s.out)],
    }),
  ),
  build({
    ...common,
    entryPoints: ['src/lib.ts'],
    outfile: 'dist/lib.cjs',
    minify: false,
    plugins: [zodEnglishOnly, lazyModules],
  }),
  // The child process a bounded SQL query runs in (src/index/boundedQuery.ts); the same
  // file is also the worker thread the child runs the statement in (src/index/queryProcess.ts).
  build({ ...common, entryPoints: ['src/index/queryProcess.ts'], outfile: 'dist/queryProcess.cjs' }),
  // The child process the server runs remote operations in (src/server/opChild.ts), and
  // the worker thread such a child runs its operation in (src/server/opProcess.ts).
  build({
    ...common,
    entryPoints: ['src/server/opProcess.ts'],
    outfile: 'dist/opProcess.cjs',
    plugins: [zodEnglishOnly, lazyModules, surfacesExternal()],
  }),
  build({
    ...common,
    stdin: { contents: "module.exports = require('yaml');", resolveDir: '.' },
    outfile: 'dist/yaml.cjs',
  }),
]);

// The layer rules of DESIGN §8, checked on resolved imports (every form: static, side-effect,
// type-only, `require`, `import()` of a literal). scripts/check-layers.mjs runs this and adds
// the checks that are not about imports (process.exit, non-literal import(), loaders).
// test/layerRules.test.ts plants each violation and expects a failure.
const LAYERS = ['model', 'git', 'store', 'index', 'ops'];
const SURFACES = ['cli', 'server', 'mcp', 'connectors', 'importers'];
// What the surfaces hand to operations (OpContext.effects): the network, child processes,
// argv. The layers receive it and never import it; it imports no surface.
const EFFECTS = 'effects';
const NOT_TEST = '\\.test\\.tsx?$';

// Below `layer`'s own rank: what it may import. Everything above is forbidden.
const higherThan = (i) => [...LAYERS.slice(i + 1), EFFECTS, ...SURFACES];
const layerRules = LAYERS.map((layer, i) => ({
  name: `${layer}-imports-higher-layer`,
  comment: `src/${layer}/ may import only from ${LAYERS.slice(0, i + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^src/${layer}/`, pathNot: NOT_TEST },
  to: { path: `^src/(${higherThan(i).join('|')})/` },
}));

// A surface starts another only through that surface's entry module, loaded on demand.
const ENTRIES = {
  'server/serve\\.ts': ['cli'],
  'mcp/serveMcp\\.ts': ['cli'],
  'importers/importersEntry\\.ts': ['cli'],
  'connectors/connectorsEntry\\.ts': ['cli', 'server'],
  // Where a long-lived surface runs an operation: children and lanes, off its event loop.
  'server/placedRun\\.ts': ['mcp'],
};
const entryRules = Object.entries(ENTRIES).map(([entry, allowed]) => ({
  name: `entry-${entry.split('/')[0]}`,
  comment: `src/${entry.replace(/\\/g, '')} is started only from ${allowed.join(', ')}`,
  severity: 'error',
  from: { path: '^src/', pathNot: [`^src/(${allowed.join('|')})/`, `^src/${entry.split('/')[0]}/`, NOT_TEST] },
  to: { path: `^src/${entry}$` },
}));

// Child processes: git runs only from src/git/run.ts. The other places that start a process
// today are listed here one by one, so a new one is a failure until someone decides.
const CHILD_PROCESS_ALLOWED = [
  '^src/git/',
  '^src/index/boundedQuery\\.ts$', // forks Tack's own SQL child (a query can be killed)
  '^src/server/opChild\\.ts$', // forks Tack's own child for operations off the event loop
  '^src/server/serve\\.ts$', // opens the browser for `serve --open`
  '^src/cli/editor\\.ts$', // runs $EDITOR for `tack edit`
  '^src/cli/terminal\\.ts$', // runs $PAGER for long human output
  '^src/effects/shellCommand\\.ts$', // runs the user's hook commands (OpEffects.runShell)
  '^src/effects/tackChild\\.ts$', // starts Tack itself: trigger delivery, auto-sync (OpEffects.startTack/runTack)
];

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'imports-cli',
      comment: 'nothing imports src/cli/: the CLI is the outermost surface',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', NOT_TEST] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'surface-imports-surface',
      comment: 'a surface may use another only through its entry module',
      severity: 'error',
      from: { path: `^src/(${SURFACES.join('|')})/`, pathNot: NOT_TEST },
      to: {
        path: `^src/(${SURFACES.join('|')})/`,
        pathNot: ['^src/$1/', ...Object.keys(ENTRIES).map((e) => `^src/${e}$`)],
      },
    },
    ...entryRules,
    {
      name: 'effects-imports-surface',
      comment: 'src/effects/ is what every surface hands to operations; it imports no surface',
      severity: 'error',
      from: { path: `^src/${EFFECTS}/`, pathNot: NOT_TEST },
      to: { path: `^src/(${SURFACES.join('|')})/` },
    },
    {
      name: 'child-process-outside-allowed',
      comment: 'child processes start only in src/git/ and the listed places',
      severity: 'error',
      from: { path: '^src/', pathNot: [...CHILD_PROCESS_ALLOWED, NOT_TEST] },
      to: { dependencyTypes: ['core'], path: '^(node:)?child_process$' },
    },
    {
      name: 'module-loader-outside-lazy-builtin',
      comment: 'createRequire hides what a module loads; only model/lazyBuiltin.ts may use it',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/model/lazyBuiltin\\.ts$', NOT_TEST] },
      to: { dependencyTypes: ['core'], path: '^(node:)?module$' },
    },
    {
      name: 'src-imports-web-or-test',
      comment: 'the product never loads the web sources, tests or scripts',
      severity: 'error',
      from: { path: '^src/', pathNot: NOT_TEST },
      to: { path: '^(web|test|scripts|bench)/' },
    },
    {
      name: 'web-imports-outside-web',
      comment: 'the web UI talks to the REST API; it imports no server code but the shared pure modules',
      severity: 'error',
      from: { path: '^web/' },
      // Pure modules written for both sides are listed here (no Node built-ins in them).
      to: { path: '^(src|test|scripts|bench)/', pathNot: '^src/model/lineDiff\\.ts$' },
    },
    {
      name: 'not-resolvable',
      comment: 'an import that does not resolve is a typo or a missing file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
    exoticRequireStrings: ['req'],
  },
};

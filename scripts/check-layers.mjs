// Enforces DESIGN §8 (model ← git ← store ← index ← ops ← surfaces) with two tools that read
// the code as a compiler does, not as text: dependency-cruiser resolves every import form
// against .dependency-cruiser.cjs, and the TypeScript parser finds what is not an import
// (process.exit, import() of a computed name, git started outside src/git).
// Usage: node scripts/check-layers.mjs [--root DIR]... [--json]
// (test/layerRules.test.ts checks many small trees in one run: --root for each, --json)
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import ts from 'typescript';

const args = process.argv.slice(2);
const roots = args.flatMap((a, i) => (args[i - 1] === '--root' ? [resolve(a)] : []));
if (roots.length === 0) roots.push(resolve(dirname(new URL(import.meta.url).pathname), '..'));
const asJson = args.includes('--json');
const scanned = (root) => ['src', 'web/src', 'bin', 'scripts', 'bench'].filter((d) => existsSync(join(root, d)));

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|mjs|cjs)$/.test(f) ? [p] : [];
  });
}

async function importProblems(root) {
  const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs'));
  const cwd = process.cwd();
  process.chdir(root); // the rules' paths are relative to the project root
  try {
    const result = await cruise(
      scanned(root),
      { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } },
      undefined,
      { tsConfig: ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config },
    );
    return result.output.summary.violations.map((v) => `${v.from} → ${v.to}: ${v.rule.name}`);
  } finally {
    process.chdir(cwd);
  }
}

const SPAWNERS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']);
const isTest = (rel) => /\.test\.tsx?$/.test(rel);
const CHILD_PROCESS = /^(node:)?child_process$/;
const FS = /^(node:)?fs(\/promises)?$/;

/**
 * Operations reach the network, processes and argv only through ctx.effects (src/ops/op.ts):
 * in src/ops/ a global fetch, process.argv and child_process in any form are refused,
 * whatever the import rules' allow-list says. Files are read and written through src/store/
 * (the store, its work tree, local files), so `fs` in any form is refused there too.
 */
function opsEffectProblems(node, at) {
  if (ts.isPropertyAccessExpression(node) && node.expression.getText() === 'process' && node.name.text === 'argv')
    return [`${at(node)}: process.argv in src/ops/ (operations get the program from ctx.effects.tack)`];
  if (ts.isCallExpression(node)) {
    const callee = node.expression.getText();
    if (/^((globalThis|window|self)\.)?fetch$/.test(callee))
      return [`${at(node)}: fetch() in src/ops/ (operations reach the network through ctx.effects.fetch)`];
  }
  const named = ts.isImportDeclaration(node) || ts.isExportDeclaration(node) ? node.moduleSpecifier : undefined;
  const loaded = ts.isCallExpression(node) ? node.arguments[0] : undefined;
  const spec = named ?? loaded;
  const module = spec && (ts.isStringLiteral(spec) || ts.isNoSubstitutionTemplateLiteral(spec)) ? spec.text : '';
  if (CHILD_PROCESS.test(module))
    return [`${at(node)}: child_process in src/ops/ (operations start processes through ctx.effects)`];
  if (FS.test(module)) return [`${at(node)}: fs in src/ops/ (operations read and write files through src/store/)`];
  return [];
}

/** The one module that turns SQLite's untyped rows into the shape a statement declares. */
const ROW_READER = 'src/index/sqlite.ts';
const ROW_METHODS = new Set(['get', 'all', 'iterate']);

/**
 * A row's shape is declared once, on the statement (`db.prepare<Row>(sql)`); an `as` on a
 * `.get()`/`.all()`/`.iterate()` result would be a second, unchecked declaration of it.
 */
function rowCastProblem(node, at) {
  if (!ts.isAsExpression(node) && !ts.isTypeAssertionExpression(node)) return [];
  let inner = node.expression;
  while (ts.isParenthesizedExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression;
  if (!ts.isCallExpression(inner) || !ts.isPropertyAccessExpression(inner.expression)) return [];
  const method = inner.expression.name.text;
  if (!ROW_METHODS.has(method) || ts.isConstTypeReference(node.type)) return [];
  return [`${at(node)}: \`as\` on a .${method}() result (declare the row on the statement: prepare<Row>(sql))`];
}

/** What is not an import: exits, computed module names, git started outside src/git, casts on rows. */
function syntaxProblems(rel, text) {
  const out = [];
  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true);
  const at = (node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const inOps = rel.startsWith('src/ops/');
  const visit = (node) => {
    if (inOps) out.push(...opsEffectProblems(node, at));
    if (rel !== ROW_READER) out.push(...rowCastProblem(node, at));
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.getText() === 'process' &&
      (node.name.text === 'exit' || node.name.text === 'exitCode') &&
      rel !== 'src/cli/main.ts'
    )
      out.push(`${at(node)}: process.${node.name.text} outside the CLI entry (src/cli/main.ts)`);
    if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const literal = first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first));
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword && !literal)
        out.push(`${at(node)}: import() of a computed name (the layer rules cannot see it)`);
      const callee = ts.isPropertyAccessExpression(node.expression)
        ? node.expression.name.text
        : node.expression.getText();
      if (SPAWNERS.has(callee) && first && /git/i.test(first.getText()) && !rel.startsWith('src/git/'))
        out.push(`${at(node)}: runs git outside src/git/`);
      if (callee === 'lazyBuiltin' && first && /child_process/.test(first.getText()) && !rel.startsWith('src/git/'))
        out.push(`${at(node)}: loads child_process outside src/git/ through lazyBuiltin`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every breach of the rules in the project at `root`, and how many files of src/ were read. */
async function checkRoot(root) {
  const problems = await importProblems(root);
  const srcFiles = files(join(root, 'src'));
  for (const file of srcFiles) {
    const rel = relative(root, file);
    if (isTest(rel)) continue;
    if (dirname(rel) === 'src' && rel !== 'src/lib.ts')
      problems.push(`${rel}: a file at the src/ root belongs to no layer`);
    problems.push(...syntaxProblems(rel, readFileSync(file, 'utf8')));
  }
  return { root, problems, files: srcFiles.length };
}

const results = [];
for (const root of roots) results.push(await checkRoot(root));
if (asJson) console.log(JSON.stringify(results));
else
  for (const { root, problems, files: n } of results) {
    const where = roots.length > 1 ? ` of ${root}` : '';
    if (problems.length) console.error(`layer check${where} failed:\n  ${problems.join('\n  ')}`);
    else
      console.log(
        `layer check${where}: ${n} files in src/ (and ${scanned(root).slice(1).join(', ')}), layers respected`,
      );
  }
if (results.some((r) => r.problems.length)) process.exitCode = 1;

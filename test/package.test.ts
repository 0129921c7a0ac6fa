import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDir, testEnv } from './helpers.js';

// The package as users get it: `npm pack`, a global install of the tarball into a clean
// prefix with no network (the package has no dependencies: everything is bundled), then
// the installed `tack` run from an unrelated directory on the Node running this test.
const root = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: object };
let work: string;
let tackBin: string;
let repo: string;
let env: NodeJS.ProcessEnv;

function tack(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tackBin, args, { cwd: repo, env, encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function ok(args: string[]): string {
  const r = tack(args);
  expect(r.status, `tack ${args.join(' ')}: ${r.stderr}`).toBe(0);
  expect(r.stderr, `tack ${args.join(' ')} printed to stderr`).toBe('');
  return r.stdout;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tack-package-'));
  // dist/ is built by `npm test` before the suite; --ignore-scripts keeps `prepare` from
  // rebuilding it under the other test files' feet.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  });
  const tarball = join(work, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  const prefix = join(work, 'prefix');
  // The Node running this test also runs the installed bin (its shebang is `env node`).
  const path = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  env = { ...testEnv(), PATH: path, npm_config_prefix: prefix, XDG_CACHE_HOME: join(work, 'cache') };
  execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], {
    cwd: work,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  tackBin = join(prefix, 'bin', 'tack');
  repo = join(work, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'init'], { cwd: repo, env });
}, 180_000);
// A process the last test started (a code cache written at exit) may still write under it.
afterAll(() => removeTempDir(work));

describe('the npm package, installed globally from its tarball', () => {
  it('has no runtime dependencies and installs nothing but itself', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    const installed = join(work, 'prefix', 'lib', 'node_modules', 'tack');
    expect(existsSync(join(installed, 'dist', 'tack.cjs'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'web', 'index.html'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(readdirSync(join(installed, '..')).sort()).toEqual(['tack']);
  });

  it('prints its version', () => {
    expect(ok(['--version']).trim()).toBe(`tack ${pkg.version}`);
  });

  it('initializes a store, creates and lists tickets', () => {
    ok(['init']);
    const created = JSON.parse(ok(['create', 'Packaged ticket', '--json'])) as { id: string };
    const list = JSON.parse(ok(['list', '--json'])) as { id: string; title: string }[];
    expect(list.map((t) => [t.id, t.title])).toEqual([[created.id, 'Packaged ticket']]);
  });

  it('imports a markdown task list', () => {
    writeFileSync(join(repo, 'TASKS.md'), '# Tasks\n\n## M1\n\n### T-1 — Imported task\n\nStatus: todo\n');
    const r = tack(['import', 'markdown', 'TASKS.md', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const titles = (JSON.parse(ok(['list', '--all', '--json'])) as { title: string }[]).map((t) => t.title);
    expect(titles).toContain('Imported task');
  });

  it('serves the API and the web UI', async () => {
    const proc = spawn(tackBin, ['serve', '--port', '0'], { cwd: repo, env });
    try {
      const url = await new Promise<string>((res, rej) => {
        let out = '';
        const timer = setTimeout(() => rej(new Error(`tack serve did not start: ${out}`)), 30_000);
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            res(m[1]!);
          }
        });
        proc.on('exit', (code) => rej(new Error(`tack serve exited ${code}`)));
      });
      const api = await fetch(new URL('/api/tickets', url));
      expect(api.status).toBe(200);
      expect(JSON.stringify(await api.json())).toContain('Packaged ticket');
      const page = await fetch(new URL('/', url));
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally {
      proc.kill();
    }
  }, 60_000);

  it('answers an MCP initialize over stdio', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pkg-test', version: '1' } },
    };
    const proc = spawn(tackBin, ['mcp'], { cwd: repo, env });
    try {
      const reply = await new Promise<{ id: number; result: { serverInfo: { name: string } } }>((res, rej) => {
        let out = '';
        const timer = setTimeout(() => rej(new Error(`no MCP reply: ${out}`)), 30_000);
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n').find((l) => l.includes('"id":1'));
          if (line) {
            clearTimeout(timer);
            res(JSON.parse(line));
          }
        });
        proc.stdin.write(`${JSON.stringify(init)}\n`);
      });
      expect(reply.id).toBe(1);
      expect(reply.result.serverInfo.name).toMatch(/tack/i);
    } finally {
      proc.stdin.end();
      proc.kill();
    }
  }, 60_000);
});

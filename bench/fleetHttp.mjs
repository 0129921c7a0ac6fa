#!/usr/bin/env node
/**
 * Many agents, one remote, a real transport (issue 15, item 5): a bare repository served by
 * `git http-backend` behind lighttpd (Debian's package) on 127.0.0.1, N clones working at
 * once. Each agent loops: `claim next` (the lease is published to the remote), comment,
 * close, `sync`. At the end every clone syncs until all agree, and the run proves that every
 * acknowledged operation (a command that exited 0) is in the final state of every clone and
 * that no ticket was claimed by two agents.
 *
 *   node bench/fleetHttp.mjs [--agents 50] [--ops 4] [--json]
 *
 * `runFleet` is also what test/fleetHttp.test.ts runs with 8 agents.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TACK = join(ROOT, 'bin', 'tack.cjs');
const HTTP_BACKEND = ['/usr/lib/git-core/git-http-backend', '/usr/libexec/git-core/git-http-backend'].find(existsSync);

/** Where lighttpd is, or null (the test says why it cannot run; CI installs it). */
export function lighttpdPath() {
  for (const p of ['/usr/sbin/lighttpd', '/usr/bin/lighttpd']) if (existsSync(p)) return p;
  return null;
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/** Serve `projectRoot` over git's smart HTTP on 127.0.0.1; resolves with the base URL and a stop function. */
async function serveGit(projectRoot, work) {
  const port = await freePort();
  const conf = join(work, 'lighttpd.conf');
  writeFileSync(
    conf,
    [
      `server.document-root = "${projectRoot}"`,
      `server.bind = "127.0.0.1"`,
      `server.port = ${port}`,
      `server.errorlog = "${join(work, 'lighttpd-error.log')}"`,
      `server.max-connections = 512`,
      `server.modules = ("mod_alias", "mod_cgi", "mod_setenv")`,
      `alias.url = ("/git/" => "${HTTP_BACKEND}/")`,
      `$HTTP["url"] =~ "^/git/" {`,
      `  cgi.assign = ("" => "")`,
      `  setenv.set-environment = ("GIT_PROJECT_ROOT" => "${projectRoot}", "GIT_HTTP_EXPORT_ALL" => "1")`,
      `}`,
    ].join('\n'),
  );
  const server = spawn(lighttpdPath(), ['-D', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}/git`;
  for (let i = 0; ; i++) {
    const r = await fetch(`${url}/store.git/info/refs?service=git-upload-pack`).catch(() => null);
    if (r?.ok) break;
    if (i > 100 || server.exitCode !== null) throw new Error(`lighttpd did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop: () => server.kill('SIGTERM') };
}

const gitEnv = {
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
};

function gitSync(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Run the CLI without blocking the others; resolves with status, stdout and the time it took. */
function tack(cwd, env, args) {
  return new Promise((res) => {
    const started = Date.now();
    const child = spawn(process.execPath, [TACK, ...args], { cwd, env: { ...gitEnv, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (status) => res({ status, out, err, ms: Date.now() - started }));
  });
}

function tackOk(cwd, env, ...args) {
  const r = spawnSync(process.execPath, [TACK, ...args], { cwd, env: { ...gitEnv, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `tack sync` until it succeeds (a sync that gives up after its own retries counts as retried). */
async function syncUntilDone(dir, env, stats) {
  for (let i = 0; i < 30; i++) {
    const r = await tack(dir, env, ['sync', '--json']);
    if (r.status === 0) {
      stats.syncRetries += Math.max(0, (JSON.parse(r.out).attempts ?? 1) - 1);
      return;
    }
    stats.syncRetries++;
    await new Promise((res) => setTimeout(res, 50 + Math.random() * 200));
  }
  throw new Error(`${dir}: sync never succeeded`);
}

async function agentLoop(dir, name, ops, stats) {
  const env = { TACK_USER: name, TACK_AGENT: name };
  const done = { name, claims: [], comments: [], closes: [], ms: 0, failures: 0 };
  const started = Date.now();
  for (let i = 0; i < ops; i++) {
    const claim = await tack(dir, env, ['claim', 'next', '--json']);
    if (claim.status !== 0) {
      if (/"code":"not_found"/.test(claim.out)) break;
      done.failures++;
      continue;
    }
    const id = JSON.parse(claim.out).ticket.id;
    done.claims.push(id);
    if (process.env.FLEET_DEBUG) process.stderr.write(`${Date.now() % 100000} ${name} claimed ${id}\n`);
    const text = `worked by ${name}, op ${i}`;
    if ((await tack(dir, env, ['comment', id, text])).status === 0) done.comments.push({ id, text });
    else done.failures++;
    if ((await tack(dir, env, ['close', id])).status === 0) done.closes.push(id);
    else done.failures++;
    if (process.env.FLEET_DEBUG) process.stderr.write(`${Date.now() % 100000} ${name} closed ${id}\n`);
    await syncUntilDone(dir, env, stats);
  }
  done.ms = Date.now() - started;
  return done;
}

/** The final state of one clone: ticket statuses and comment texts. */
function finalState(dir) {
  const rows = JSON.parse(tackOk(dir, {}, 'sql', '--json', 'SELECT id, status FROM tickets'));
  const comments = JSON.parse(tackOk(dir, {}, 'sql', '--json', 'SELECT ticket AS id, body FROM comments'));
  return { status: new Map(rows.map((r) => [r.id, r.status])), comments };
}

/** Check every acknowledged operation against every clone; returns the problems found. */
function verify(clones, results) {
  const problems = [];
  const claimedBy = new Map();
  for (const r of results)
    for (const id of r.claims) {
      if (claimedBy.has(id)) problems.push(`${id} claimed by ${claimedBy.get(id)} and ${r.name}`);
      claimedBy.set(id, r.name);
    }
  for (const dir of clones) {
    const s = finalState(dir);
    for (const r of results) {
      for (const id of r.closes)
        if (s.status.get(id) !== 'done') problems.push(`${dir}: ${id} closed by ${r.name} is ${s.status.get(id)}`);
      for (const c of r.comments)
        if (!s.comments.some((x) => x.id === c.id && String(x.body).includes(c.text)))
          problems.push(`${dir}: comment "${c.text}" on ${c.id} missing`);
    }
  }
  return problems;
}

export async function runFleet({ agents = 50, ops = 4, log = () => {} } = {}) {
  if (!lighttpdPath()) throw new Error('lighttpd is not installed (apt-get install lighttpd)');
  if (!HTTP_BACKEND) throw new Error('git-http-backend not found');
  const work = mkdtempSync(join(tmpdir(), 'tack-fleet-'));
  const projectRoot = join(work, 'srv');
  mkdirSync(projectRoot);
  gitSync(projectRoot, 'init', '-q', '--bare', 'store.git');
  gitSync(join(projectRoot, 'store.git'), 'config', 'http.receivepack', 'true');
  const served = await serveGit(projectRoot, work);
  try {
    const remote = `${served.url}/store.git`;
    const seed = join(work, 'seed');
    gitSync(work, 'clone', '-q', remote, seed);
    gitSync(seed, 'config', 'user.name', 'Seed');
    gitSync(seed, 'config', 'user.email', 'seed@example.com');
    gitSync(seed, 'commit', '-q', '--allow-empty', '-m', 'init');
    gitSync(seed, 'push', '-q', 'origin', 'HEAD');
    tackOk(seed, {}, 'init');
    const tickets = agents * ops + agents;
    const items = Array.from({ length: tickets }, (_, i) => JSON.stringify({ op: 'create', title: `Task ${i + 1}` }));
    writeFileSync(join(work, 'seed.jsonl'), `${items.join('\n')}\n`);
    tackOk(seed, {}, 'batch', join(work, 'seed.jsonl'));
    tackOk(seed, {}, 'sync');
    log(`seeded ${tickets} tickets; cloning ${agents} agents over ${served.url}`);
    const clones = [];
    for (let i = 0; i < agents; i++) {
      const dir = join(work, `agent-${i + 1}`);
      gitSync(work, 'clone', '-q', remote, dir);
      gitSync(dir, 'config', 'user.name', `agent-${i + 1}`);
      gitSync(dir, 'config', 'user.email', `agent-${i + 1}@example.com`);
      tackOk(dir, {}, 'setup');
      clones.push(dir);
    }
    const stats = { syncRetries: 0 };
    const started = Date.now();
    const results = await Promise.all(clones.map((dir, i) => agentLoop(dir, `agent-${i + 1}`, ops, stats)));
    const elapsed = Date.now() - started;
    // Converge: one round of syncs brings each clone's work to the remote, a second brings it all back.
    for (let round = 0; round < 2; round++) for (const dir of clones) await syncUntilDone(dir, {}, stats);
    const problems = verify(clones, results);
    const operations = results.reduce((n, r) => n + r.claims.length + r.comments.length + r.closes.length, 0);
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    return {
      agents,
      opsPerAgent: ops,
      transport: 'git http-backend behind lighttpd',
      seconds: elapsed / 1000,
      operations,
      opsPerSecond: Math.round((operations / elapsed) * 1000 * 10) / 10,
      syncRetries: stats.syncRetries,
      claims: results.reduce((n, r) => n + r.claims.length, 0),
      failures: results.reduce((n, r) => n + r.failures, 0),
      slowestAgentSeconds: times[times.length - 1] / 1000,
      medianAgentSeconds: times[Math.floor(times.length / 2)] / 1000,
      problems,
    };
  } finally {
    served.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const json = process.argv.includes('--json');
  const report = await runFleet({
    agents: arg('agents', 50),
    ops: arg('ops', 4),
    log: json || !process.stderr.isTTY ? () => {} : (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, json ? 0 : 2)}\n`);
  if (report.problems.length) process.exitCode = 1;
}

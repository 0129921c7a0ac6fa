// Calls of one `tack mcp` while its own writes run (issue 13). Usage, after `npm run build`:
//   [TACK_ROOT=/other/checkout] node bench/mcpLatency.mjs --store DIR [--writes 15] [--json]
// The store is copied first (the writes land in the copy). One MCP process, as an agent's
// harness starts it: a small `list` alone, a `create` alone, then `--writes` creates sent at
// once (a client that does not wait) with a `list` every 20 ms until they are all answered.
// Reports each phase's p50 and slowest call, in ms.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchEnv, tackBuild } from './benchStore.mjs';

const root = process.env.TACK_ROOT ?? resolve(new URL('.', import.meta.url).pathname, '..');
const { bin } = tackBuild(root);
const args = process.argv.slice(2);
const arg = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const source = arg('store');
if (!source) throw new Error('--store DIR: a store to copy (e.g. one bench/run.mjs --store made)');
const WRITES = Number(arg('writes') ?? 15);
const work = mkdtempSync(join(tmpdir(), 'tack-mcplat-'));
const dir = join(work, 'store');
cpSync(source, dir, { recursive: true });

const proc = spawn(process.execPath, [bin, 'mcp'], { cwd: dir, env: benchEnv });
proc.stderr.on('data', (d) => process.stderr.write(d));
const waiting = new Map();
let buf = '';
proc.stdout.setEncoding('utf8').on('data', (d) => {
  buf += d;
  for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
    const m = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  }
});
let seq = 0;
const send = (method, params) =>
  new Promise((done) => {
    const id = ++seq;
    waiting.set(id, done);
    proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
const call = async (name, args) => {
  const t0 = performance.now();
  const m = await send('tools/call', { name, arguments: args });
  if (m.error || m.result?.isError) throw new Error(`${name}: ${JSON.stringify(m).slice(0, 300)}`);
  return performance.now() - t0;
};
const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: +s[Math.floor(s.length / 2)].toFixed(1), max: +s[s.length - 1].toFixed(1) };
};

try {
  await send('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  });
  proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  await call('list', { limit: 5 });
  await call('create', { title: 'warm-up' }); // the write lane's child starts
  const alone = [];
  for (let i = 0; i < 15; i++) alone.push(await call('list', { limit: 5 }));
  const creates = [];
  for (let i = 0; i < 15; i++) creates.push(await call('create', { title: `alone ${i}` }));
  const during = [];
  let done = false;
  const writes = Promise.all(Array.from({ length: WRITES }, (_, i) => call('create', { title: `at once ${i}` })));
  writes.then(() => (done = true));
  while (!done) {
    during.push(await call('list', { limit: 5 }));
    await new Promise((r) => setTimeout(r, 20));
  }
  const result = {
    store: source,
    load: +loadavg()[0].toFixed(2),
    listAlone: stats(alone),
    createAlone: stats(creates),
    writesAtOnce: +Math.max(...(await writes)).toFixed(1),
    listDuringWrites: stats(during),
  };
  console.log(args.includes('--json') ? JSON.stringify(result) : JSON.stringify(result, null, 2));
} finally {
  proc.stdin.end();
  await new Promise((r) => proc.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}

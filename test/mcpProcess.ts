import { spawn, type ChildProcess } from 'node:child_process';
import { TACK_BIN, testEnv } from './helpers.js';

/*
 * `tack mcp` spoken to in raw JSON-RPC lines, for tests that watch when each answer comes
 * (the SDK's client answers calls in order of its own awaiting).
 */

export interface McpProc {
  proc: ChildProcess;
  /** Write one JSON-RPC message. */
  send(m: object): void;
  /** What it wrote to stdout so far. */
  out(): string;
  err(): string;
  /** Has the answer to request `id` come? */
  answered(id: number): boolean;
}

/** `tack mcp` in `dir`, initialised as client `test/1`, with `env` over the test environment. */
export function startMcp(dir: string, env: Record<string, string> = {}): McpProc {
  const proc = spawn(process.execPath, [TACK_BIN, 'mcp'], { cwd: dir, env: testEnv(env) });
  let err = '';
  let out = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const send = (m: object) => proc.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
  send({
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
  });
  send({ method: 'notifications/initialized' });
  return {
    proc,
    send,
    out: () => out,
    err: () => err,
    answered: (id) => out.includes(`"id":${id}}`) || out.includes(`"id":${id},`),
  };
}

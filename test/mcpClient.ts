import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expect } from 'vitest';
import { TACK_BIN, testEnv } from './helpers.js';

/* The MCP SDK's own client talking to the built `tack mcp` over stdio: what an agent harness runs. */

const open: Client[] = [];

/** Close every client connected since the last call (an afterEach). */
export async function closeClients(): Promise<void> {
  while (open.length) await open.pop()!.close();
}

/** Connect as `user` in `dir`, with extra environment (TACK_NOW, TACK_AGENT, ...), naming the client in `initialize` as `info`. */
export async function connect(
  dir: string,
  user: string,
  extra: Record<string, string> = {},
  info: { name: string; version: string } = { name: 'tack-test', version: '1.0.0' },
): Promise<Client> {
  const env = Object.fromEntries(
    Object.entries(testEnv({ TACK_USER: user, ...extra })).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [TACK_BIN, 'mcp'],
    cwd: dir,
    env,
    stderr: 'pipe',
  });
  const client = new Client(info);
  await client.connect(transport);
  open.push(client);
  return client;
}

export type CallResult = { content: Array<{ type: string; text: string }>; isError?: boolean };

/** A tool call that must succeed: its JSON answer (brief and prime answer markdown). */
// biome-ignore lint/suspicious/noExplicitAny: tool answers are JSON of many shapes
export async function call(c: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const r = (await c.callTool({ name, arguments: args })) as CallResult;
  if (r.isError) throw new Error(`${name} failed: ${r.content[0].text}`);
  const text = r.content[0].text;
  return name === 'brief' || name === 'prime' ? text : JSON.parse(text);
}

/** A tool call that must fail: its error ({code, message, details}). */
export async function callError(
  c: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const r = (await c.callTool({ name, arguments: args })) as CallResult;
  expect(r.isError, `${name} should have failed: ${r.content[0]?.text}`).toBe(true);
  return JSON.parse(r.content[0].text).error;
}

import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { isTackError, TackError } from '../model/errors.js';
import { stopQueries } from '../index/boundedQuery.js';
import { detectProvenance } from '../model/provenance.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import type { OpContext } from '../ops/op.js';
import { runOp } from '../ops/runOp.js';
import { nextPage, pageInfo } from '../ops/page.js';
import { inProcessDeliverer } from '../ops/triggerKick.js';
import { currentSchemaText } from '../ops/schemaWrite.js';
import { ANSWER_BUDGET, callTool, listTools } from './mcpTools.js';
import { TOOL_SPECS } from './toolSpecs.js';
import { cutText } from '../model/textCut.js';

type Json = Record<string, unknown>;

declare const TACK_VERSION: string;

const MCP_HELP = `tack mcp: serve this store to an MCP client over stdio

Usage: tack mcp [-C DIR] [--branch PLAN]

Tools (generated from the operations): prime, ready (claim: true takes the top one),
list, show, search, create, update, comment, link, claim, release, reserve, ask, answer,
submit, review, wait (at most 60 s a call), close, brief, docs, write_doc, sql (read-only),
sync. Each is annotated read-only or
not, destructive or not, idempotent or not. Resources: tack://schema, tack://prime.
Long answers come in pages (offset) or cut with where to read on.
In a repository without a store it still starts, and every tool says how to create one.
The acting user is TACK_USER (else git's user.name). Client config example:
  { "command": "tack", "args": ["mcp"], "env": { "TACK_USER": "agent-1" } }
See docs/agents.md.`;

const INSTRUCTIONS =
  'Tack: the issue tracker of this repository. Call prime (or read tack://prime) first. ' +
  'Ticket ids accept any unique prefix. Loop: ready {for:"agent",claim:true} → brief → work, mention the id in commits → submit; stuck: ask; sync publishes your changes.';

const RESOURCES = [
  {
    uri: 'tack://prime',
    name: 'prime',
    description: 'Orientation: what is ready, what you hold, the commands',
    mimeType: 'text/markdown',
  },
  {
    uri: 'tack://schema',
    name: 'schema',
    description: 'schema.yaml: types, states, relations, fields',
    mimeType: 'text/yaml',
  },
];

/** An MCP tool error: the TackError code and message, as the CLI prints them with --json. */
function toolError(e: unknown): { isError: true; content: Array<{ type: 'text'; text: string }> } {
  const err = isTackError(e) ? e : new TackError('internal', e instanceof Error ? e.message : String(e));
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify({ error: { code: err.code, message: err.message } }) }],
  };
}

/** JSON-RPC codes for protocol errors: MCP's -32002 for an unknown resource, -32602 for bad params. */
const RESOURCE_NOT_FOUND = -32002;

/** The SDK error for a request that fails as a whole (an unknown tool or resource, a store that is not there). */
async function protocolError(e: unknown, code?: number): Promise<Error> {
  const { ErrorCode } = await sdk();
  const err = isTackError(e) ? e : new TackError('internal', e instanceof Error ? e.message : String(e));
  const fallback =
    err.code === 'invalid_input' || err.code === 'unknown_command' ? ErrorCode.InvalidParams : ErrorCode.InternalError;
  // A plain error with a numeric code: the SDK sends it as is (an McpError would prefix its message).
  return Object.assign(new Error(err.message), { code: code ?? fallback, data: { code: err.code } });
}

/** Tool results as compact JSON, or the text a tool is for (a brief's markdown, prime's text). */
function toolText(name: string, result: unknown): string {
  const key = TOOL_SPECS.find((s) => s.name === name)?.text;
  if (key && result && typeof result === 'object' && key in result) return String((result as Json)[key]);
  return JSON.stringify(result);
}

function budgeted(text: string): string[] {
  const part = cutText(text, ANSWER_BUDGET);
  if (!part.cut) return [text];
  return [
    part.text,
    `answer cut at ${part.shown} of ${text.length} characters: ask for less (limit, offset, a narrower query)`,
  ];
}

async function readResource(ctx: OpContext, uri: string): Promise<string> {
  if (uri === 'tack://prime') return (await runOp<{ text: string }>(ctx, 'prime', {})).text;
  return currentSchemaText(ctx);
}

/**
 * The SDK is imported dynamically: esbuild then initialises it lazily, after the zod it
 * builds its schemas with (a static import ran it before zod was ready in the bundle).
 */
async function sdk() {
  const [{ Server }, { StdioServerTransport }, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return { Server, StdioServerTransport, ...types };
}

export async function createMcpServer(
  ctx: OpContext,
  afterCall: () => void = () => {},
  /** Tool calls not answered yet: a stopping process lets a write begun be answered. */
  calls: Set<Promise<unknown>> = new Set(),
): Promise<Server> {
  const {
    Server,
    CallToolRequestSchema,
    ListResourcesRequestSchema,
    ListToolsRequestSchema,
    ReadResourceRequestSchema,
  } = await sdk();
  const server = new Server(
    { name: 'tack', version: typeof TACK_VERSION === 'string' ? TACK_VERSION : '0.0.0' },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  // The client names itself in `initialize`: this session's writes record it as their harness.
  // Read at each call, not on `initialized`: a client that sends that notification right
  // behind its `initialize` had it handled first, and its writes named no client.
  const actAsClient = () => {
    try {
      ctx.store().provenance ??= detectProvenance(process.env, server.getClientVersion() ?? { name: 'mcp' });
    } catch {
      // No store: nothing will be written either.
    }
  };
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await listTools() }));
  const answerCall = async (name: string, args: Record<string, unknown>) => {
    try {
      const result = await callTool(ctx, name, args);
      afterCall();
      const more = nextPage(pageInfo(result));
      const note =
        more && `${more.more} more not shown; call ${name} again with offset ${more.offset} for the next page`;
      return {
        content: [...budgeted(toolText(name, result)), ...(note ? [note] : [])].map((text) => ({
          type: 'text' as const,
          text,
        })),
      };
    } catch (e) {
      return toolError(e);
    }
  };
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const name = req.params.name;
    if (!TOOL_SPECS.some((s) => s.name === name))
      throw await protocolError(
        new TackError(
          'unknown_command',
          `unknown tool "${name}"; expected one of: ${TOOL_SPECS.map((s) => s.name).join(', ')}`,
        ),
      );
    actAsClient();
    const answer = answerCall(name, (req.params.arguments ?? {}) as Record<string, unknown>);
    calls.add(answer);
    void answer.finally(() => calls.delete(answer));
    return answer;
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const r = RESOURCES.find((x) => x.uri === req.params.uri);
    if (!r)
      throw await protocolError(
        new TackError(
          'not_found',
          `no resource ${JSON.stringify(req.params.uri)}; expected one of: ${RESOURCES.map((x) => x.uri).join(', ')}`,
        ),
        RESOURCE_NOT_FOUND,
      );
    let text: string;
    try {
      text = await readResource(ctx, r.uri);
    } catch (e) {
      throw await protocolError(e);
    }
    return { contents: [{ uri: r.uri, mimeType: r.mimeType, text }] };
  });
  return server;
}

/** `tack mcp`: runs until the client closes stdin. */
export async function mcpCommand(
  argv: string[],
  g: { cwd: string; json: boolean; help: boolean; branch?: string },
  print: (s: string) => void,
): Promise<number> {
  if (g.help) {
    print(`${MCP_HELP}\n`);
    return 0;
  }
  if (argv.length)
    throw new TackError(
      'invalid_input',
      `tack mcp takes no arguments; received ${argv.map((a) => JSON.stringify(a)).join(' ')} (see \`tack mcp --help\`)`,
    );
  // Calls run where the server's would (server/placedRun.ts); so do index refreshes.
  const lanes = await import('../server/placedRun.js');
  const ctx = lanes.laneContext(createContext({ effects: nodeEffects(), cwd: g.cwd, branch: g.branch }), g.branch);
  // No store (yet): the server still starts, and each tool answers with how to make one —
  // a client that exits on "connection closed" tells the agent nothing.
  // Writes spool their commits for triggers; a long-running surface delivers them itself.
  const calls = new Set<Promise<unknown>>();
  const server = await createMcpServer(
    ctx,
    inProcessDeliverer(ctx, (e) =>
      process.stderr.write(`tack mcp: trigger delivery failed: ${(e as Error).message}\n`),
    ),
    calls,
  );
  const { StdioServerTransport } = await sdk();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => void server.close());
    // Told to stop: a query, a call to the remote or a git read is abandoned, not waited for;
    // a write begun is finished and answered, briefly.
    const stop = () => {
      stopQueries();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.connect(new StdioServerTransport());
  await closed;
  // The calls in hand are answered (a write begun, within the grace): the SDK writes each
  // answer a turn after its call settles.
  await lanes.stopPlacedRuns(async () => {
    await Promise.allSettled(calls);
    await new Promise((resolve) => setImmediate(resolve));
  });
  ctx.close();
  return 0;
}

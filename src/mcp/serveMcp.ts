import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { isTackError, TackError } from '../model/errors.js';
import { stopQueries } from '../index/boundedQuery.js';
import { createContext } from '../ops/context.js';
import { reloadWorkspace } from '../store/store.js';
import type { OpContext } from '../ops/op.js';
import { runOp } from '../ops/runOp.js';
import { nextPage, pageInfo } from '../ops/page.js';
import { inProcessDeliverer } from '../ops/triggerKick.js';
import { currentSchemaText } from '../ops/schemaWrite.js';
import { callTool, listTools } from './mcpTools.js';

declare const TACK_VERSION: string;

const MCP_HELP = `tack mcp: serve this store to an MCP client over stdio

Usage: tack mcp [-C DIR] [--branch PLAN]

Tools (generated from the operations): ready (claim: true takes the top one), list,
show, search, create, update, comment, link, claim, release, ask, answer, submit,
review, wait (at most 60 s a call), brief, sql (read-only).
Resources: tack://schema (schema.yaml), tack://prime.
The acting user is TACK_USER (else git's user.name). Client config example:
  { "command": "tack", "args": ["mcp"], "env": { "TACK_USER": "agent-1" } }
See docs/agents.md.`;

const INSTRUCTIONS =
  'Tack: the issue tracker of this repository. Read resource tack://prime first. ' +
  'Ticket ids accept any unique prefix. Loop: ready {for:"agent",claim:true} → brief → work, mention the id in commits → submit; stuck: ask.';

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

/** Tool results as compact JSON; `brief` as its markdown (what an agent reads anyway). */
function toolText(name: string, result: unknown): string {
  if (name === 'brief' && result && typeof result === 'object' && 'markdown' in result)
    return String((result as { markdown: string }).markdown);
  return JSON.stringify(result);
}

async function readResource(ctx: OpContext, uri: string): Promise<string> {
  if (uri === 'tack://prime') return (await runOp<{ text: string }>(ctx, 'prime', {})).text;
  if (uri === 'tack://schema') return currentSchemaText(ctx);
  throw new TackError(
    'not_found',
    `no resource ${JSON.stringify(uri)}; expected one of: ${RESOURCES.map((r) => r.uri).join(', ')}`,
  );
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

export async function createMcpServer(ctx: OpContext, afterCall: () => void = () => {}): Promise<Server> {
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
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await listTools() }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    try {
      reloadWorkspace(ctx.store()); // `tack workspace add/remove` need no restart
      const result = await callTool(ctx, req.params.name, (req.params.arguments ?? {}) as Record<string, unknown>);
      afterCall();
      const more = nextPage(pageInfo(result));
      const note =
        more &&
        `${more.more} more not shown; call ${req.params.name} again with offset ${more.offset} for the next page`;
      return {
        content: [
          { type: 'text', text: toolText(req.params.name, result) },
          ...(note ? [{ type: 'text' as const, text: note }] : []),
        ],
      };
    } catch (e) {
      return toolError(e);
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const r = RESOURCES.find((x) => x.uri === req.params.uri);
    return {
      contents: [
        { uri: req.params.uri, mimeType: r?.mimeType ?? 'text/plain', text: await readResource(ctx, req.params.uri) },
      ],
    };
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
  const ctx = createContext({ cwd: g.cwd, branch: g.branch });
  ctx.store(); // fail now, on the terminal, when there is no store
  // Writes spool their commits for triggers; a long-running surface delivers them itself.
  const server = await createMcpServer(
    ctx,
    inProcessDeliverer(ctx, (e) =>
      process.stderr.write(`tack mcp: trigger delivery failed: ${(e as Error).message}\n`),
    ),
  );
  const { StdioServerTransport } = await sdk();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => void server.close());
    // Told to stop: whatever runs (a query in its child) is abandoned, not waited for.
    const stop = () => {
      stopQueries();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.connect(new StdioServerTransport());
  await closed;
  ctx.close();
  return 0;
}

import { z } from 'zod';
import type { OpDef } from '../ops/op.js';
import type { Route } from './routes.js';

declare const TACK_VERSION: string;

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
    },
  },
};

function jsonSchemaOf(op: OpDef): Record<string, unknown> {
  return z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]);
}

function operation(route: Route, op: OpDef): Record<string, unknown> {
  const schema = jsonSchemaOf(op);
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const params = pathParams(route.path);
  const parameters: unknown[] = params.map((p) => ({
    name: p,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.ifMatch)
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'the version (ETag) the change is based on; 409 when stale',
      schema: { type: 'string' },
    });
  const out: Record<string, unknown> = {
    operationId: `${route.method}${route.path.replace(/\{\.\+\}/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary ?? op.summary,
    tags: [op.kind],
    'x-tack-operation': op.name,
    responses: {
      200: {
        description: `the operation's result, as \`tack ${op.name} --json\` prints it`,
        content: { 'application/json': { schema: {} } },
      },
      default: { description: 'an error with a stable code', content: { 'application/json': { schema: ERROR } } },
    },
  };
  if (route.from === 'query') {
    for (const [name, s] of Object.entries(props)) {
      if (params.includes(name)) continue;
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        description: s.description,
        schema: s,
        ...(s.type === 'array' ? { style: 'form', explode: true } : {}),
      });
    }
  } else {
    const body: Record<string, unknown> = {
      ...schema,
      properties: Object.fromEntries(Object.entries(props).filter(([k]) => !params.includes(k))),
    };
    body.required = [...required].filter((k) => !params.includes(k));
    out.requestBody = { required: true, content: { 'application/json': { schema: body } } };
  }
  if (parameters.length) out.parameters = parameters;
  return out;
}

/** The OpenAPI 3.1 document of the REST API, from the same routes and zod schemas that serve it. */
export function openApiDocument(routes: Route[], ops: Map<string, OpDef>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op = ops.get(r.op);
    if (!op) continue;
    const path = r.path.replace(/:([a-z_]+)(\{[^}]*\})?/g, '{$1}');
    (paths[path] ??= {})[r.method] = operation(r, op);
  }
  paths['/api/events'] = {
    get: {
      operationId: 'getApiEvents',
      summary: 'Live events (Server-Sent Events), resumable with Last-Event-ID',
      parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
      responses: {
        200: {
          description:
            'text/event-stream of created, updated, deleted, commented, claimed, synced, problem, reset events',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tack',
      version: typeof TACK_VERSION === 'string' ? TACK_VERSION : '0.0.0',
      description: 'The REST API of `tack serve`, generated from the operations registry.',
    },
    paths,
    components: { schemas: { Error: ERROR } },
  };
}

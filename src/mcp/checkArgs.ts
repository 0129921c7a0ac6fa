import { TackError } from '../model/errors.js';
import type { McpTool } from './mcpTools.js';

type Json = Record<string, unknown>;

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
const shown = (v: unknown): string => `${kindOf(v) === 'array' ? 'an' : 'a'} ${kindOf(v)} (${JSON.stringify(v)})`;

/**
 * Arguments checked against the tool's own schema before anything runs: an unknown key or a
 * value of the wrong JSON type (`claim: "true"`) is refused, never ignored or coerced.
 */
export function checkArgs(tool: McpTool, args: Record<string, unknown>): void {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, Json>;
  const bad = (msg: string) => new TackError('invalid_input', `${tool.name}: ${msg}`);
  const unknown = Object.keys(args).filter((k) => !(k in props));
  if (unknown.length)
    throw bad(
      `unknown argument ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected: ${Object.keys(props).join(', ') || 'none'}`,
    );
  for (const [k, v] of Object.entries(args)) {
    const want = props[k].type as string | string[] | undefined;
    const items = (props[k].items as Json | undefined)?.type as string | undefined;
    // A JSON Schema type is one name or a list of them; none: anything goes.
    const fits = (x: unknown, t: string | string[] | undefined) => !t || [t].flat().includes(kindOf(x));
    if (v === undefined) continue;
    if (!fits(v, want) || (want === 'array' && !(v as unknown[]).every((x) => fits(x, items))))
      throw bad(
        `argument "${k}" must be ${want === 'array' ? `an array of ${items}s` : `a ${[want].flat().join(' or ')}`}; received ${shown(v)}`,
      );
  }
}

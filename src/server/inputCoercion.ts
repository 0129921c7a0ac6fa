import type { z } from 'zod';
import type { OpDef } from '../ops/op.js';

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType };
const defOf = (t: z.ZodType): Def => (t as unknown as { def: Def }).def;

function unwrap(t: z.ZodType): z.ZodType {
  let inner = t;
  while (['optional', 'default', 'nullable'].includes(defOf(inner).type)) inner = defOf(inner).innerType!;
  return inner;
}

function scalar(type: string, raw: string): unknown {
  if (type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (type === 'boolean')
    return raw === '' || raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  return raw;
}

/**
 * Query parameters are strings; the operation's zod schema says what each key is, so
 * `?limit=5&label=a&label=b&all` becomes `{limit: 5, label: ['a','b'], all: true}`.
 * Anything that does not convert is passed on as it came, for zod to reject clearly.
 */
export function inputFromQuery(op: OpDef, query: Record<string, string[]>): Record<string, unknown> {
  const shape = op.input.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(query)) {
    const schema = shape[key];
    if (!schema) {
      out[key] = values[values.length - 1];
      continue;
    }
    const inner = unwrap(schema);
    const type = defOf(inner).type;
    if (type === 'array') {
      const el = defOf(unwrap(defOf(inner).element!)).type;
      out[key] = values
        .flatMap((v) => v.split(','))
        .filter((v) => v !== '')
        .map((v) => scalar(el, v));
    } else out[key] = scalar(type, values[values.length - 1]);
  }
  return out;
}

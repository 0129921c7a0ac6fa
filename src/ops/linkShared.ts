import { unknownValue } from '../model/errors.js';
import type { Schema } from '../model/schema.js';

/**
 * `A KIND B` names an edge; only forward edges are stored, so an inverse kind
 * ("blocked-by") is turned around: `A blocked-by B` is stored as `B blocks A`.
 */
export interface Edge {
  src: string;
  kind: string;
  dst: string;
}

export function normaliseEdge(schema: Schema, a: string, kind: string, b: string): Edge {
  const k = kind.replace(/-/g, '_');
  const fwd = schema.relations.find((r) => r.name === k);
  if (fwd) return { src: a, kind: fwd.name, dst: b };
  const inv = schema.relations.find((r) => r.inverse === k && r.inverse !== r.name);
  if (inv) return { src: b, kind: inv.name, dst: a };
  const allowed = schema.relations.flatMap((r) =>
    r.inverse === r.name ? [r.name] : [r.name, r.inverse.replace(/_/g, '-')],
  );
  throw unknownValue('link kind', kind, allowed);
}

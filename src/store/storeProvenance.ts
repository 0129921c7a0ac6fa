import { detectProvenance, PROVENANCE_TRAILERS, provenanceTrailers, type Provenance } from '../model/provenance.js';
import type { Store } from './store.js';

/** Who writes through this store: what a surface set for its session (MCP), else the environment. */
export function storeProvenance(store: Store): Provenance {
  return store.provenance ?? detectProvenance(process.env);
}

/** `trailers` with the writer's provenance appended (once: a commit that already has it keeps it). */
export function withProvenance(store: Store, trailers: Array<[string, string]>): Array<[string, string]> {
  if (trailers.some(([k]) => k === PROVENANCE_TRAILERS.actor)) return trailers;
  return [...trailers, ...provenanceTrailers(storeProvenance(store))];
}

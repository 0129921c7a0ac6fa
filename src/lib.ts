/**
 * Tack as a library: the same operations the CLI runs, for scripts, benchmarks, and
 * the surfaces (REST, MCP, connectors) that adapt the registry.
 */
import { type ContextOptions, createContext as createOpContext } from './ops/context.js';
import { nodeEffects } from './effects/nodeEffects.js';
import type { OpEffects } from './ops/effects.js';

export { nowIso } from './ops/context.js';
export type { OpEffects } from './ops/effects.js';
export { nodeEffects } from './effects/nodeEffects.js';

/** The context the surfaces build; effects default to Node's (this process, fetch, child processes). */
export function createContext(opts: Omit<ContextOptions, 'effects'> & { effects?: OpEffects }) {
  return createOpContext({ ...opts, effects: opts.effects ?? nodeEffects() });
}
export { runOp, loadOp } from './ops/runOp.js';
export { REGISTRY, findOp } from './ops/registry.js';
export type { OpContext, OpDef } from './ops/op.js';
export { TackError, isTackError } from './model/errors.js';
export { openStore } from './store/store.js';
export { openIndex, ensureFresh } from './index/indexDb.js';

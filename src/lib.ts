/**
 * Tack as a library: the same operations the CLI runs, for scripts, benchmarks, and
 * the surfaces (REST, MCP, connectors) that adapt the registry.
 */
export { createContext, nowIso } from './ops/context.js';
export { runOp, loadOp } from './ops/runOp.js';
export { REGISTRY, findOp } from './ops/registry.js';
export type { OpContext, OpDef } from './ops/op.js';
export { TackError, isTackError } from './model/errors.js';
export { openStore } from './store/store.js';
export { openIndex, ensureFresh } from './index/indexDb.js';

import type { OpEffects, TackProgram } from '../ops/effects.js';

/**
 * The effects every surface hands to operations when running in Node: this process's
 * program (argv), the global fetch, and child processes. The modules that start
 * processes load on first use, so a command that never spawns does not pay for
 * child_process.
 */
export function nodeEffects(tack: TackProgram = { node: process.execPath, script: process.argv[1] }): OpEffects {
  return {
    tack,
    fetch: (url, init) => fetch(url, init),
    runShell: async (command, stdin, o) => (await import('./shellCommand.js')).runShell(command, stdin, o),
    startTack: async (args, cwd) => (await import('./tackChild.js')).startTack(tack, args, cwd),
    runTack: async (args, cwd, timeoutMs) => (await import('./tackChild.js')).runTack(tack, args, cwd, timeoutMs),
  };
}

/**
 * What an operation may reach beyond the store and the index: the network, child
 * processes and the program that runs it. Surfaces provide it (src/effects/nodeEffects.ts
 * for Node), so the operations layer never spawns, fetches or reads argv itself, and a test
 * can run an op with effects of its own.
 */
export interface OpEffects {
  /** How this process runs Tack: the node binary and the CLI script (unset when not started from one). */
  tack: TackProgram;
  /** An HTTP request (webhook delivery): the global `fetch` in Node. */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /**
   * An event hook: `sh -c command` in `cwd` with `stdin` on its standard input and `env`
   * added to the environment, killed with everything it started after `timeoutMs`. Never
   * throws: the outcome is returned for the delivery log.
   */
  runShell(command: string, stdin: string, o: ShellOptions): Promise<CommandResult>;
  /** Start Tack with these arguments in the background, detached, not waited for (trigger delivery). */
  startTack(args: string[], cwd: string): Promise<void>;
  /** Run Tack with these arguments and wait at most `timeoutMs`; killed with its children past it. */
  runTack(args: string[], cwd: string, timeoutMs: number): Promise<TackRun>;
}

export interface TackProgram {
  /** The node binary (process.execPath). */
  node: string;
  /** The tack script this process was started as (argv[1]); unset when embedded without one. */
  script?: string;
}

export interface ShellOptions {
  cwd: string;
  timeoutMs: number;
  env: Record<string, string>;
}

export interface CommandResult {
  /** Exit code; null when the command was killed or could not start. */
  status: number | null;
  timedOut: boolean;
  /** The last part of what it wrote to stdout and stderr. */
  output: string;
  duration_ms: number;
  error?: string;
}

/** How a child Tack ended: its exit code and output, or that it ran out of time or could not start. */
export type TackRun =
  | { kind: 'exited'; code: number | null; stdout: string; stderr: string }
  | { kind: 'timed_out' }
  | { kind: 'not_started'; message: string };

import { resolve } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { TACK_BIN } from './storeTemplates.js';

export interface CliAnswer {
  status: number;
  stdout: string;
  stderr: string;
}

/** Longer than any command a test runs; a command past it is a hang, reported as such. */
const ANSWER_LIMIT_MS = 110_000;

/**
 * Commands that run until told to stop, or read a live stdin: always a process of their own,
 * as is a command with an injected fault. `TACK_TEST_PROCESSES=1` runs every command as a
 * process (as CI's exit soak and the package test always do).
 */
const OWN_PROCESS = new Set(['serve', 'watch', 'mcp']);

export function inProcess(args: string[], env: Record<string, string | undefined> = {}): boolean {
  if (process.env.TACK_TEST_PROCESSES === '1') return false;
  // An injected fault kills its process (src/git/fault.ts): never the test runner. Forced
  // plumbing only changes how trees are built.
  if (env.TACK_FAULT && env.TACK_FAULT !== 'plumbing') return false;
  return !OWN_PROCESS.has(commandWord(args) ?? '');
}

/** Global flags that take a value (src/cli/main.ts, splitGlobals): `-C DIR serve` runs serve. */
const VALUED_GLOBALS = new Set(['-C', '--branch', '--color']);

function commandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (VALUED_GLOBALS.has(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

let worker: Worker | null = null;

const requestOf = (cwd: string, args: string[], env: NodeJS.ProcessEnv, input?: string) => ({
  argv: args,
  cwd: resolve(cwd),
  env: { ...env },
  stdin: input,
});
const noAnswer = (args: string[]) =>
  new Error(`tack ${args.join(' ')} did not answer within ${ANSWER_LIMIT_MS / 1000} s (in-process)`);

function cliWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(resolve(__dirname, 'cliWorker.cjs'), {
    workerData: { bundle: resolve(__dirname, '..', 'dist', 'tack.cjs'), bin: TACK_BIN },
  });
  worker.unref();
  worker.on('error', () => (worker = null));
  worker.on('exit', () => (worker = null));
  return worker;
}

/**
 * Run one tack command line in this test process's CLI worker and wait for its answer, as
 * spawnSync waits for a process: the same `main` as bin/tack.cjs, its cwd, environment and
 * stdin given, its output captured. Starting Node and loading the bundle was most of what
 * a command cost the suite.
 */
export function runInProcess(cwd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): CliAnswer {
  const w = cliWorker();
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  w.postMessage({ port: port2, done, request: requestOf(cwd, args, env, input) }, [port2]);
  const waited = Atomics.wait(new Int32Array(done), 0, 0, ANSWER_LIMIT_MS);
  const answer = receiveMessageOnPort(port1);
  port1.close();
  if (waited === 'timed-out' || !answer) {
    void w.terminate();
    worker = null;
    throw noAnswer(args);
  }
  return answer.message as CliAnswer;
}

/**
 * runInProcess without blocking, for tests whose stand-in servers answer from this process.
 * Commands still run one at a time: tests of concurrent writers start processes (tackAsync).
 */
export function runInProcessAsync(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<CliAnswer> {
  const w = cliWorker();
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolveAnswer, reject) => {
    const timer = setTimeout(() => {
      port1.close();
      reject(noAnswer(args));
    }, ANSWER_LIMIT_MS);
    port1.once('message', (answer: CliAnswer) => {
      clearTimeout(timer);
      port1.close();
      resolveAnswer(answer);
    });
    w.postMessage({ port: port2, done: null, request: requestOf(cwd, args, env, input) }, [port2]);
  });
}

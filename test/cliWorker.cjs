// Runs tack command lines in this worker thread, one at a time, for the test helpers
// (test/inProcessCli.ts): the CLI's own `main` from the built bundle, on real git and
// SQLite, without a Node process to start for each command. A command's cwd, environment
// and stdin are the caller's; its output is captured. A caller that blocks waits on `done`.
const { parentPort, workerData } = require('node:worker_threads');

const { main, setCliIo } = require(workerData.bundle);
// What a process started as `node bin/tack.cjs` sees: hooks and background scans it starts
// run that program.
process.argv[1] = workerData.bin;
const realCwd = process.cwd;

/** The failure a process would have died of, reported on the current command. */
let crash = null;
process.on('uncaughtException', (e) => (crash ??= e));
process.on('unhandledRejection', (e) => (crash ??= e));

function setEnv(env) {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
}

async function run({ argv, cwd, env, stdin }) {
  let stdout = '';
  let stderr = '';
  setEnv(env);
  process.cwd = () => cwd;
  crash = null;
  setCliIo({ write: (fd, text) => (fd === 1 ? (stdout += text) : (stderr += text)), stdin: stdin ?? '' });
  let status;
  try {
    status = await main(argv, { closeIndex: true });
  } catch (e) {
    stderr += `tack: internal error: ${e?.stack ?? e}\n`;
    status = 70;
  } finally {
    setCliIo(null);
    process.cwd = realCwd;
  }
  // Let a rejection the command left behind surface before the answer goes back.
  await new Promise((r) => setImmediate(r));
  if (crash) {
    stderr += `${crash?.stack ?? crash}\n`;
    status = status === 0 ? 1 : status;
  }
  return { status, stdout, stderr };
}

// One command at a time: a command's cwd, environment and output are this thread's.
let turn = Promise.resolve();
parentPort.on('message', ({ port, done, request }) => {
  turn = turn.then(async () => {
    port.postMessage(await run(request));
    port.close();
    if (!done) return;
    const flag = new Int32Array(done);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});

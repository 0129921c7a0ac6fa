// One stress-test writer: `node stressWorker.cjs <dir> <worker> <count> <id,id,...>`.
// Runs <count> updates through the library (the same operations the CLI runs), each a
// separate commit, and prints one JSON line per update: { id, title, commit }.
const { createContext, runOp } = require('../dist/lib.cjs');

async function main() {
  const [dir, worker, count, ids] = process.argv.slice(2);
  const tickets = ids.split(',');
  const ctx = createContext({ cwd: dir });
  for (let i = 0; i < Number(count); i++) {
    const id = tickets[(i + Number(worker)) % tickets.length];
    const title = `w${worker} u${i}`;
    const res = await runOp(ctx, 'update', { id, title });
    process.stdout.write(`${JSON.stringify({ id, title, commit: res.commit })}\n`);
  }
  ctx.close();
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ? e.stack : e}\n`);
  process.exitCode = 1;
});

import { isTackError, TackError } from '../model/errors.js';
import { commandWords, groupEntries, matchCommand } from '../ops/registry.js';
import { didYouMean } from '../model/suggest.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import type { OpContext, OpDef } from '../ops/op.js';
import type { Repo } from '../git/repo.js';
import type { CliAdapter } from './adapters.js';
import { inputFromArgv, validateInput } from './argsFromSchema.js';
import { commandHelp, groupHelp, mainHelp, subcommandLines } from './help.js';
import { dim, renderedRows, renderHuman } from './render.js';
import { pageNote } from '../ops/pageNote.js';
import { pageInfo } from '../ops/page.js';
import { setColorMode } from './colors.js';
import { terminalSafeText, terminalSafeValue } from './terminalSafe.js';
import { err, out, stderrIsTTY, stdoutIsTTY } from './output.js';
import { StreamedAnswer, writeSized } from './streamedAnswer.js';
import { StreamedRows, wholeRows } from './streamedRows.js';
import { jsonPieces } from './jsonPieces.js';
import { rowsRead } from '../ops/rowList.js';
import { progressReporter, showLockWaits } from './progress.js';
import type { ProgressLine } from '../model/progressLine.js';
import { printHuman, setTerminalOptions } from './terminal.js';
import { takeSpooled } from '../store/triggerSpool.js';
import { relaunchLean } from './leanRelaunch.js';

declare const TACK_VERSION: string;

interface Globals {
  json: boolean;
  cwd: string;
  help: boolean;
  version: boolean;
  /** `--branch NAME`: work on a plan branch (see `tack branch`). */
  branch?: string;
  /** `--color WHEN` / `--no-color`. */
  color?: string;
  /** `--wide`: lines as long as they are, not cut to the terminal's width. */
  wide: boolean;
  /** `--no-pager`: never page long output. */
  noPager: boolean;
  rest: string[];
}

/** Global flags may stand anywhere; everything else belongs to the command. */
function splitGlobals(argv: string[]): Globals {
  const g: Globals = {
    json: false,
    cwd: process.cwd(),
    help: false,
    version: false,
    wide: false,
    noPager: false,
    rest: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') g.json = true;
    else if (a === '-C') g.cwd = argv[++i] ?? g.cwd;
    // A bare `--branch` (last, or before another flag) is a command's own flag (`start --branch`).
    else if (a === '--branch' && i + 1 < argv.length && !argv[i + 1].startsWith('-')) g.branch = argv[++i];
    else if (a.startsWith('--branch=')) g.branch = a.slice('--branch='.length);
    else if (a === '--color' && i + 1 < argv.length && !argv[i + 1].startsWith('-')) g.color = argv[++i];
    else if (a.startsWith('--color=')) g.color = a.slice('--color='.length);
    else if (a === '--no-color') g.color = 'never';
    else if (a === '--wide') g.wide = true;
    else if (a === '--no-pager') g.noPager = true;
    else if (a === '--help' || a === '-h') g.help = true;
    else if (a === '--version' || a === '-V') g.version = true;
    else if (a === '--') {
      g.rest.push(...argv.slice(i));
      break;
    } else g.rest.push(a);
  }
  return g;
}

const EXIT: Partial<Record<string, number>> = {
  invalid_input: 2,
  unknown_command: 2,
  not_found: 3,
  ambiguous_id: 3,
  reserved: 4,
};

function reportError(e: unknown, json: boolean): number {
  const te = isTackError(e) ? e : new TackError('internal', e instanceof Error ? e.message : String(e));
  if (json)
    err(
      `${JSON.stringify({
        error: { code: te.code, message: te.message, ...(te.details ? { details: te.details } : {}) },
      })}\n`,
    );
  else err(`tack: ${terminalSafeText(te.message)}\n`);
  if (!isTackError(e) && process.env.TACK_DEBUG && e instanceof Error) err(`${e.stack}\n`);
  return EXIT[te.code] ?? 1;
}

async function runCommand(g: Globals, opts: MainOptions): Promise<number> {
  const m = matchCommand(g.rest);
  if (!m) return groupOrUnknown(g);
  const op = (await m.entry.load()).default as OpDef;
  // Some commands take input from stdin, a file or an editor: an adapter builds it.
  const words = g.rest.slice(0, g.rest.length - m.rest.length);
  if (words.length === 1) unknownSubcommand(g.rest, m.entry.words, op);
  // `init --branch` names the store branch: an option of its own, not the global flag.
  if (g.branch !== undefined && 'branch' in (op.input as { shape: object }).shape) {
    m.rest.push('--branch', g.branch);
    g.branch = undefined;
  }
  const adapter = (await import('./adapters.js')).cliAdapter(op.name);
  const cliOp = adapter?.cliOp?.(op, words) ?? op;
  if (g.help) {
    const group = words.length === 1 ? await subcommandLines(words[0]) : '';
    out(`${commandHelp(cliOp, (adapter ? words : m.entry.words[0]).join(' ')) + (group ? `\n\n${group}` : '')}\n`);
    return 0;
  }
  const raw = inputFromArgv(cliOp, m.rest);
  const input = adapter ? raw : validateInput(op, raw);
  const quiet = g.json || !stderrIsTTY();
  // The index is left open: closing the last connection checkpoints the WAL, a cost
  // every write would pay; the process ends right after (by process.exit, see runCli),
  // and SQLite recovers the WAL on the next open exactly as after a crash.
  const progress = quiet ? undefined : progressReporter();
  const quietWaits = progress ? showLockWaits(progress) : undefined;
  const ctx = createContext({ effects: nodeEffects(), cwd: g.cwd, branch: g.branch, progress, streamRows: true });
  try {
    return await runOp(g, op, ctx, { adapter, words, raw, input, progress });
  } finally {
    quietWaits?.();
    progress?.end(); // an error is printed after this
    if (opts.closeIndex) ctx.close();
  }
}

async function runOp(
  g: Globals,
  op: OpDef,
  ctx: OpContext,
  {
    adapter,
    words,
    raw,
    input,
    progress,
  }: {
    adapter: CliAdapter | undefined;
    words: string[];
    raw: Record<string, unknown>;
    input: unknown;
    progress: ProgressLine | undefined;
  },
): Promise<number> {
  if (op.name !== 'commits-scan') await settleCommitScan(ctx);
  const answer = async (valid: unknown) => (await wholeRows(op, ctx, valid)) ?? op.run(ctx, valid as never);
  const run = (given: Record<string, unknown>) => answer(validateInput(op, given));
  let result: unknown;
  try {
    result = adapter ? await adapter.run({ words, input: raw, ctx, run }) : await answer(input);
  } catch (e) {
    // Commits made before the failure (a batch's) still have their triggers.
    await deliverTriggers(ctx);
    throw e;
  }
  if (result instanceof StreamedRows) {
    progress?.end();
    if (g.json) result.writeJson(out);
    else if (stdoutIsTTY()) printHuman(`${renderHuman(op.name, terminalSafeValue(result.whole()))}\n`);
    else {
      for (const piece of writeSized(renderedRows(op.name, result.read, terminalSafeValue))) out(piece);
      out('\n');
    }
    for (const p of ctx.problems()) err(`tack: warning: ${terminalSafeText(p)}\n`);
    await deliverTriggers(ctx);
    return 0;
  }
  if (result instanceof StreamedAnswer) {
    progress?.end();
    // A terminal pages the text and shows its control characters escaped: that needs it whole.
    if (g.json) result.writeJson(out);
    else if (stdoutIsTTY()) printHuman(`${renderHuman(op.name, terminalSafeValue(result.whole()))}\n`);
    else result.writeText(out);
    for (const p of ctx.problems()) err(`tack: warning: ${terminalSafeText(p)}\n`);
    await deliverTriggers(ctx);
    return 0;
  }
  const { answered, synced } = await autoSyncAfter(ctx, op, result);
  result = answered;
  progress?.end(); // the answer starts on a clean line
  // A page of a long answer says what it left out: under the table, or beside the JSON.
  const note = pageNote(pageInfo(result));
  if (g.json) {
    for (const piece of writeSized(jsonPieces(result))) out(piece);
    out('\n');
    if (note) err(`tack: ${note}\n`);
  } else printHuman(`${renderHuman(op.name, terminalSafeValue(rowsRead(result)))}\n${note ? `${dim(note)}\n` : ''}`);
  if (synced && !g.json)
    synced.ok
      ? out(`${dim(`synced: ${synced.message}`)}\n`)
      : err(`tack: warning: ${terminalSafeText(synced.message)}\n`);
  for (const p of ctx.problems()) err(`tack: warning: ${terminalSafeText(p)}\n`);
  await deliverTriggers(ctx);
  return timedOut(result) ? EXIT_TIMED_OUT : 0;
}

/** `tack wait` whose timeout passed first: the answer is printed, the status says so (as timeout(1) does). */
const EXIT_TIMED_OUT = 124;

function timedOut(result: unknown): boolean {
  return !!result && typeof result === 'object' && (result as { timedOut?: unknown }).timedOut === true;
}

/** A scan a git hook started in the background finishes first, so its links show. */
async function settleCommitScan(ctx: OpContext): Promise<void> {
  let repo: Repo;
  try {
    repo = ctx.store().repo;
  } catch {
    return; // no store here (init, help): nothing to wait for
  }
  (await import('../store/commitScanGate.js')).awaitCommitScan(repo);
}

/** `agents.auto_sync`: publish the write (bounded; its report rides in the answer as `auto_sync`). */
async function autoSyncAfter(ctx: OpContext, op: OpDef, result: unknown) {
  if (op.kind !== 'write' || !result || typeof result !== 'object' || Array.isArray(result))
    return { answered: result };
  const { autoSyncTimeout, syncWithin } = await import('../ops/autoSync.js');
  const timeout = autoSyncTimeout(ctx, op, result);
  if (timeout === null) return { answered: result };
  // The rows are of the write's own commit: read before the sync moves the index past it.
  const rows = rowsRead(result as Record<string, unknown>);
  const synced = await syncWithin(ctx, timeout);
  return { answered: { ...rows, auto_sync: synced }, synced };
}

/** Words a command line may start with besides the operations'. */
const OTHER_WORDS = ['help', 'serve', 'watch', 'mcp', 'import', 'connect', 'connections'];

/**
 * No operation matched: a group word alone (`tack hooks`) lists its subcommands; a
 * mistyped word gets the few closest names rather than all of them.
 */
async function groupOrUnknown(g: Globals): Promise<number> {
  const [word, next] = g.rest;
  if (groupEntries(word).length) {
    if (next === undefined || next.startsWith('-')) {
      out(`${await groupHelp(word)}\n`);
      return 0;
    }
    const subs = groupEntries(word).flatMap((e) => e.words.filter((w) => w[0] === word).map((w) => w.join(' ')));
    throw new TackError(
      'unknown_command',
      `unknown command "${word} ${next}"${didYouMean(`${word} ${next}`, subs) || `; expected one of: ${subs.join(', ')}`}`,
      { command: `${word} ${next}`, expected: subs },
    );
  }
  const hint = didYouMean(word, [...commandWords(), ...OTHER_WORDS]);
  throw new TackError(
    'unknown_command',
    `unknown command "${word}"${hint}${hint ? ' (`tack --help` lists every command)' : '; run `tack --help` for the list of commands'}`,
    { command: word },
  );
}

/**
 * `tack schema shwo` matches `schema` (schema show) with an argument it does not take: a
 * mistyped subcommand, said as one, when the group's own command takes no arguments.
 */
function unknownSubcommand(argv: string[], words: string[][], op: OpDef): void {
  const [word, next] = argv;
  if (
    op.cli?.args?.length ||
    next === undefined ||
    next.startsWith('-') ||
    !words.some((w) => w.length === 1 && w[0] === word)
  )
    return;
  const subs = groupEntries(word).flatMap((e) =>
    e.words.filter((w) => w[0] === word && w.length > 1).map((w) => w.join(' ')),
  );
  if (!subs.length) return;
  throw new TackError(
    'unknown_command',
    `unknown command "${word} ${next}"${didYouMean(`${word} ${next}`, subs) || `; expected one of: ${subs.join(', ')}`}`,
    { command: `${word} ${next}`, expected: subs },
  );
}

/**
 * A write whose settings configure triggers spooled its commits: start their delivery
 * (a detached `tack hooks run`). Without triggers this is one boolean test. A failure
 * here never fails the write, which is done.
 */
async function deliverTriggers(ctx: OpContext): Promise<void> {
  if (!takeSpooled()) return;
  try {
    const { startCliDelivery } = await import('../ops/triggerKick.js');
    await startCliDelivery(ctx);
  } catch (e) {
    err(
      `tack: warning: triggers not delivered: ${e instanceof Error ? e.message : String(e)} (\`tack hooks run\` retries)\n`,
    );
  }
}

type SurfaceCommand = (args: string[], g: Globals & { help: boolean }, out: (s: string) => void) => Promise<number>;

/**
 * Long-running or heavy surfaces are not operations: each lives in its own bundle and is
 * loaded only here, by dynamic import, so no other command pays for it (these entry
 * modules are the only cli → surface imports scripts/check-layers.mjs allows).
 * `match` sees the command words (after an optional `help`).
 */
const SURFACE_COMMANDS: { match: (words: string[]) => boolean; load: () => Promise<SurfaceCommand> }[] = [
  { match: (w) => w[0] === 'serve', load: async () => (await import('../server/serve.js')).serveCommand },
  // `tack watch` commits hand edits as they settle: long-running, same bundle as serve.
  { match: (w) => w[0] === 'watch', load: async () => (await import('../server/serve.js')).watchCommand },
  // `tack mcp`: the MCP server over stdio (the SDK lives only in dist/mcp.cjs).
  { match: (w) => w[0] === 'mcp', load: async () => (await import('../mcp/serveMcp.js')).mcpCommand },
  // `tack import KIND SOURCE`: parsers and the bulk planner, in dist/importers.cjs.
  { match: (w) => w[0] === 'import', load: async () => (await import('../importers/importersEntry.js')).importCommand },
  // Connectors (@linear/sdk, octokit) in their own bundle. `tack sync <service>` is theirs;
  // `tack sync [REMOTE]` stays the git sync operation.
  {
    match: (w) => w[0] === 'connect',
    load: async () => (await import('../connectors/connectorsEntry.js')).connectCommand,
  },
  {
    match: (w) => w[0] === 'connections',
    load: async () => (await import('../connectors/connectorsEntry.js')).connectionsCommand,
  },
  { match: (w) => w[0] === 'completion', load: async () => (await import('./completion.js')).completionCommand },
  {
    match: (w) => w[0] === 'sync' && ['linear', 'github', 'trello'].includes(w[1]),
    load: async () => (await import('../connectors/connectorsEntry.js')).syncCommand,
  },
];

async function surface(g: Globals): Promise<number | undefined> {
  const help = g.help || g.rest[0] === 'help';
  const words = help && g.rest[0] === 'help' ? g.rest.slice(1) : g.rest;
  const found = SURFACE_COMMANDS.find((s) => words.length > 0 && s.match(words));
  if (!found) return undefined;
  return (await found.load())(words.slice(1), { ...g, help }, out);
}

export interface MainOptions {
  /**
   * Close the index when the command is done. A process that ends right after leaves it
   * open (see runCommand); a program that runs many commands in-process must not.
   */
  closeIndex?: boolean;
}

/** One command line, start to end: its exit status (output on the descriptors, or on `setCliIo`'s). */
export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const g = splitGlobals(argv);
  try {
    setColorMode(g.color);
    setTerminalOptions({ wide: g.wide, pager: !g.noPager });
    if (g.version) {
      out(g.json ? `${JSON.stringify({ version: TACK_VERSION })}\n` : `tack ${TACK_VERSION}\n`);
      return 0;
    }
    const surfaceCode = await surface(g);
    if (surfaceCode !== undefined) return surfaceCode;
    if (g.rest.length === 0 || g.rest[0] === 'help') {
      const topic = g.rest.slice(1);
      if (topic.length) return await runCommand({ ...g, help: true, rest: topic }, opts);
      out(`${await mainHelp()}\n`);
      return 0;
    }
    return await runCommand(g, opts);
  } catch (e) {
    return reportError(e, g.json);
  }
}

/** Commands that run until told to stop: once they return, nothing left may keep the process. */
const LONG_RUNNING = new Set(['serve', 'watch', 'mcp']);

/** The `tack` program (bin/tack.cjs calls it): this process's arguments, then its exit. */
export function runCli(): void {
  // Once nothing is left to run, the process ends by process.exit rather than by running
  // out of work: a natural end tears the environment down, which closes node:sqlite's open
  // index and so checkpoints its WAL (every write paid ~10 ms copying pages back and an
  // fsync). Leaving the WAL is what a crash does; SQLite replays it on the next open.
  process.once('beforeExit', (code) => process.exit(code));
  relaunchLean(splitGlobals(process.argv.slice(2)));
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // A stopping server promised to be gone within 2 s: a leftover timer or socket cannot hold it.
      if (LONG_RUNNING.has(splitGlobals(process.argv.slice(2)).rest[0] ?? '')) process.exit(code);
    },
    (e) => {
      err(`tack: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(70);
    },
  );
}

export { setCliIo } from './output.js';

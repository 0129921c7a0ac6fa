import { closeSync, openSync, readFileSync, statSync, writeSync, type Stats } from 'node:fs';
import { isatty } from 'node:tty';
import { resolve } from 'node:path';
import { parseCommandArgs } from '../model/commandArgs.js';
import { TackError } from '../model/errors.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import { runImport, type ImportSummary } from './runImport.js';
import type { ImportSource } from './importRecord.js';
import { progressLine } from '../model/progressLine.js';

/** Each kind: how to read SOURCE (a file or a folder) into records. */
const KINDS: Record<string, { what: string; load: (path: string) => Promise<ImportSource> }> = {
  beads: {
    what: 'a beads JSONL file (.beads/issues.jsonl or `bd export` output)',
    load: async (p) => {
      const beads = await import('./beadsParse.js');
      return fileOrText(p, beads.beadsFileSource, beads.parseBeads);
    },
  },
  backlog: {
    what: 'a Backlog.md backlog/ folder (tasks, completed, drafts, archive, milestones, docs, decisions)',
    load: async (p) => (await import('./backlogImport.js')).backlogSource(p),
  },
  tix: {
    what: 'a tix / ralph plan.jsonl (tasks, issues, notes, accept/reject, deps)',
    load: async (p) => (await import('./tixImport.js')).tixSource(readFile(p)),
  },
  jsonl: {
    what: "Tack's own `tack export jsonl` (ids kept; a round trip on the same store changes nothing)",
    load: async (p) => {
      const jsonl = await import('./jsonlImport.js');
      return fileOrText(p, jsonl.jsonlFileSource, jsonl.jsonlSource);
    },
  },
  trello: {
    what: 'a Trello board export (Export as JSON): cards, lists as states, checklists, comments',
    load: async (p) => (await import('./trelloImport.js')).trelloSource(readFile(p)),
  },
  github: {
    what: 'a `gh issue list --state all --json number,title,body,state,stateReason,labels,assignees,author,createdAt,updatedAt,closedAt,milestone,comments,url` array',
    load: async (p) => (await import('./githubImport.js')).githubSource(readFile(p)),
  },
  jira: {
    what: "Jira's CSV export (all fields): repeated Labels and Comment columns, parents by id",
    load: async (p) => (await import('./jiraImport.js')).jiraSource(readFile(p)),
  },
  linear: {
    what: "Linear's CSV export: status category from its Started/Completed/Canceled times, projects, parents",
    load: async (p) => (await import('./linearImport.js')).linearSource(readFile(p)),
  },
  markdown: {
    what: 'a hand-kept markdown task list (TASKS.md: ## milestones, ### KEY — title tickets with Status: tags)',
    load: async (p) => (await import('./markdownImport.js')).markdownSource(readFile(p)),
  },
};

export const IMPORT_HELP = `Usage: tack import KIND SOURCE [--dry-run] [--close-missing] [--json]

Import tickets from another tracker as ONE commit. Lossless and idempotent: the source's
ids become aliases (\`tack show bd-123\` works), a re-import updates the same tickets in
place, and a re-import of unchanged data makes no commit. Types, states, priorities and
relation kinds the schema lacks are added in the same commit.

Kinds:

Options:
  --dry-run        plan only: report what would be created or updated, write nothing
  --close-missing  cancel (never remove) tickets an earlier import of this kind made that
                   this source no longer holds; without it they are only listed, since an
                   export cannot prove it is whole (gh lists 30 issues unless given --limit)
  --json           the summary as JSON (no progress)

Docs: docs/import-export.md`;

function help(): string {
  const kinds = Object.entries(KINDS)
    .map(([k, v]) => `  ${k.padEnd(10)} ${v.what}`)
    .join('\n');
  return IMPORT_HELP.replace('Kinds:\n\n', `Kinds:\n${kinds}\n\n`);
}

/**
 * A line-by-line source read from its file as it goes; a pipe (`<(bd export)`), which can be
 * read only once, is held as text, as the other kinds are.
 */
function fileOrText(path: string, fromFile: (p: string) => ImportSource, fromText: (t: string) => ImportSource) {
  return readable(path).isFile() ? fromFile(path) : fromText(readFile(path));
}

function readFile(path: string): string {
  readable(path);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw cannotRead(path, e);
  }
}

/**
 * What `path` is, once it is known to name something to read: a folder is refused, and a
 * regular file is opened once (it is then read as it goes). A pipe is not opened here: its
 * one reading is the text's.
 */
function readable(path: string): Stats {
  let st: Stats;
  try {
    st = statSync(path);
    if (st.isFile()) closeSync(openSync(path, 'r'));
  } catch (e) {
    throw cannotRead(path, e);
  }
  if (st.isDirectory()) throw new TackError('invalid_input', `${path} is a folder; expected a file`);
  return st;
}

function cannotRead(path: string, e: unknown): TackError {
  return new TackError(
    'not_found',
    `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    {
      path,
    },
  );
}

export function renderSummary(s: ImportSummary): string {
  const lines = [
    `${s.dry_run ? 'dry run: would import' : 'imported'} ${s.total} ${s.kind} record${s.total === 1 ? '' : 's'} from ${s.source}: ` +
      `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped.length} skipped`,
  ];
  if (s.missing) {
    const keys = `${s.missing_tickets
      .slice(0, 10)
      .map((t) => t.key)
      .join(', ')}${s.missing > 10 ? ', …' : ''}`;
    const n = `${s.missing} ticket${s.missing === 1 ? '' : 's'}`;
    lines.push(
      s.closed
        ? `${s.dry_run ? 'would close' : 'closed'} ${n} gone from the source (canceled, not removed): ${keys}`
        : `${n} from an earlier import ${s.missing === 1 ? 'is' : 'are'} not in this source, left as they are (--close-missing cancels them): ${keys}`,
    );
  }
  const d = s.docs;
  if (d.create + d.update + d.unchanged > 0)
    lines.push(`docs: ${d.create} created, ${d.update} updated, ${d.unchanged} unchanged`);
  if (!s.dry_run) lines.push(s.commit ? `commit ${s.commit.slice(0, 10)}` : 'nothing changed; no commit');
  for (const n of s.schema) lines.push(`schema: ${n}`);
  for (const k of s.skipped) lines.push(`skipped ${k.key}: ${k.reason}`);
  const shown = s.warnings.slice(0, 20);
  for (const w of shown) lines.push(`warning: ${w}`);
  if (s.warnings.length > shown.length) lines.push(`… ${s.warnings.length - shown.length} more warnings (see --json)`);
  return lines.join('\n');
}

/** `tack import KIND SOURCE [--dry-run] [--close-missing]`: a surface command (see SURFACE_COMMANDS in cli/main.ts). */
export async function importCommand(
  argv: string[],
  g: { cwd: string; json: boolean; help: boolean; branch?: string },
  print: (s: string) => void,
): Promise<number> {
  if (g.help) {
    print(`${help()}\n`);
    return 0;
  }
  const parsed = parseCommandArgs(
    {
      args: argv,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean' }, 'close-missing': { type: 'boolean' } },
    },
    'import',
  );
  const [kind, source, ...more] = parsed.positionals;
  if (!kind || !KINDS[kind]) {
    throw new TackError(
      'invalid_input',
      `${kind ? `unknown import kind ${JSON.stringify(kind)}` : 'missing KIND'}; expected one of: ${Object.keys(KINDS).join(', ')} (tack import KIND SOURCE)`,
    );
  }
  if (!source || more.length)
    throw new TackError(
      'invalid_input',
      `expected exactly one SOURCE after the kind; received ${JSON.stringify(parsed.positionals.slice(1))}`,
    );
  const path = resolve(g.cwd, source);
  const quiet = g.json || !isatty(2);
  const progress = quiet ? undefined : progressLine((text) => writeSync(2, text));
  const ctx = createContext({ effects: nodeEffects(), cwd: g.cwd, branch: g.branch, progress });
  const src = await KINDS[kind].load(path);
  let summary: Awaited<ReturnType<typeof runImport>>;
  try {
    summary = await runImport(ctx, src, source, {
      dryRun: parsed.values['dry-run'] === true,
      closeMissing: parsed.values['close-missing'] === true,
    });
  } finally {
    progress?.end();
  }
  print(`${g.json ? JSON.stringify(summary, null, 2) : renderSummary(summary)}\n`);
  return 0;
}

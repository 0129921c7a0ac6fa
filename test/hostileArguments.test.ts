import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeInput } from '../src/cli/argsFromSchema.js';
import { REGISTRY } from '../src/ops/registry.js';
import type { OpDef } from '../src/ops/op.js';
import { startServer } from '../src/server/serve.js';
import { git, tackAsync, tackJson, tempStore, trackCleanups } from './helpers.js';

/**
 * Every string input of every operation, fed values that would run a command if they
 * reached git as an option or a shell as code, through REST (the whole registry) and the
 * CLI (the inputs git receives after resolution: remotes, revisions, commits, refs). The marker file must
 * never appear and no answer may carry a stack trace.
 *
 * Left out: `edit` and `schema-edit` open an editor (need a TTY), `serve` never returns;
 * the REST walk skips what routes.ts keeps off HTTP (init, config, hooks-*, ...), and the
 * CLI walk covers those: `config` and `hooks-install` store a hook *command* on purpose
 * (the user's own), so they are fed the values as data only via --json.
 */

const cleanup = trackCleanups();
const NEEDS_TTY = new Set(['edit', 'schema-edit']);
/** Inputs that may reach git as arguments: all seven values through REST. */
const GIT_FACING = new Set([
  'remote',
  'rev',
  'commit',
  'from',
  'ref',
  'branch',
  'to',
  'at',
  'since',
  'base',
  'path',
  'name',
]);
/** The ones that do reach git (after resolution): also through the CLI's argv parsing. */
const CLI_GIT_FACING = new Set(['remote', 'rev', 'commit', 'from', 'ref']);

function hostile(marker: string): string[] {
  return [
    `--upload-pack=touch ${marker};true`,
    `-c core.sshCommand=touch ${marker}`,
    `--output=${marker}`,
    `$(touch ${marker})`,
    `;touch ${marker}`,
    `x\ntouch ${marker}`,
    `ext::sh -c touch% ${marker}`,
  ];
}

interface Field {
  key: string;
  kind: string;
  optional: boolean;
  elementKind?: string;
  values?: string[];
}

async function loadOps(): Promise<OpDef[]> {
  return Promise.all(
    REGISTRY.filter((e) => !NEEDS_TTY.has(e.name)).map(async (e) => (await e.load()).default as OpDef),
  );
}

const isText = (f: Field) => f.kind === 'string' || (f.kind === 'array' && f.elementKind === 'string');

/** The other required inputs, filled with something plausible so the hostile one is reached. */
function baseInput(op: OpDef, ticket: string, except: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of describeInput(op) as Field[]) {
    if (f.optional || f.key === except) continue;
    if (f.kind === 'enum') input[f.key] = f.values![0];
    else if (f.kind === 'number') input[f.key] = 1;
    else if (f.kind === 'boolean') input[f.key] = false;
    else if (f.kind === 'array') input[f.key] = [ticket];
    else input[f.key] = /^(id|target|ticket)$/.test(f.key) ? ticket : 'x';
  }
  return input;
}

function setup() {
  const repo = tempStore({ prefix: 'tack-hostile-' });
  cleanup(repo.cleanup);
  const remote = mkdtempSync(join(tmpdir(), 'tack-hostile-remote-'));
  cleanup(() => rmSync(remote, { recursive: true, force: true }));
  git(remote, 'init', '-q', '--bare');
  git(repo.dir, 'remote', 'add', 'origin', remote);
  const markerDir = mkdtempSync(join(tmpdir(), 'tack-hostile-marker-'));
  cleanup(() => rmSync(markerDir, { recursive: true, force: true }));
  const ticket = tackJson(repo.dir, 'create', 'Target').id as string;
  return { dir: repo.dir, marker: join(markerDir, 'MARKER'), ticket };
}

const STACK = /\n\s+at .+:\d+:\d+/;

describe('hostile arguments', () => {
  it('through REST: no string input of any operation runs anything, and no answer has a stack trace', async () => {
    const { dir, marker, ticket } = setup();
    const srv = await startServer({ cwd: dir, port: 0 });
    cleanup(() => void srv.close());
    // Each case names its own marker file, so cases can run side by side and a command run
    // late (after its answer) is still pinned on the case that caused it.
    const cases: Array<{ op: string; body: unknown; what: string; marker: string }> = [];
    for (const op of await loadOps()) {
      if (op.localOnly) continue;
      for (const f of (describeInput(op) as Field[]).filter(isText)) {
        if (op.localKeys?.includes(f.key)) continue;
        // Inputs git never sees get the three shapes (option, shell, newline); the rest all of them.
        // A NUL only through REST: no process argument can hold one, JSON can.
        const shapes = (m: string) =>
          GIT_FACING.has(f.key) ? [...hostile(m), `x\0touch ${m}`] : hostile(m).filter((_, i) => [0, 3, 5].includes(i));
        for (let k = 0; k < shapes(marker).length; k++) {
          const own = `${marker}-${cases.length}`;
          const value = shapes(own)[k];
          const body = { ...baseInput(op, ticket, f.key), [f.key]: f.kind === 'array' ? [value] : value };
          cases.push({ op: op.name, body, what: `${op.name}.${f.key} = ${JSON.stringify(value)}`, marker: own });
        }
      }
    }
    const problems: string[] = [];
    const run = async (c: (typeof cases)[number]): Promise<void> => {
      const res = await fetch(`${srv.url}/api/${c.op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(c.body),
      });
      const text = await res.text();
      if (STACK.test(text)) problems.push(`${c.what}: stack trace in ${text.slice(0, 200)}`);
      if (res.status === 500 && !text.includes('"git_failed"')) problems.push(`${c.what}: 500 ${text.slice(0, 200)}`);
    };
    // Three requests at a time: the server answers reads side by side and queues writes.
    let next = 0;
    await Promise.all(
      [0, 1, 2].map(async () => {
        while (next < cases.length) await run(cases[next++]);
      }),
    );
    for (const c of cases) if (existsSync(c.marker)) problems.push(`${c.what} ran a command`);
    expect(problems).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  }, 120_000);

  it('through the CLI: option-shaped and shell-shaped values for every input git receives run nothing', async () => {
    const { dir, marker, ticket } = setup();
    const runs: Array<{ args: string[]; what: string }> = [];
    for (const op of await loadOps()) {
      const entry = REGISTRY.find((e) => e.name === op.name)!;
      const fields = (describeInput(op) as Field[]).filter((f) => isText(f) && CLI_GIT_FACING.has(f.key));
      for (const f of fields) {
        // A process per case is slow: remotes get the transport tricks, revisions the option ones.
        const values =
          f.key === 'remote'
            ? hostile(marker).filter((_, i) => [0, 1, 3, 6].includes(i))
            : hostile(marker).filter((_, i) => [0, 2].includes(i));
        for (const value of values) {
          const rest = Object.entries(baseInput(op, ticket, f.key)).flatMap(([k, v]) =>
            typeof v === 'boolean' ? [] : [`--${k.replace(/_/g, '-')}=${Array.isArray(v) ? v[0] : v}`],
          );
          // The attacker's form: `--remote=--upload-pack=…` (an option's value) ...
          runs.push({
            args: [...entry.words[0], ...rest, `--${f.key.replace(/_/g, '-')}=${value}`, '--json'],
            what: `${op.name} --${f.key}`,
          });
          // ... and as a positional argument where the command takes one, after `--`.
          if (f.key === 'remote' && op.cli?.args?.includes(f.key))
            runs.push({ args: [...entry.words[0], '--json', '--', value], what: `${op.name} <${f.key}>` });
        }
      }
    }
    // The reported case itself, exactly as typed.
    runs.push({ args: ['claim', ticket, `--remote=--upload-pack=touch ${marker};true`], what: 'claim (issue 12)' });
    const problems: string[] = [];
    // Three at a time: enough to finish quickly without crowding a loaded machine.
    for (let i = 0; i < runs.length; i += 3) {
      const batch = runs.slice(i, i + 3);
      const results = await Promise.all(batch.map((r) => tackAsync(dir, r.args)));
      results.forEach((res, j) => {
        if (STACK.test(res.stderr) || STACK.test(res.stdout))
          problems.push(`${batch[j].what}: stack trace ${res.stderr.slice(0, 200)}`);
      });
      if (existsSync(marker)) problems.push(`${batch.map((b) => b.what).join(' or ')} ran a command`);
      rmSync(marker, { force: true });
    }
    expect(problems).toEqual([]);
    expect(runs.length).toBeGreaterThan(30);
    console.log(`hostile CLI runs: ${runs.length}`);
  }, 240_000);
});

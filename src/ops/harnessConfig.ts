import { isDeepStrictEqual } from 'node:util';
import { TackError } from '../model/errors.js';
import { scanToml, tomlString, type TomlAssignment } from '../model/tomlScan.js';

/**
 * What `tack setup agents` writes for the coding-agent harnesses that document a project
 * file for it: the MCP server (with the agent's own TACK_USER) and, where the harness has
 * session hooks, `tack prime` at session start and after compaction (when the context was
 * summarised away, the orientation must come back).
 *
 * Every file is merged, never replaced: unknown keys stay, a value the user set stays
 * (a `tack` server run through npx keeps its command), and a file that is not a JSON
 * object (or, for Codex, not TOML) is refused, so the user's content is never lost.
 * Merging twice changes nothing.
 */
export type Harness = 'claude' | 'cursor' | 'gemini' | 'codex';
export const HARNESSES: readonly Harness[] = ['claude', 'cursor', 'gemini', 'codex'];

/** The TACK_USER each harness's agent acts as, unless told otherwise. */
export const HARNESS_USER: Record<Harness, string> = {
  claude: 'claude-code',
  cursor: 'cursor',
  gemini: 'gemini-cli',
  codex: 'codex',
};

type Json = Record<string, unknown>;
export type ConfigEdit =
  /** Relative to the work tree. */
  | { path: string; merge: (config: Json) => void }
  /** A text format edited in place: the new text, or null when nothing changes. */
  | { path: string; edit: (existing: string | null) => string | null };

/** The edits for one harness: Claude Code's .mcp.json and hooks, Cursor's and Gemini CLI's MCP files. */
export function harnessEdits(harness: Harness, user: string): ConfigEdit[] {
  if (harness === 'claude')
    return [
      { path: '.mcp.json', merge: (c) => addServer(c, '.mcp.json', user) },
      { path: '.claude/settings.json', merge: (c) => addPrimeHooks(c, '.claude/settings.json', user) },
    ];
  if (harness === 'codex')
    return [{ path: '.codex/config.toml', edit: (text) => addCodexServer(text, '.codex/config.toml', user) }];
  const path = harness === 'cursor' ? '.cursor/mcp.json' : '.gemini/settings.json';
  return [{ path, merge: (c) => addServer(c, path, user) }];
}

function objectAt(parent: Json, key: string, path: string): Json {
  const v = parent[key];
  if (v === undefined) return (parent[key] = {}) as Json;
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  throw new TackError(
    'invalid_input',
    `${path}: "${key}" is ${Array.isArray(v) ? 'an array' : typeof v}; expected an object (fix it by hand, then run this again)`,
  );
}

/** `mcpServers.tack`: filled in where missing, the user's own values kept. */
function addServer(config: Json, path: string, user: string): void {
  const tack = objectAt(objectAt(config, 'mcpServers', path), 'tack', path);
  tack.command ??= 'tack';
  tack.args ??= ['mcp'];
  objectAt(tack, 'env', path).TACK_USER ??= user;
}

const PRIME = 'tack prime';

/** SessionStart hooks running `tack prime` on a new session and after compaction, as that agent. */
function addPrimeHooks(config: Json, path: string, user: string): void {
  // The hooks and the agent's own shell commands run with the settings' env: `tack` acts as the agent.
  objectAt(config, 'env', path).TACK_USER ??= user;
  const hooks = objectAt(config, 'hooks', path);
  const start = hooks.SessionStart ?? (hooks.SessionStart = []);
  if (!Array.isArray(start))
    throw new TackError('invalid_input', `${path}: "hooks.SessionStart" is not an array; expected a list of matchers`);
  for (const matcher of ['startup', 'compact']) {
    const has = start.some(
      (e) =>
        e &&
        typeof e === 'object' &&
        String((e as Json).matcher ?? '')
          .split('|')
          .includes(matcher) &&
        Array.isArray((e as Json).hooks) &&
        ((e as Json).hooks as Json[]).some((h) => typeof h?.command === 'string' && h.command.includes(PRIME)),
    );
    if (!has) start.push({ matcher, hooks: [{ type: 'command', command: PRIME }] });
  }
}

/**
 * The file's new text after an edit, or null when the edit changes nothing (the file is
 * then left byte for byte as it was). A file that is not a JSON object is refused.
 */
export function mergedConfig(existing: string | null, edit: ConfigEdit): string | null {
  if ('edit' in edit) return edit.edit(existing);
  let before: unknown = {};
  if (existing !== null && existing.trim() !== '') {
    try {
      before = JSON.parse(existing);
    } catch (e) {
      throw new TackError(
        'invalid_input',
        `${edit.path} is not valid JSON (${(e as Error).message}); expected a JSON object — fix or move it, then run this again (nothing was written)`,
        { path: edit.path },
      );
    }
  }
  if (!before || typeof before !== 'object' || Array.isArray(before))
    throw new TackError(
      'invalid_input',
      `${edit.path} holds ${Array.isArray(before) ? 'an array' : 'no object'}; expected a JSON object (nothing was written)`,
      { path: edit.path },
    );
  const after = structuredClone(before) as Json;
  edit.merge(after);
  if (existing !== null && isDeepStrictEqual(after, before)) return null;
  return `${JSON.stringify(after, null, 2)}\n`;
}

const TACK = ['mcp_servers', 'tack'];
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const under = (p: readonly string[], prefix: readonly string[]) => same(p.slice(0, prefix.length), prefix);

function refuseToml(path: string, why: string): never {
  throw new TackError(
    'invalid_input',
    `${path}: ${why}; add \`command = "tack"\`, \`args = ["mcp"]\` and \`env = { TACK_USER = "…" }\` to [mcp_servers.tack] by hand (nothing was written)`,
    { path },
  );
}

/**
 * Codex's project file (`.codex/config.toml`): `[mcp_servers.tack]` with `command`, `args`
 * and `env.TACK_USER`, each added only where missing, as new lines (or a key in the `env`
 * inline table); every other byte of the file stays. Forms it cannot extend without
 * rewriting the user's text (`tack` as an inline table, an array of tables) are refused.
 */
function addCodexServer(existing: string | null, path: string, user: string): string | null {
  const text = existing ?? '';
  const scan = scanToml(text, path);
  const at = (p: string[]) => scan.assignments.filter((a) => same(a.path, p));
  const env = [...TACK, 'env'];
  const hasUser = at([...env, 'TACK_USER']).length > 0 || at(env).some((a) => a.inline?.includes('TACK_USER') ?? false);
  const lines: string[] = [];
  if (at([...TACK, 'command']).length === 0) lines.push(`command = ${tomlString('tack')}`);
  if (at([...TACK, 'args']).length === 0) lines.push(`args = [${tomlString('mcp')}]`);
  if (lines.length === 0 && hasUser) return null;

  if (scan.assignments.some((a) => a.path.length <= TACK.length && same(a.path, TACK.slice(0, a.path.length))))
    refuseToml(path, 'mcp_servers or mcp_servers.tack is an inline value, which cannot be extended in place');
  if (scan.headers.some((h) => h.array && under(TACK, h.path)))
    refuseToml(path, 'mcp_servers or mcp_servers.tack is an array of tables');
  const header = scan.headers.find((h) => same(h.path, TACK));
  if (!header && scan.assignments.some((a) => under(a.path, TACK) && !under(a.table, TACK)))
    refuseToml(path, 'mcp_servers.tack is defined by dotted keys outside its own table');

  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const inserts: Array<{ at: number; text: string }> = [];
  const pair = `TACK_USER = ${tomlString(user)}`;
  if (!hasUser) {
    const envHeader = scan.headers.find((h) => same(h.path, env));
    const inline = at(env)[0] as TomlAssignment | undefined;
    if (envHeader) inserts.push(lineAfter(text, envHeader.lineEnd, pair, nl));
    else if (inline) {
      if (inline.inline === null) refuseToml(path, 'mcp_servers.tack.env is not a table');
      inserts.push({ at: inline.start + 1, text: inline.inline.length ? ` ${pair},` : ` ${pair} ` });
    } else if (scan.assignments.some((a) => under(a.path, env))) lines.push(`env.${pair}`);
    else lines.push(`env = { ${pair} }`);
  }
  if (lines.length && header) inserts.push(lineAfter(text, header.lineEnd, lines.join(nl), nl));
  else if (lines.length) {
    const gap = text === '' ? '' : text.endsWith('\n') ? nl : nl + nl;
    inserts.push({ at: text.length, text: `${gap}[mcp_servers.tack]${nl}${lines.join(nl)}${nl}` });
  }
  let out = text;
  for (const i of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, i.at) + i.text + out.slice(i.at);
  // What was written must read back complete, or the next run would write again.
  if (addCodexServer(out, path, user) !== null) refuseToml(path, 'the edit did not read back as complete');
  return out;
}

/** New lines right after a header line (which may be the file's last, without a newline). */
function lineAfter(text: string, lineEnd: number, line: string, nl: string): { at: number; text: string } {
  const ended = lineEnd > 0 && text[lineEnd - 1] === '\n';
  return { at: lineEnd, text: ended ? `${line}${nl}` : `${nl}${line}${nl}` };
}

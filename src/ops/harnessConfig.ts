import { isDeepStrictEqual } from 'node:util';
import { TackError } from '../model/errors.js';

/**
 * What `tack setup agents` writes for the coding-agent harnesses that document a project
 * file for it: the MCP server (with the agent's own TACK_USER) and, where the harness has
 * session hooks, `tack prime` at session start and after compaction (when the context was
 * summarised away, the orientation must come back).
 *
 * Every file is merged, never replaced: unknown keys stay, a value the user set stays
 * (a `tack` server run through npx keeps its command), and a file that is not a JSON
 * object is refused, so the user's content is never lost. Merging twice changes nothing.
 */
export type Harness = 'claude' | 'cursor' | 'gemini';
export const HARNESSES: readonly Harness[] = ['claude', 'cursor', 'gemini'];

/** The TACK_USER each harness's agent acts as, unless told otherwise. */
export const HARNESS_USER: Record<Harness, string> = { claude: 'claude-code', cursor: 'cursor', gemini: 'gemini-cli' };

type Json = Record<string, unknown>;
export interface ConfigEdit {
  /** Relative to the work tree. */
  path: string;
  merge: (config: Json) => void;
}

/** The edits for one harness: Claude Code's .mcp.json and hooks, Cursor's and Gemini CLI's MCP files. */
export function harnessEdits(harness: Harness, user: string): ConfigEdit[] {
  if (harness === 'claude')
    return [
      { path: '.mcp.json', merge: (c) => addServer(c, '.mcp.json', user) },
      { path: '.claude/settings.json', merge: (c) => addPrimeHooks(c, '.claude/settings.json', user) },
    ];
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

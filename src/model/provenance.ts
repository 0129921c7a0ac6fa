import type { z } from 'zod';
import type { provenanceShape } from './jsonShapes.js';
import { NOT_ONE_LINE_ALL } from './oneLine.js';

/** Who made a change: a person at a terminal or browser, or a coding agent (docs/agents.md). */
export type Provenance = z.infer<ReturnType<typeof provenanceShape>>;

export const PROVENANCE_TRAILERS = {
  actor: 'Tack-Actor',
  agent: 'Tack-Agent',
  harness: 'Tack-Harness',
  model: 'Tack-Model',
  session: 'Tack-Session',
} as const;

/** Longest trailer value kept: enough for a model id or a UUID, not for a payload. */
export const TRAILER_VALUE_MAX = 200;

/**
 * A trailer value as one line: control characters, line separators and bidi overrides
 * become spaces (so a value cannot start a line of its own and forge another trailer),
 * runs of spaces collapse, and it is cut to TRAILER_VALUE_MAX characters.
 */
export function cleanTrailerValue(v: string): string {
  const one = v.replace(NOT_ONE_LINE_ALL, ' ').replace(/ {2,}/g, ' ').trim();
  return Array.from(one).slice(0, TRAILER_VALUE_MAX).join('').trim();
}

type Env = Record<string, string | undefined>;

/**
 * Harnesses recognised from what they put in the environment of the commands they run,
 * most specific first. Each variable is listed, with where it is documented or seen, in
 * docs/agents.md.
 */
const HARNESSES: Array<{ name: string; match: (env: Env) => boolean; session?: string }> = [
  { name: 'claude-code', match: (e) => !!e.CLAUDECODE, session: 'CLAUDE_CODE_SESSION_ID' },
  {
    name: 'codex',
    match: (e) => !!(e.CODEX_SANDBOX || e.CODEX_THREAD_ID || e.CODEX_CI),
    session: 'CODEX_THREAD_ID',
  },
  { name: 'gemini-cli', match: (e) => !!e.GEMINI_CLI },
  { name: 'cursor', match: (e) => !!e.CURSOR_AGENT || e.CURSOR_EXTENSION_HOST_ROLE === 'agent-exec' },
  { name: 'copilot', match: (e) => !!(e.COPILOT_AGENT || e.COPILOT_CLI) },
  { name: 'opencode', match: (e) => !!e.OPENCODE },
];

function nonEmpty(v: string | undefined): string | undefined {
  const c = v === undefined ? '' : cleanTrailerValue(v);
  return c || undefined;
}

/** The MCP client as it named itself in `initialize` (clientInfo). */
export interface ClientInfo {
  name?: unknown;
  version?: unknown;
}

function clientHarness(client: ClientInfo | undefined): string | undefined {
  if (!client || typeof client.name !== 'string') return undefined;
  const version = typeof client.version === 'string' ? client.version : '';
  return nonEmpty(version ? `${client.name}/${version}` : client.name);
}

/**
 * Provenance from explicit settings (TACK_ACTOR, TACK_AGENT, TACK_HARNESS, TACK_MODEL,
 * TACK_SESSION), then from the MCP client of this session, then from the harness
 * variables. Any sign of an agent makes the actor an agent unless TACK_ACTOR says otherwise.
 */
export function detectProvenance(env: Env, client?: ClientInfo): Provenance {
  const found = HARNESSES.find((h) => h.match(env));
  const agent = nonEmpty(env.TACK_AGENT);
  const harness = nonEmpty(env.TACK_HARNESS) ?? clientHarness(client) ?? found?.name;
  const model = nonEmpty(env.TACK_MODEL);
  const session = nonEmpty(env.TACK_SESSION) ?? (found?.session ? nonEmpty(env[found.session]) : undefined);
  const declared = env.TACK_ACTOR?.trim().toLowerCase();
  const actor = declared === 'human' || declared === 'agent' ? declared : agent || harness || model ? 'agent' : 'human';
  return {
    actor,
    ...(agent ? { agent } : {}),
    ...(harness ? { harness } : {}),
    ...(model ? { model } : {}),
    ...(session ? { session } : {}),
  };
}

/** The trailers a commit carries for its provenance (Tack-Actor always, the rest when known). */
export function provenanceTrailers(p: Provenance): Array<[string, string]> {
  const out: Array<[string, string]> = [[PROVENANCE_TRAILERS.actor, p.actor]];
  for (const k of ['agent', 'harness', 'model', 'session'] as const) {
    const v = p[k] && cleanTrailerValue(p[k]);
    if (v) out.push([PROVENANCE_TRAILERS[k], v]);
  }
  return out;
}

/** Provenance read back from a commit's trailers; null for a commit that records none. */
export function provenanceOf(trailers: Record<string, string[]>): Provenance | null {
  const first = (k: string): string | undefined => trailers[k]?.[0] || undefined;
  const actor = first(PROVENANCE_TRAILERS.actor);
  if (actor !== 'human' && actor !== 'agent') return null;
  const out: Provenance = { actor };
  for (const k of ['agent', 'harness', 'model', 'session'] as const) {
    const v = first(PROVENANCE_TRAILERS[k]);
    if (v) out[k] = v;
  }
  return out;
}

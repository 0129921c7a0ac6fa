import type { z } from 'zod';
import type { triggerConfigShape, webhookConfigShape } from './settingsShapes.js';
import { TackError } from './errors.js';

// No node:crypto here: every write checks hasOutboundTriggers, and the CLI's read path
// loads this module; the signature is in webhookSignature.ts.

/** One outbound webhook of the local trigger settings. */
export type WebhookConfig = z.infer<ReturnType<typeof webhookConfigShape>>;

/** The `triggers` section of the local settings (.git/tack/store.json), never committed. */
export type TriggerConfig = z.infer<ReturnType<typeof triggerConfigShape>>;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_BACKOFF_MS = 1_000;
export const DEFAULT_ATTEMPTS = 5;
export const MAX_ATTEMPTS = 10;

/** Whether a write has anything to deliver: the check every write makes, on settings it has read anyway. */
export function hasOutboundTriggers(t: TriggerConfig | undefined): boolean {
  return !!t && (Object.keys(t.on ?? {}).length > 0 || Object.keys(t.webhooks ?? {}).length > 0);
}

/** "10s", "500ms", "2m" or a number of ms → ms. */
export function durationMs(text: string | number | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (typeof text === 'number') return text;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!m)
    throw new TackError('invalid_input', `"${text}" is not a duration; expected e.g. 500ms, 10s, 2m`, {
      received: text,
    });
  const unit = (m[2] ?? 'ms').toLowerCase();
  return Number(m[1]) * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1);
}

/**
 * `*` matches any run of characters (dots included), so `ticket.*` is every ticket
 * event and `ticket.status.*` every status change; anything else matches literally.
 */
export function matchesPattern(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(name);
}

/** An event (by all its names) is wanted by a pattern list when any pattern matches any name. */
export function wanted(patterns: string[] | undefined, names: string[]): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => names.some((n) => matchesPattern(p, n)));
}

/** The commands of `on` whose pattern matches one of the event's names, each once, in config order. */
export function commandsFor(on: TriggerConfig['on'], names: string[]): string[] {
  const out: string[] = [];
  for (const [pattern, cmds] of Object.entries(on ?? {})) {
    if (!names.some((n) => matchesPattern(pattern, n))) continue;
    for (const c of Array.isArray(cmds) ? cmds : [cmds]) if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): base, 2×base, 4×base ..., at most 5 minutes. */
export function backoffDelay(attempt: number, baseMs: number): number {
  return Math.min(300_000, baseMs * 2 ** (attempt - 1));
}

/** Network errors, 5xx and 429 are worth another attempt; other answers are final. */
export function retryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

/** `env:NAME` → the variable's value (undefined when unset); any other text is the secret itself. */
export function resolveSecret(secret: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (!secret) return undefined;
  if (secret.startsWith('env:')) return env[secret.slice(4)] || undefined;
  return secret;
}

/** A secret as shown back to the user: where it comes from, never its value. */
export function maskSecret(secret: string | undefined): string | null {
  if (!secret) return null;
  return secret.startsWith('env:') ? secret : '(set)';
}

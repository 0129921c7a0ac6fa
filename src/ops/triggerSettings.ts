import { TackError } from '../model/errors.js';
import { durationMs, maskSecret, MAX_ATTEMPTS, type TriggerConfig, type WebhookConfig } from '../model/triggers.js';

/** The `tack config` keys of the trigger settings, as the help shows them. */
export const TRIGGER_KEYS_HELP =
  'on.<event pattern>, hooks.timeout, hooks.backoff, hooks.wait, hooks.pull, webhook.<name>.url|secret|events|attempts, inbound.secret';

export function isTriggerKey(key: string): boolean {
  return (
    /^on\.\S+$/.test(key) ||
    /^hooks\.(timeout|backoff|wait|pull)$/.test(key) ||
    /^webhook\.[A-Za-z0-9_-]+\.(url|secret|events|attempts)$/.test(key) ||
    key === 'inbound.secret'
  );
}

function bad(key: string, expected: string, value: string): never {
  throw new TackError('invalid_input', `${key}: expected ${expected}, got "${value}"`, { key, value });
}

function bool(key: string, v: string): boolean {
  if (!/^(true|false|on|off|yes|no)$/i.test(v)) bad(key, 'true or false', v);
  return /^(true|on|yes)$/i.test(v);
}

function setWebhook(t: TriggerConfig, name: string, field: string, value: string, key: string): void {
  const hooks = { ...(t.webhooks ?? {}) };
  const hook: Partial<WebhookConfig> = { ...(hooks[name] ?? {}) };
  if (field === 'url') {
    if (value && !/^https?:\/\/\S+$/.test(value)) bad(key, 'an http:// or https:// URL', value);
    if (!value) {
      delete hooks[name];
      t.webhooks = hooks;
      return;
    }
    hook.url = value;
  } else if (field === 'secret') {
    if (value) hook.secret = value;
    else delete hook.secret;
  } else if (field === 'events') {
    const list = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length) hook.events = list;
    else delete hook.events;
  } else if (field === 'attempts') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_ATTEMPTS) bad(key, `a whole number 1-${MAX_ATTEMPTS}`, value);
    hook.attempts = n;
  }
  if (!hook.url)
    throw new TackError('invalid_input', `${key}: webhook "${name}" has no url yet; set webhook.${name}.url first`, {
      key,
      webhook: name,
    });
  hooks[name] = hook as WebhookConfig;
  t.webhooks = hooks;
}

/**
 * Apply `tack config KEY VALUE` to the trigger settings (a copy is returned); an empty
 * VALUE removes the setting (`webhook.<name>.url ""` removes the webhook).
 */
export function setTriggerKey(current: TriggerConfig | undefined, key: string, value: string): TriggerConfig {
  const t: TriggerConfig = structuredClone(current ?? {});
  if (key.startsWith('on.')) {
    const on = { ...(t.on ?? {}) };
    if (value) on[key.slice(3)] = value;
    else delete on[key.slice(3)];
    t.on = on;
  } else if (key === 'hooks.timeout' || key === 'hooks.backoff') {
    const field = key.slice(6) as 'timeout' | 'backoff';
    if (value) {
      if (durationMs(value, 0) <= 0) bad(key, 'a duration above zero such as 10s or 500ms', value);
      t[field] = value;
    } else delete t[field];
  } else if (key === 'hooks.wait' || key === 'hooks.pull') {
    const field = key.slice(6) as 'wait' | 'pull';
    if (value) t[field] = bool(key, value);
    else delete t[field];
  } else if (key === 'inbound.secret') {
    t.inbound = value ? { secret: value } : undefined;
    if (!value) delete t.inbound;
  } else {
    const m = /^webhook\.([A-Za-z0-9_-]+)\.(url|secret|events|attempts)$/.exec(key);
    if (!m)
      throw new TackError('invalid_input', `unknown setting "${key}"; expected sign or one of ${TRIGGER_KEYS_HELP}`, {
        key,
      });
    setWebhook(t, m[1], m[2], value, key);
  }
  return t;
}

/** The trigger settings as shown back: secrets replaced by where they come from. */
export function maskTriggers(t: TriggerConfig | undefined): TriggerConfig | undefined {
  if (!t) return undefined;
  const out: TriggerConfig = structuredClone(t);
  for (const h of Object.values(out.webhooks ?? {})) {
    if (h.secret) h.secret = maskSecret(h.secret)!;
  }
  if (out.inbound?.secret) out.inbound.secret = maskSecret(out.inbound.secret)!;
  return out;
}

/** One value of the trigger settings by its `tack config` key (masked secrets). */
export function triggerValue(t: TriggerConfig | undefined, key: string): string {
  const m = maskTriggers(t);
  if (key.startsWith('on.')) {
    const v = m?.on?.[key.slice(3)];
    return Array.isArray(v) ? v.join(' ; ') : (v ?? '');
  }
  if (key.startsWith('hooks.')) return String(m?.[key.slice(6) as 'timeout'] ?? '');
  if (key === 'inbound.secret') return m?.inbound?.secret ?? '';
  const w = /^webhook\.([A-Za-z0-9_-]+)\.(\w+)$/.exec(key);
  const v = w ? (m?.webhooks?.[w[1]] as Record<string, unknown> | undefined)?.[w[2]] : undefined;
  return Array.isArray(v) ? v.join(',') : v === undefined ? '' : String(v);
}

/** Lines for `tack config` and `tack hooks list`. */
export function describeTriggers(t: TriggerConfig | undefined): string[] {
  const m = maskTriggers(t);
  if (!m) return [];
  const lines: string[] = [];
  for (const [p, c] of Object.entries(m.on ?? {})) lines.push(`on ${p}  ${Array.isArray(c) ? c.join(' ; ') : c}`);
  for (const [n, h] of Object.entries(m.webhooks ?? {})) {
    lines.push(
      `webhook ${n}  ${h.url}  events: ${h.events?.join(',') ?? '*'}  secret: ${h.secret ?? 'none'}${h.attempts ? `  attempts: ${h.attempts}` : ''}`,
    );
  }
  if (m.timeout) lines.push(`hooks.timeout  ${m.timeout}`);
  if (m.backoff) lines.push(`hooks.backoff  ${m.backoff}`);
  if (m.wait !== undefined) lines.push(`hooks.wait  ${m.wait}`);
  if (m.pull !== undefined) lines.push(`hooks.pull  ${m.pull}`);
  if (m.inbound?.secret) lines.push(`inbound.secret  ${m.inbound.secret}`);
  return lines;
}

import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { readSettings, storeHead, writeSettings, type StoreSettings } from '../store/store.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { triggerConfigShape, workspaceSettingsShape } from '../model/settingsShapes.js';
import { millisSetting } from '../model/duration.js';
import { AUTO_SYNC_TIMEOUT } from './autoSync.js';
import {
  describeTriggers,
  isTriggerKey,
  maskTriggers,
  setTriggerKey,
  triggerValue,
  TRIGGER_KEYS_HELP,
} from './triggerSettings.js';

/** The settings `tack config` may change, with how to read a value from the command line. */
const KEYS: Record<string, (value: string) => Partial<StoreSettings>> = {
  sign: (v) => {
    if (!/^(true|false|on|off|yes|no)$/i.test(v))
      throw new TackError('invalid_input', `sign: expected true or false, got "${v}"`, { key: 'sign', value: v });
    return { sign: /^(true|on|yes)$/i.test(v) };
  },
  'agents.reservations': (v) => {
    if (v !== 'warn' && v !== 'refuse' && v !== 'off')
      throw new TackError('invalid_input', `agents.reservations: expected warn, refuse or off, got "${v}"`, {
        key: 'agents.reservations',
        value: v,
      });
    return { reservations: v };
  },
};

/** `agents.*` keys: nested under `agents` in the settings file. */
const AGENT_KEYS: Record<string, (value: string) => boolean | string> = {
  'agents.auto_sync': (v) => {
    if (!/^(true|false|on|off|yes|no)$/i.test(v))
      throw new TackError('invalid_input', `agents.auto_sync: expected true or false, got "${v}"`, {
        key: 'agents.auto_sync',
        value: v,
      });
    return /^(true|on|yes)$/i.test(v);
  },
  'agents.sync_timeout': (v) => {
    millisSetting(v, 'agents.sync_timeout');
    return v.trim();
  },
};

function agentValue(s: StoreSettings, key: string): string {
  const v = s.agents?.[key.slice('agents.'.length) as 'auto_sync' | 'sync_timeout'];
  return v === undefined ? (key === 'agents.auto_sync' ? 'false' : `${AUTO_SYNC_TIMEOUT} (default)`) : String(v);
}

/** The settings field behind a key, where the two are spelled differently. */
const fieldOf = (key: string): keyof StoreSettings =>
  (key === 'agents.reservations' ? 'reservations' : key) as keyof StoreSettings;

function describe(s: StoreSettings): string {
  const lines = [
    `mode    ${s.mode}`,
    `ref     ${s.ref ?? '(default)'}`,
    `commit  ${s.commit ?? 'auto'}`,
    `sign    ${s.sign === true}`,
    `agents.reservations  ${s.reservations ?? 'warn'}`,
  ];
  if (s.agents)
    lines.push(
      `agents.auto_sync     ${agentValue(s, 'agents.auto_sync')}`,
      `agents.sync_timeout  ${agentValue(s, 'agents.sync_timeout')}`,
    );
  if (s.sign && s.signSince !== undefined)
    lines.push(`        (required for commits after ${s.signSince ? s.signSince.slice(0, 8) : 'the first'})`);
  lines.push(...describeTriggers(s.triggers));
  return lines.join('\n');
}

/**
 * Tack's local settings of this clone (kept in .git/tack/store.json, never committed:
 * whether to sign is a choice of the person, not of the project).
 */
export default defineOp({
  name: 'config',
  summary:
    "Show or change Tack's local settings of this clone (sign true|false: sign every Tack commit; agents.auto_sync true|false: sync after each write; triggers: docs/triggers.md)",
  kind: 'write',
  localOnly: true, // this machine's own set-up
  cli: { args: ['key', 'value'] },
  input: z.object({
    key: z
      .string()
      .min(1)
      .optional()
      .describe(
        `setting to show or change: sign, agents.auto_sync, agents.sync_timeout, agents.reservations, ${TRIGGER_KEYS_HELP}`,
      ),
    value: z.string().optional().describe('new value (omit to show the setting; "" removes a trigger setting)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      settings: z.strictObject({
        mode: z.enum(['branch', 'inline']),
        ref: z.string().optional(),
        commit: z.enum(['auto', 'stage', 'off']).optional(),
        mount: z.string().optional(),
        sign: z.boolean(),
        signSince: z.string().nullable().optional(),
        triggers: triggerConfigShape().optional(),
        reservations: z.enum(['warn', 'refuse', 'off']).optional(),
        workspace: workspaceSettingsShape().optional(),
        agents: z.strictObject({ auto_sync: z.boolean().optional(), sync_timeout: z.string().optional() }).optional(),
      }),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const current: StoreSettings = readSettings(store.repo) ?? { mode: store.mode };
    const key = input.key;
    if (key !== undefined && !KEYS[key] && !AGENT_KEYS[key] && !isTriggerKey(key)) {
      throw new TackError(
        'invalid_input',
        `unknown setting "${key}"; expected sign, agents.auto_sync, agents.sync_timeout, agents.reservations or one of ${TRIGGER_KEYS_HELP}`,
        { key },
      );
    }
    // Secrets of webhooks are never shown back, not even with --json.
    const shown = (s: StoreSettings) => ({
      ...s,
      sign: s.sign === true,
      ...(s.triggers ? { triggers: maskTriggers(s.triggers) } : {}),
    });
    if (key && AGENT_KEYS[key] && input.value !== undefined) {
      const name = key.slice('agents.'.length);
      const next: StoreSettings = { ...current, agents: { ...current.agents, [name]: AGENT_KEYS[key](input.value) } };
      writeSettings(store.repo, next);
      return { settings: shown(next), message: `${key} = ${agentValue(next, key)}` };
    }
    if (!key || input.value === undefined) {
      const settings = shown(current);
      const value =
        key && AGENT_KEYS[key]
          ? agentValue(current, key)
          : key && isTriggerKey(key)
            ? triggerValue(current.triggers, key)
            : key
              ? String(settings[fieldOf(key)] ?? (key === 'agents.reservations' ? 'warn' : ''))
              : '';
      return { settings, message: key ? `${key} ${value}` : describe(current) };
    }
    if (isTriggerKey(key)) {
      const next: StoreSettings = { ...current, triggers: setTriggerKey(current.triggers, key, input.value) };
      writeSettings(store.repo, next);
      return {
        settings: shown(next),
        message: input.value ? `${key} = ${triggerValue(next.triggers, key)}` : `${key} removed`,
      };
    }
    const change = KEYS[key](input.value);
    const next: StoreSettings = { ...current, ...change };
    // Turning signing on marks where it began: `tack verify` requires signatures after it.
    if (change.sign === true && !current.sign) next.signSince = storeHead(store);
    if (change.sign === false) delete next.signSince;
    writeSettings(store.repo, next);
    return { settings: shown(next), message: `${key} = ${String(next[fieldOf(key)])}` };
  },
});

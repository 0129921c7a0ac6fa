import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { readSettings, storeHead, writeSettings, type StoreSettings } from '../store/store.js';
import { defineOp } from './op.js';

/** The settings `tack config` may change, with how to read a value from the command line. */
const KEYS: Record<string, (value: string) => Partial<StoreSettings>> = {
  sign: (v) => {
    if (!/^(true|false|on|off|yes|no)$/i.test(v)) throw new TackError('invalid_input', `sign: expected true or false, got "${v}"`, { key: 'sign', value: v });
    return { sign: /^(true|on|yes)$/i.test(v) };
  },
};

function describe(s: StoreSettings): string {
  const lines = [`mode    ${s.mode}`, `ref     ${s.ref ?? '(default)'}`, `commit  ${s.commit ?? 'auto'}`, `sign    ${s.sign === true}`];
  if (s.sign && s.signSince !== undefined) lines.push(`        (required for commits after ${s.signSince ? s.signSince.slice(0, 8) : 'the first'})`);
  return lines.join('\n');
}

/**
 * Tack's local settings of this clone (kept in .git/tack/store.json, never committed:
 * whether to sign is a choice of the person, not of the project).
 */
export default defineOp({
  name: 'config',
  summary: 'Show or change Tack\'s local settings of this clone (sign true|false: sign every Tack commit)',
  kind: 'write',
  cli: { args: ['key', 'value'] },
  input: z.object({
    key: z.enum(Object.keys(KEYS) as [string, ...string[]]).optional().describe('setting to show or change: sign'),
    value: z.string().min(1).optional().describe('new value (omit to show the setting)'),
  }),
  async run(ctx, input) {
    const store = ctx.store();
    const current: StoreSettings = readSettings(store.repo) ?? { mode: store.mode };
    if (!input.key || input.value === undefined) {
      const settings = { ...current, sign: current.sign === true };
      const message = input.key ? `${input.key} ${String(settings[input.key as keyof StoreSettings] ?? '')}` : describe(settings);
      return { settings, message };
    }
    const change = KEYS[input.key](input.value);
    const next: StoreSettings = { ...current, ...change };
    // Turning signing on marks where it began: `tack verify` requires signatures after it.
    if (change.sign === true && !current.sign) next.signSince = storeHead(store);
    if (change.sign === false) delete next.signSince;
    writeSettings(store.repo, next);
    return { settings: { ...next, sign: next.sign === true }, message: `${input.key} = ${String(next[input.key as keyof StoreSettings])}` };
  },
});

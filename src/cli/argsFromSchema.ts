import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { OpDef } from '../ops/op.js';
import { findOp } from '../ops/registry.js';
import { didYouMean } from '../model/suggest.js';
import { describeIssue } from '../ops/inputIssue.js';

/** What the CLI needs to know of one input key, read off its zod schema. */
export interface FieldInfo {
  key: string;
  flag: string;
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'array' | 'other';
  elementKind?: FieldInfo['kind'];
  optional: boolean;
  description: string;
  values?: string[];
}

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; entries?: Record<string, string> };

function defOf(t: z.ZodType): Def {
  return (t as unknown as { def: Def }).def;
}

function unwrap(t: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = t;
  let optional = false;
  while (['optional', 'default', 'nullable'].includes(defOf(inner).type)) {
    optional = true;
    inner = defOf(inner).innerType!;
  }
  return { inner, optional };
}

function kindOf(t: z.ZodType): FieldInfo['kind'] {
  const type = defOf(t).type;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'enum' || type === 'array') return type;
  return 'other';
}

export function describeInput(op: OpDef): FieldInfo[] {
  return Object.entries(op.input.shape as Record<string, z.ZodType>).map(([key, schema]) => {
    const { inner, optional } = unwrap(schema);
    const kind = kindOf(inner);
    const info: FieldInfo = {
      key,
      flag: key.replace(/_/g, '-'),
      kind,
      optional,
      description:
        (schema as { description?: string }).description ?? (inner as { description?: string }).description ?? '',
    };
    if (kind === 'array') info.elementKind = kindOf(unwrap(defOf(inner).element!).inner);
    if (kind === 'enum') info.values = Object.keys(defOf(inner).entries ?? {});
    return info;
  });
}

function usage(message: string, op: OpDef): TackError {
  const words = findOp(op.name)?.words[0].join(' ') ?? op.name;
  return new TackError('invalid_input', `${message} (see \`tack ${words} --help\`)`);
}

function toNumber(info: FieldInfo, raw: string, op: OpDef): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw usage(`--${info.flag} expects a number; received ${JSON.stringify(raw)}`, op);
  return n;
}

/** node's "Option '--x <value>' argument missing", said as what was expected and received. */
function missingValue(fields: FieldInfo[], message: string): string | null {
  const m = /^Option '(?:-\w, )?--([\w-]+) <value>' argument missing/.exec(message);
  const f = m ? fields.find((x) => x.flag === m[1]) : undefined;
  if (!f) return null;
  const expected = f.values?.length ? `one of: ${f.values.join(', ')}` : f.description || 'a value';
  return `--${f.flag} needs a value; expected ${expected}; received none`;
}

/** Flags every command takes (main.ts splits them off before the command sees argv). */
const GLOBAL_FLAGS = ['--json', '--help', '--branch', '--version', '--color', '--no-color'];

/** node's "Unknown option '--x'", with the closest flags, or how to pass a value starting with "-". */
function unknownOption(op: OpDef, options: NonNullable<ParseArgsConfig['options']>, message: string): string | null {
  const m = /^Unknown option '(-[^']*)'/.exec(message);
  if (!m) return null;
  const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
  const hint = didYouMean(m[1], [...flags, ...GLOBAL_FLAGS]);
  const words = findOp(op.name)?.words[0].join(' ') ?? op.name;
  return `unknown option ${m[1]}${hint || `; a value that starts with "-" goes after \`--\`, as in: tack ${words} -- ${JSON.stringify(m[1])}`}`;
}

/** Turn argv (after the command words) into the operation's input object. */
export function inputFromArgv(op: OpDef, argv: string[]): Record<string, unknown> {
  const fields = describeInput(op);
  const positional = op.cli?.args ?? [];
  const options: NonNullable<ParseArgsConfig['options']> = {};
  const shortOf = Object.fromEntries(Object.entries(op.cli?.short ?? {}).map(([s, k]) => [k, s]));
  for (const f of fields) {
    if (positional.includes(f.key) || positional.includes(`...${f.key}`)) continue;
    options[f.flag] = {
      type: f.kind === 'boolean' ? 'boolean' : 'string',
      multiple: f.kind === 'array',
      ...(shortOf[f.key] ? { short: shortOf[f.key] } : {}),
    };
    if (f.kind === 'boolean') options[`no-${f.flag}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message;
    throw usage(
      missingValue(fields, message) ??
        unknownOption(op, options, message) ??
        message.replace(/\. To specify a positional.*$/s, ''),
      op,
    );
  }
  const input: Record<string, unknown> = {};
  for (const f of fields) {
    const v = parsed.values[f.flag];
    if (f.kind === 'boolean' && parsed.values[`no-${f.flag}`]) input[f.key] = false;
    if (v === undefined) continue;
    if (f.kind === 'number') input[f.key] = toNumber(f, v as string, op);
    else if (f.kind === 'array' && f.elementKind === 'number')
      input[f.key] = (v as string[]).map((x) => toNumber(f, x, op));
    else input[f.key] = v;
  }
  fillPositionals(op, fields, positional, parsed.positionals, input);
  return input;
}

function fillPositionals(
  op: OpDef,
  fields: FieldInfo[],
  names: string[],
  values: string[],
  input: Record<string, unknown>,
): void {
  let i = 0;
  for (const name of names) {
    if (name.startsWith('...')) {
      const key = name.slice(3);
      const f = fields.find((x) => x.key === key)!;
      const rest = values.slice(i);
      i = values.length;
      if (f.kind === 'array') input[key] = rest;
      else if (rest.length) input[key] = rest.join(' ');
      continue;
    }
    if (i < values.length) {
      const f = fields.find((x) => x.key === name)!;
      input[name] = f.kind === 'number' ? toNumber(f, values[i], op) : values[i];
      i++;
    }
  }
  if (i < values.length) {
    throw usage(
      `unexpected argument ${JSON.stringify(values[i])}; expected ${names.length ? names.map((n) => `<${n.replace('...', '')}>`).join(' ') : 'no arguments'}`,
      op,
    );
  }
}

/** Zod's complaint, said the way this tool says things. */
export function validateInput(op: OpDef, input: Record<string, unknown>): unknown {
  const res = op.input.safeParse(input);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const key = issue.path.join('.');
  const positional = (op.cli?.args ?? []).map((a) => a.replace('...', ''));
  const where = positional.includes(String(issue.path[0])) ? `<${key}>` : `--${key.replace(/_/g, '-')}`;
  const received = input[String(issue.path[0])];
  const missing = received === undefined;
  throw usage(
    missing ? `missing ${where}` : `${where}: ${describeIssue(issue)}; received ${JSON.stringify(received)}`,
    op,
  );
}

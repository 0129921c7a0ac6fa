import { gitIdent } from '../model/gitIdent.js';
import { TackError } from '../model/errors.js';
import { readConfigFast } from './config.js';
import type { Repo } from './repo.js';

export interface Person {
  name: string;
  email: string;
}

/** A commit's author or committer line, as git stores it. */
export interface Signature extends Person {
  unix: number;
  offsetMinutes: number;
}

/** Env first (set, even to "", it is what git uses), then config; undefined: only git knows (includes). */
function pick(envValue: string | undefined, ...config: Array<string | null | undefined>): string | null | undefined {
  if (envValue !== undefined) return envValue;
  for (const c of config) {
    if (c === undefined) return undefined;
    if (c) return c;
  }
  return null;
}

function person(repo: Repo, role: 'author' | 'committer'): Person | null {
  const env =
    role === 'author'
      ? { n: process.env.GIT_AUTHOR_NAME, e: process.env.GIT_AUTHOR_EMAIL }
      : { n: process.env.GIT_COMMITTER_NAME, e: process.env.GIT_COMMITTER_EMAIL };
  const name = pick(env.n, readConfigFast(repo, role, 'name'), readConfigFast(repo, 'user', 'name'));
  const email = pick(
    env.e,
    readConfigFast(repo, role, 'email'),
    readConfigFast(repo, 'user', 'email'),
    process.env.EMAIL || null,
  );
  if (name == null || email == null) return null;
  return gitPerson(name, email, role);
}

/**
 * Who git would record as author and committer, when that can be known from the
 * environment and config files alone; null leaves it to git (and its error messages).
 */
export function resolveIdentity(repo: Repo): { author: Person; committer: Person } | null {
  const author = person(repo, 'author');
  const committer = person(repo, 'committer');
  return author && committer ? { author, committer } : null;
}

/**
 * A name and email as git records them: the rules of git's `fmt_ident` (crud trimmed,
 * `<`, `>` and newlines dropped), and git's refusal of an empty name. Every identity Tack
 * writes into an object header goes through here.
 */
export function gitPerson(name: string, email: string, role: 'author' | 'committer' = 'author'): Person {
  const clean = gitIdent(name);
  if (clean === '') {
    const why = name === '' ? 'is empty' : `consists only of characters git drops (${JSON.stringify(name)})`;
    throw new TackError(
      'git_identity_missing',
      `the ${role} name ${why}; nothing written: expected a name, e.g. git config user.name "Your Name" (or GIT_${role.toUpperCase()}_NAME)`,
      {
        field: `${role}.name`,
        received: name,
      },
    );
  }
  return { name: clean, email: gitIdent(email) };
}

/** `1763700000 +0100`: git's internal date format. */
export function gitDate(sig: Pick<Signature, 'unix' | 'offsetMinutes'>): string {
  const sign = sig.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(sig.offsetMinutes);
  return `${sig.unix} ${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** `2026-11-21T10:02:11+01:00`: what `git log --format=%aI` prints for the same date. */
export function isoDate(sig: Pick<Signature, 'unix' | 'offsetMinutes'>): string {
  const local = new Date((sig.unix + sig.offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const sign = sig.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(sig.offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A moment (ISO text or now) in the local time zone, as git would stamp it. */
export function stamp(iso?: string): Pick<Signature, 'unix' | 'offsetMinutes'> {
  const d = iso ? new Date(iso) : new Date();
  const offsetMinutes = iso && /Z$/.test(iso) ? 0 : -d.getTimezoneOffset();
  return { unix: Math.floor(d.getTime() / 1000), offsetMinutes };
}

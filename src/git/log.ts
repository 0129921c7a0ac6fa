import { NOT_ONE_LINE_ALL } from '../model/oneLine.js';
import { git } from './run.js';
import { parseRawDiff, type DiffEntry } from './treeListing.js';
import type { Repo } from './repo.js';

export interface LogCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorTime: string;
  committerName: string;
  committerTime: string;
  message: string;
  trailers: Record<string, string[]>;
  changes: DiffEntry[];
}

/** A commit as LogFile.parts reads it: one that changed many files comes in several, in order. */
export interface LogPart extends LogCommit {
  /** Its number within the commit (0: the first, which carries the commit's own rows). */
  part: number;
  /** More parts of this commit follow. */
  more: boolean;
  /**
   * Of a commit in several parts: the keys (LogFile.parts' `keyOf`) more than one of its
   * changes has, wherever they fall, so a caller can pair them across parts.
   */
  repeated?: ReadonlySet<string>;
}

/**
 * Each commit starts with NUL and RS. With -z the commit before ends with a NUL, so commits
 * are parted by NUL NUL RS, which nothing else in the output holds: git prints a message only
 * up to a NUL, and a file name is never empty (two NULs in a row). A separator in a message
 * or a file name (any other byte may be there) cannot start a forged commit.
 */
const FORMAT = '%x00%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%cI%x1f%B%x1f';
export const LOG_RECORD_SEPARATOR = '\0\0\x1e';
/** What the first commit of the output starts with. */
export const LOG_FIRST_RECORD = '\0\x1e';

/** `Key: value` lines of the message's last paragraph (git's trailer convention). */
export function parseTrailers(message: string): Record<string, string[]> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : '';
  const out: Record<string, string[]> = {};
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!m) continue;
    (out[m[1]] ??= []).push(m[2].trim());
  }
  return out;
}

/** The arguments of a `git log` listing commits with the files each changed under `prefix`. */
export function logArgs(range: string, prefix: string, reverse = false): string[] {
  const args = [
    'log',
    `--format=${FORMAT}`,
    '--raw',
    '--no-abbrev',
    '-z',
    '--no-renames',
    '--diff-merges=first-parent',
    ...(reverse ? ['--reverse'] : []),
    '--end-of-options',
    range,
  ];
  if (prefix) args.push('--', prefix);
  return args;
}

/** One commit of `git log` output (logArgs), without the separator before it. */
export function parseLogRecord(rec: string): LogCommit {
  // The format ends with US and a NUL, and a message never holds a NUL: the first NUL ends
  // the message, however many US it or a changed file's name holds.
  const nul = rec.indexOf('\0');
  const head = nul < 0 ? rec : rec.slice(0, nul);
  const [sha, parents, an, ae, at, cn, ct, ...msg] = head.slice(0, head.lastIndexOf('\x1f')).split('\x1f');
  const message = msg.join('\x1f');
  const tokens =
    nul < 0
      ? []
      : rec
          .slice(nul + 1)
          .split('\0')
          .filter((t) => t !== '' && t !== '\n');
  return {
    sha,
    parents: parents ? parents.split(' ') : [],
    authorName: an,
    authorEmail: ae,
    authorTime: at,
    committerName: cn,
    committerTime: ct,
    message,
    trailers: parseTrailers(message),
    changes: parseRawDiff(tokens).entries,
  };
}

/**
 * Commits reachable by `range` (e.g. "tack" or "old..new") with the files each changed
 * under `prefix`, newest first, all in memory: for a few commits. A long history is read
 * one commit at a time (LogFile).
 */
export function logWithChanges(repo: Repo, range: string, prefix = ''): LogCommit[] {
  const out = git(logArgs(range, prefix), { cwd: repo.workTree });
  if (!out.startsWith(LOG_FIRST_RECORD)) return [];
  return out.slice(LOG_FIRST_RECORD.length).split(LOG_RECORD_SEPARATOR).map(parseLogRecord);
}

/**
 * `git log ARGS` with the pretty-format `fields` of each commit, as rows of strings. Fields
 * and commits are parted by NUL, and git prints no field past a NUL: no subject, message or
 * name, whatever bytes it holds, can shift a field or start a forged commit.
 */
export function logFields(cwd: string, fields: readonly string[], args: readonly string[]): string[][] {
  const out = git(['log', '-z', `--format=${fields.join('%x00')}`, ...args], { cwd });
  const tokens = out.split('\0');
  const rows: string[][] = [];
  // Each commit is its fields, then the NUL that -z puts after it: a trailing empty token.
  for (let i = 0; i + fields.length < tokens.length; i += fields.length) rows.push(tokens.slice(i, i + fields.length));
  return rows;
}

/** Build a commit message: subject, optional body, then trailers. */
export function formatMessage(subject: string, trailers: Array<[string, string]>, body = ''): string {
  const parts = [subject.replace(/\n/g, ' ').trim()];
  if (body.trim()) parts.push(body.trim());
  // A value is one line whatever it holds: a line break or separator in it could start a forged trailer.
  if (trailers.length)
    parts.push(trailers.map(([k, v]) => `${k}: ${v.replace(NOT_ONE_LINE_ALL, ' ').trim()}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

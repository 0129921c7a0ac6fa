import { NOT_ONE_LINE_ALL } from '../model/oneLine.js';
import { git } from './run.js';
import { parseRawDiff, type DiffEntry } from './objects.js';
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

const FORMAT = '%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%cI%x1f%B%x1f';

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

/**
 * Commits reachable by `range` (e.g. "tack" or "old..new") with the files each changed
 * under `prefix`, newest first. Merges are diffed against their first parent.
 */
export function logWithChanges(repo: Repo, range: string, prefix = ''): LogCommit[] {
  const args = [
    'log',
    `--format=${FORMAT}`,
    '--raw',
    '--no-abbrev',
    '-z',
    '--no-renames',
    '--diff-merges=first-parent',
    '--end-of-options',
    range,
  ];
  if (prefix) args.push('--', prefix);
  const out = git(args, { cwd: repo.workTree });
  const commits: LogCommit[] = [];
  for (const rec of out.split('\x1e')) {
    if (!rec) continue;
    const lastSep = rec.lastIndexOf('\x1f');
    const [sha, parents, an, ae, at, cn, ct, ...msg] = rec.slice(0, lastSep).split('\x1f');
    const message = msg.join('\x1f');
    const tokens = rec
      .slice(lastSep + 1)
      .split('\0')
      .filter((t) => t !== '' && t !== '\n');
    commits.push({
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
    });
  }
  return commits;
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

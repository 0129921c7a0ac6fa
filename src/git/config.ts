import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { git } from './run.js';
import type { Repo } from './repo.js';

/** The config files git reads for a repository, lowest precedence first. */
function configFiles(repo: Repo): string[] {
  const files: string[] = [];
  if (!process.env.GIT_CONFIG_NOSYSTEM) files.push(process.env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig');
  if (process.env.GIT_CONFIG_GLOBAL !== undefined) files.push(process.env.GIT_CONFIG_GLOBAL);
  else {
    const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    files.push(join(xdg, 'git', 'config'), join(homedir(), '.gitconfig'));
  }
  files.push(join(repo.commonDir, 'config'), join(repo.gitDir, 'config.worktree'));
  return files;
}

/** "Merge.tack" → "merge.tack": the section name is case-insensitive, a subsection is not. */
function normalSection(section: string): string {
  const dot = section.indexOf('.');
  return dot < 0 ? section.toLowerCase() : section.slice(0, dot).toLowerCase() + section.slice(dot);
}

function unquote(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const n = raw[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else if ((c === '#' || c === ';') && !quoted) break;
    else out += c;
  }
  return out.trim();
}

/** Config files' lines as last read, with what identified that version of the file. */
const configCache = new Map<string, { version: string; lines: string[] }>();

/**
 * A config file's lines, or null when it is not there. One write asks for several keys
 * (the identity alone is six), so a file is read again only when it changed: git rewrites
 * config by renaming a new file over it (a new inode), an editor changes size or time.
 */
function configText(file: string): string[] | null {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) {
    configCache.delete(file);
    return null;
  }
  const version = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const have = configCache.get(file);
  if (have?.version === version) return have.lines;
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;
  }
  configCache.set(file, { version, lines });
  return lines;
}

/**
 * One `section.key` from git's config files, read without spawning git (the answer is
 * needed on hot paths such as `tack ready`). Returns undefined when the files use
 * includes or the environment injects config, where only git itself knows the answer.
 */
export function readConfigFast(repo: Repo, section: string, key: string): string | null | undefined {
  if (process.env.GIT_CONFIG_COUNT || process.env.GIT_CONFIG_PARAMETERS) return undefined;
  let value: string | null = null;
  for (const file of configFiles(repo)) {
    const text = file ? configText(file) : null;
    if (text === null) continue;
    let current = '';
    for (const line of text) {
      const t = line.trim();
      const sec = /^\[\s*([A-Za-z0-9.-]+)(\s+"[^"]*")?\s*\]/.exec(t);
      if (sec) {
        // `[merge "tack"]` is section "merge.tack" (the subsection keeps its case).
        current = sec[2] ? `${sec[1].toLowerCase()}.${sec[2].trim().slice(1, -1)}` : sec[1].toLowerCase();
        if (current === 'include' || current.startsWith('includeif')) return undefined;
        continue;
      }
      if (current !== normalSection(section)) continue;
      const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$/.exec(t);
      if (kv && kv[1].toLowerCase() === key.toLowerCase()) value = kv[2] === undefined ? 'true' : unquote(kv[2]);
    }
  }
  return value;
}

/** `git config section.key`, from the files when possible, else from git. */
export function readConfig(repo: Repo, section: string, key: string): string | null {
  const fast = readConfigFast(repo, section, key);
  if (fast !== undefined) return fast;
  const out = git(['config', `${section}.${key}`], { cwd: repo.workTree, okCodes: [1] }).trim();
  return out || null;
}

/**
 * Register a merge driver in the repository's own config unless one of that name is
 * configured at any scope (config is not cloned, so each clone needs it once). Returns
 * true when it wrote the config.
 */
export function registerMergeDriver(repo: Repo, name: string, description: string, command: string): boolean {
  if (readConfig(repo, `merge.${name}`, 'driver') !== null) return false;
  git(['config', '--local', `merge.${name}.name`, description], { cwd: repo.workTree });
  git(['config', '--local', `merge.${name}.driver`, command], { cwd: repo.workTree });
  return true;
}

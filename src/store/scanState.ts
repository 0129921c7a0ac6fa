import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from '../git/repo.js';
import { tackDir } from './store.js';

/** The branch tips the code-link scan has read, kept in .git/tack/code-links.json. */
export interface ScanState {
  tips: Record<string, string>;
}

function statePath(repo: Repo): string {
  return join(tackDir(repo), 'code-links.json');
}

export function readScanState(repo: Repo): ScanState {
  try {
    const s = JSON.parse(readFileSync(statePath(repo), 'utf8')) as ScanState;
    return s && typeof s.tips === 'object' ? s : { tips: {} };
  } catch {
    return { tips: {} };
  }
}

export function writeScanState(repo: Repo, state: ScanState): void {
  mkdirSync(tackDir(repo), { recursive: true });
  const tmp = `${statePath(repo)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, statePath(repo));
}

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TACK_BIN, tack, tempStore, testEnv, trackCleanups } from './helpers.js';

/* Human output on a real terminal (`script` gives the command a pty): fitted to its width, paged when long. */

const track = trackCleanups();

function store(n: number): string {
  const s = tempStore();
  track(s.cleanup);
  for (let i = 0; i < n; i++)
    tack(
      s.dir,
      'create',
      `A rather long title for ticket number ${i} that will not fit`,
      '-l',
      'frontend',
      '-a',
      'someone',
    );
  return s.dir;
}

/** Run tack on a pty of `cols` × `rows`; what the terminal showed, escapes removed. */
function onTerminal(dir: string, args: string, cols: number, rows: number, env: Record<string, string> = {}) {
  const cmd = `stty cols ${cols} rows ${rows}; ${process.execPath} ${TACK_BIN} ${args}`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: testEnv(env), encoding: 'utf8' });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escapes are what is stripped
  const shown = r.stdout.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');
  return { status: r.status, lines: shown.split('\n').filter((l) => l.trim()) };
}

describe('on a terminal', () => {
  it('shows a first build of the index as one line redrawn, cleared before the answer; not with --json, nor once built', () => {
    const dir = store(3);
    const raw = (args: string) => {
      rmSync(join(dir, '.git', 'tack'), { recursive: true, force: true });
      const cmd = `${process.execPath} ${TACK_BIN} ${args}`;
      return spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: testEnv(), encoding: 'utf8' }).stdout;
    };
    const shown = raw('list --no-pager');
    const cleared = shown.lastIndexOf('\r\x1b[2K');
    expect(shown).toMatch(/\r\x1b\[2Kindexing (history|tickets) \d+\/\d+ \(\d+%\)/);
    // Nothing of the progress on a line of its own: it ends cleared, and the answer follows.
    expect(shown.slice(0, cleared)).not.toMatch(/\(\d+%\)\r?\n/);
    expect(shown.slice(cleared + 5)).toMatch(/^\S*tk-/);
    expect(raw('list --json')).not.toContain('indexing');
    const again = spawnSync('script', ['-qec', `${process.execPath} ${TACK_BIN} list --no-pager`, '/dev/null'], {
      cwd: dir,
      env: testEnv(),
      encoding: 'utf8',
    }).stdout;
    expect(again).not.toContain('indexing');
  });

  it('cuts list lines to the width, never wraps; --wide and a pipe keep them whole', () => {
    const dir = store(3);
    const narrow = onTerminal(dir, 'list --no-pager', 60, 100);
    expect(narrow.status).toBe(0);
    const rows = narrow.lines.filter((l) => l.startsWith('tk-'));
    expect(rows).toHaveLength(3);
    for (const l of rows) {
      expect([...l].length).toBeLessThanOrEqual(60);
      expect(l).toContain('…');
    }
    const wide = onTerminal(dir, 'list --no-pager --wide', 60, 100).lines.filter((l) => l.startsWith('tk-'));
    expect(wide[0]).toMatch(/that will not fit #frontend @someone$/);
    expect(tack(dir, 'list')).toMatch(/that will not fit #frontend @someone/);
  });

  it('pages output longer than the window through TACK_PAGER; --no-pager and short output do not', () => {
    const dir = store(8);
    const paged = join(dir, 'paged.txt');
    const pager = join(dir, 'pager.sh');
    writeFileSync(pager, `#!/bin/sh\ncat > "${paged}"\necho PAGED\n`, { mode: 0o755 });
    const long = onTerminal(dir, 'list', 200, 5, { TACK_PAGER: pager });
    expect(long.lines).toEqual(['PAGED']);
    expect(
      readFileSync(paged, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('tk-')),
    ).toHaveLength(8);

    const off = onTerminal(dir, 'list --no-pager', 200, 5, { TACK_PAGER: pager });
    expect(off.lines.filter((l) => l.startsWith('tk-'))).toHaveLength(8);
    const short = onTerminal(dir, 'list --limit 2', 200, 40, { TACK_PAGER: pager });
    expect(short.lines.filter((l) => l.startsWith('tk-'))).toHaveLength(2);
    // A pager that cannot start: the output still arrives.
    const missing = onTerminal(dir, 'list', 200, 5, { TACK_PAGER: '/nonexistent/pager' });
    expect(missing.lines.filter((l) => l.startsWith('tk-'))).toHaveLength(8);
  });
});

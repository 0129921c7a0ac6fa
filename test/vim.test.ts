import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TACK_BIN, tack, tackJson, tempStore, testEnv, trackCleanups } from './helpers.js';

const cleanup = trackCleanups();
const PLUGIN = resolve(__dirname, '..', 'editors', 'vim');
const hasVim = spawnSync('vim', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasVim) console.warn('test/vim.test.ts skipped: no `vim` on PATH (apt-get install vim-nox to run it)');

/** Run a Vim script headless (`vim -Es`) in `cwd` with the plugin loaded; returns what it wrote to `out`. */
function runVim(cwd: string, file: string, body: string, reloadMs = 0): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'tack-vim-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'out.json');
  const script = join(dir, 'test.vim');
  writeFileSync(
    script,
    [
      'set nocompatible',
      `let &runtimepath = '${PLUGIN},' . &runtimepath`,
      `let g:tack_cmd = '${process.execPath} ${TACK_BIN}'`,
      `let g:tack_reload_ms = ${reloadMs}`,
      'runtime plugin/tack.vim',
      `edit ${file}`,
      body,
      `call writefile([json_encode(g:result)], '${out}')`,
      'qa!',
    ].join('\n'),
  );
  const r = spawnSync('vim', ['-N', '-u', 'NONE', '-i', 'NONE', '-Es', '-S', script], {
    cwd,
    env: testEnv(),
    encoding: 'utf8',
    timeout: 20_000,
  });
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    throw new Error(`vim wrote nothing (exit ${r.status}): ${r.stdout} ${r.stderr}`);
  }
  return JSON.parse(text);
}

describe.skipIf(!hasVim)('the Vim plugin (editors/vim)', () => {
  it('completes +links and #tags from tack and opens the ticket under the cursor with gf', () => {
    const repo = tempStore({ prefix: 'tack-vim-' });
    cleanup(repo.cleanup);
    const a = tackJson(repo.dir, 'create', 'Parser drops comments', '-d', 'See #regression and #parser.');
    const b = tackJson(repo.dir, 'create', 'Lexer work', '-d', `Blocked on +${a.short_id}`);
    const mount = tackJson(repo.dir, 'mount').mount as string;
    const fileB = join(mount, 'tickets', `${b.id}.md`);

    const done = runVim(
      repo.dir,
      fileB,
      [
        "call setline(1, 'see +pars ')",
        'call cursor(1, 10)',
        'let s:start = tack#complete(1, "")',
        "let s:links = tack#complete(0, '+pars')",
        "call setline(1, 'tags #reg ')",
        'call cursor(1, 10)',
        'let s:tagstart = tack#complete(1, "")',
        "let s:tags = tack#complete(0, '#reg')",
        "let s:wiki = tack#complete(0, '[[')",
        'let g:result = {"start": s:start, "links": s:links, "tagstart": s:tagstart, "tags": s:tags, "wiki": map(copy(s:wiki), "v:val.word")}',
      ].join('\n'),
    ) as any;
    expect(done.start).toBe(4);
    expect(done.links).toEqual([{ word: `+${a.short_id}`, menu: 'Parser drops comments', info: 'todo' }]);
    expect(done.tagstart).toBe(5);
    expect(done.tags).toEqual([{ word: '#regression' }]);
    expect(done.wiki.sort()).toEqual([`[[${a.short_id}]]`, `[[${b.short_id}]]`].sort());

    const opened = runVim(
      repo.dir,
      fileB,
      ["call search('+tk-')", 'normal gf', "let g:result = expand('%:p')"].join('\n'),
    );
    expect(opened).toBe(join(mount, 'tickets', `${a.id}.md`));
    // A short prefix through [[...]] and the command resolve the same way.
    const viaWiki = runVim(
      repo.dir,
      fileB,
      [
        'set hidden', // the buffer is modified below; gf leaves it as Vim's own gf would
        `call setline(1, 'x [[${a.id.slice(0, 6)}]] y')`,
        'call cursor(1, 5)',
        'normal gf',
        "let g:result = expand('%:p')",
      ].join('\n'),
    );
    expect(viaWiki).toBe(join(mount, 'tickets', `${a.id}.md`));

    // A file Tack rewrote under the editor is reloaded by the plugin's timer.
    const reloaded = runVim(
      repo.dir,
      fileB,
      [
        `call system(g:tack_cmd . ' update ${b.id} --title "Renamed by the CLI"')`,
        'sleep 500m',
        "let g:result = getline(1, '$')",
      ].join('\n'),
      100,
    ) as string[];
    expect(reloaded).toContain('title: Renamed by the CLI');
    tack(repo.dir, 'unmount', '--force');
  });
});

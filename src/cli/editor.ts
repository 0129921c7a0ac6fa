import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTackError, TackError } from '../model/errors.js';
import type { OpContext } from '../ops/op.js';
import { tackDir } from '../store/store.js';
import { err, stderrIsTTY, stdinIsTTY } from './output.js';

/** Errors a person can fix in the editor: worth offering to re-open it. */
const FIXABLE = new Set(['parse_error', 'invalid_ticket', 'invalid_schema', 'invalid_input', 'cycle']);

export function editorCommand(): string {
  return process.env.VISUAL || process.env.EDITOR || 'vi';
}

/** Run the editor on `file` through the shell, as git does, so "code --wait" works. */
export function openEditor(file: string): void {
  const editor = editorCommand();
  const res =
    process.platform === 'win32'
      ? spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true })
      : spawnSync('sh', ['-c', `${editor} "$1"`, editor, file], { stdio: 'inherit' });
  if (res.error)
    throw new TackError(
      'editor_failed',
      `could not start the editor "${editor}": ${res.error.message}; set $VISUAL or $EDITOR`,
    );
  if (res.status !== 0) {
    throw new TackError(
      'editor_failed',
      `the editor "${editor}" exited with ${res.signal ?? `status ${res.status}`}; nothing was written`,
      { editor, status: res.status },
    );
  }
}

function interactive(): boolean {
  return stdinIsTTY() && stderrIsTTY();
}

/** Ask on the terminal; Enter means yes. */
function confirm(question: string): boolean {
  err(question);
  const buf = Buffer.alloc(1);
  let answer = '';
  for (;;) {
    let n = 0;
    try {
      n = readSync(0, buf, 0, 1, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      break;
    }
    if (n === 0 || buf[0] === 10) break;
    answer += String.fromCharCode(buf[0]);
  }
  return !/^\s*n/i.test(answer);
}

/** Where the text of a failed edit is kept: the repository's own Tack directory. */
export function keptEditsDir(ctx: OpContext): string {
  return join(tackDir(ctx.store().repo), 'edits');
}

/**
 * Keep the text of a failed edit where the person can find it again: one file per name in
 * `keepDir` (the latest failure wins), so failed edits never pile up temp directories.
 */
function keep(e: unknown, edited: string, name: string, keepDir: string): unknown {
  if (!isTackError(e)) return e;
  mkdirSync(keepDir, { recursive: true });
  const file = join(keepDir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, edited);
  renameSync(tmp, file);
  return new TackError(e.code, `${e.message}\n(your edited text is kept in ${file})`, { ...e.details, kept: file });
}

/**
 * Open `text` in the user's editor as a temp file named `name`, then hand the result to
 * `submit` (which validates and commits). A fixable error on a terminal offers to re-open
 * the editor on the edited text; otherwise the error stands, the text is kept in `keepDir`
 * and the temp directory goes either way.
 */
export async function editInEditor<T>(
  name: string,
  text: string,
  keepDir: string,
  submit: (edited: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tack-edit-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, text);
    for (;;) {
      openEditor(file);
      const edited = readFileSync(file, 'utf8');
      try {
        return await submit(edited);
      } catch (e) {
        if (!isTackError(e) || !FIXABLE.has(e.code) || !interactive()) throw keep(e, edited, name, keepDir);
        err(`tack: ${e.message}\n`);
        if (!confirm('Re-open the editor to fix it? [Y/n] ')) throw keep(e, edited, name, keepDir);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

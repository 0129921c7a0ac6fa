import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { sleepSync } from '../model/sleep.js';

/**
 * Output straight to the file descriptors: creating process.stdout costs a few
 * milliseconds of every command, and a CLI writes each answer once, whole.
 */
export function write(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the reader went away (`tack list | head`)
      if (code !== 'EAGAIN') throw e;
      sleepSync(2); // a full pipe: let it drain
    }
  }
}

export const out = (text: string): void => write(1, text);
export const err = (text: string): void => write(2, text);
export const stdoutIsTTY = (): boolean => isTerminal(1);
export const stderrIsTTY = (): boolean => isTerminal(2);

/**
 * isatty without loading node:tty (which loads net and stream, a few ms of every command)
 * when the answer is plain: a pipe, a file or a socket is never a terminal, nor is a memory
 * device (Linux major 1: /dev/null, where agents and scripts send output). Anything else
 * asks tty.isatty.
 */
export function isTerminal(fd: number): boolean {
  let st: ReturnType<typeof fstatSync>;
  try {
    st = fstatSync(fd);
  } catch {
    return false; // closed: not a terminal
  }
  if (!st.isCharacterDevice()) return false;
  if (process.platform === 'linux' && Math.floor(st.rdev / 256) % 4096 === 1) return false;
  return isatty(fd);
}

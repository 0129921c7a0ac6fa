import { writeSync } from 'node:fs';
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
export const stdoutIsTTY = (): boolean => isatty(1);
export const stderrIsTTY = (): boolean => isatty(2);

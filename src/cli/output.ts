import { fstatSync, readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { sleepSync } from '../model/sleep.js';

/**
 * A command's standard streams when it runs inside another program (the test suite runs
 * commands in-process): what it writes, and what it reads from stdin. Never a terminal.
 */
export interface CliIo {
  write(fd: 1 | 2, text: string): void;
  stdin: string;
}

let io: CliIo | null = null;

/** Run the following commands on `next` instead of this process's descriptors (null: back to them). */
export function setCliIo(next: CliIo | null): void {
  io = next;
}

/**
 * Output straight to the file descriptors: creating process.stdout costs a few
 * milliseconds of every command, and a CLI writes each answer once, whole.
 */
export function write(fd: 1 | 2, text: string): void {
  if (io) {
    io.write(fd, text);
    return;
  }
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
/** All of stdin (fd 0), as text. */
export const readStdin = (): string => (io ? io.stdin : readFileSync(0, 'utf8'));
export const stdinIsTTY = (): boolean => !io && Boolean(process.stdin.isTTY);
export const stdoutIsTTY = (): boolean => isTerminal(1);
export const stderrIsTTY = (): boolean => isTerminal(2);

/**
 * isatty without loading node:tty (which loads net and stream, a few ms of every command)
 * when the answer is plain: a pipe, a file or a socket is never a terminal, nor is a memory
 * device (Linux major 1: /dev/null, where agents and scripts send output). Anything else
 * asks tty.isatty.
 */
export function isTerminal(fd: number): boolean {
  if (io) return false;
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

import { spawnSync } from 'node:child_process';
import { out, stdoutIsTTY } from './output.js';

/*
 * The terminal as git and gh use it: human output fits the window (`--wide` turns that
 * off), and a long answer goes through a pager (`TACK_PAGER`, else `PAGER`, else `less`;
 * `--no-pager`, a pipe or `--json` turn it off).
 */

let wide = false;
let pager = true;

export function setTerminalOptions(o: { wide: boolean; pager: boolean }): void {
  wide = o.wide;
  pager = o.pager;
}

/** Columns human output may use; 0: no limit (`--wide`, or not a terminal). */
export function outputWidth(): number {
  if (wide || !stdoutIsTTY()) return 0;
  return process.stdout.columns || Number(process.env.COLUMNS) || 80;
}

/** Cut `text` to `max` characters, marking the cut with an ellipsis (nothing left: ''). */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return max === 1 ? '…' : `${text.slice(0, max - 1)}…`;
}

function pagerCommand(): string | null {
  const cmd = process.env.TACK_PAGER ?? process.env.PAGER ?? 'less';
  return cmd.trim() === '' || cmd.trim() === 'cat' ? null : cmd;
}

/**
 * Print human output: through the pager when it is longer than the window, as git does
 * (`less -FRX` unless LESS says otherwise); straight out when the pager cannot start.
 */
export function printHuman(text: string): void {
  const cmd = pager && stdoutIsTTY() ? pagerCommand() : null;
  const rows = cmd ? process.stdout.rows || 24 : 0;
  if (!cmd || text.split('\n').length <= rows - 1) {
    out(text);
    return;
  }
  // The user's own setting, run by the shell as git runs core.pager.
  const r = spawnSync('/bin/sh', ['-c', cmd], {
    input: text,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, LESS: process.env.LESS ?? 'FRX', LV: process.env.LV ?? '-c' },
  });
  if (r.error || r.status === 127) out(text);
}

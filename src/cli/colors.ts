import { TackError } from '../model/errors.js';
import { stdoutIsTTY } from './output.js';

/**
 * Whether the human output is coloured: on a terminal, unless `NO_COLOR` is set (any value
 * but empty); `FORCE_COLOR` turns it on through a pipe too, or off with `0`/`false`. As in
 * Node itself, `FORCE_COLOR` wins over `NO_COLOR`.
 */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env, tty: boolean = stdoutIsTTY()): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return tty;
}

// Asked on first use: a command that paints nothing (`--version`, `--json`) never loads node:tty.
let useColor: boolean | undefined;

/**
 * `--color WHEN` on the command line: always, never, or auto (the environment decides);
 * undefined (no flag) decides on first use.
 */
export function setColorMode(when: string | undefined): void {
  if (when === undefined) useColor = undefined;
  else if (when === 'always') useColor = true;
  else if (when === 'never') useColor = false;
  else if (when === 'auto') useColor = colorEnabled();
  else throw new TackError('invalid_input', `--color expects always, never or auto; received ${JSON.stringify(when)}`);
}

export const coloured = (): boolean => (useColor ??= colorEnabled());
const paint = (code: string) => (s: string) => (coloured() ? `\x1b[${code}m${s}\x1b[0m` : s);
export const dim = paint('2');
export const bold = paint('1');
export const red = paint('31');
export const yellow = paint('33');
export const green = paint('32');
export const cyan = paint('36');

/** A state's colour by its category: started yellow, completed green, canceled dim. */
export function categoryColor(category: string | null, s: string): string {
  if (category === 'started') return yellow(s);
  if (category === 'completed') return green(s);
  if (category === 'canceled') return dim(s);
  return s;
}

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { TackError } from './errors.js';

/**
 * `parseArgs` for the commands that take their own flags (serve, watch, import, connect…):
 * a parse failure becomes an `invalid_input` error that names the command's help, and the
 * flags keep their precise types.
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(
  config: T,
  cmd: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new TackError('invalid_input', `${(e as Error).message} (see \`tack ${cmd} --help\`)`);
  }
}

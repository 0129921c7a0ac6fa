import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';

/**
 * The path of a bundled child entry (`queryProcess.cjs`, `opProcess.cjs`): next to this bundle
 * in dist/, or dist/ of the package when run from source (tests). Here, in the lowest layer
 * that forks one (the SQL child), so the server's children find theirs the same way.
 */
export function bundledChild(file: string): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, file), join(here, '..', '..', 'dist', file)];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new TackError(
      'internal',
      `dist/${file} is missing (looked in ${candidates.join(', ')}); run \`npm run build\``,
    );
  return found;
}

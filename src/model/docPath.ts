import { TackError } from './errors.js';
import { assertGitPath } from './gitPath.js';

/**
 * A doc's path inside the store: always `docs/…/name.md`. Input may omit the `docs/`
 * prefix (`specs/parser.md`), but can never leave the folder: `..`, absolute paths and
 * backslashes are refused, so a doc write cannot touch tickets/ or schema.yaml.
 */
export function normaliseDocPath(input: string): string {
  const raw = input.trim();
  const bad = (why: string): never => {
    throw new TackError(
      'invalid_input',
      `doc path ${JSON.stringify(input)} ${why}; expected a relative path like docs/specs/parser.md`,
      {
        field: 'path',
        received: input,
      },
    );
  };
  if (!raw) bad('is empty');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) bad('is absolute');
  if (raw.includes('\\')) bad('contains a backslash');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) bad('contains a control character');
  const parts = raw.replace(/^(\.\/)+/, '').split('/');
  if (parts.some((p) => p === '..')) bad('contains ".."');
  if (parts.some((p) => p === '' || p === '.')) bad('has an empty or "." segment');
  if (parts[0] !== 'docs') parts.unshift('docs');
  if (parts.length < 2) bad('names the docs folder, not a file');
  const path = parts.join('/');
  if (!path.endsWith('.md') || path.endsWith('/.md')) bad('does not end in .md');
  assertGitPath(path);
  return path;
}

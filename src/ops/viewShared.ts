import { z } from 'zod';
import { TackError } from '../model/errors.js';

/** Saved views live in the store as `views/<name>.yaml`: versioned and shared like tickets. */
export const VIEWS_DIR = 'views/';

export const viewName = z.string().min(1).describe('view name (letters, digits, - and _)');

export function viewPath(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new TackError(
      'invalid_input',
      `view name ${JSON.stringify(name)} is not allowed; expected letters, digits, "-" and "_" (at most 64, starting with a letter or digit)`,
      { field: 'name', received: name },
    );
  }
  return `${VIEWS_DIR}${name}.yaml`;
}

export const nameOfViewPath = (path: string): string => path.slice(VIEWS_DIR.length).replace(/\.yaml$/, '');

/** The filters a view keeps (the list filters of the web UI and `tack list`), as name=value. */
export const viewFilters = z
  .array(z.string())
  .describe('filter as name=value (repeatable), e.g. status=todo, label=ui, text=parser');

export function parseViewFilters(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const m = /^([a-z][a-z_]*)=(.*)$/s.exec(item);
    if (!m)
      throw new TackError(
        'invalid_input',
        `filter ${JSON.stringify(item)} is not name=value; expected e.g. status=todo`,
        { field: 'filter', received: item },
      );
    out[m[1]] = m[2];
  }
  return out;
}

import { isTackError } from '../model/errors.js';
import { DEFAULT_SCHEMA_YAML, type Schema } from '../model/schema.js';
import { parseSchemaText } from '../store/storeReader.js';

export interface SchemaProblem {
  line: number;
  message: string;
}

/**
 * Parse a store's schema text; when it is broken (a collaborator's push of a hostile or
 * invalid file), fall back to the last good schema so one file never takes down every
 * command: the failure becomes a problem of schema.yaml, like a broken ticket's.
 */
export function schemaOrLastGood(
  text: string,
  path: string,
  lastGood: string | null,
): { schema: Schema; problem: SchemaProblem | null } {
  try {
    return { schema: parseSchemaText(text, path), problem: null };
  } catch (e) {
    const d = (isTackError(e) ? (e.details ?? {}) : {}) as { line?: number; problem?: string };
    const reason = d.problem ?? String((e as Error)?.message ?? e).split('\n')[0];
    const schema = lastGood ? (JSON.parse(lastGood) as Schema) : parseSchemaText(DEFAULT_SCHEMA_YAML, path);
    return {
      schema,
      problem: { line: d.line ?? 1, message: `${reason} (the last good schema is in use until it is fixed)` },
    };
  }
}

import { TackError } from './errors.js';

/** schema.yaml as parsed YAML, before any of it is checked. */
export type RawSchema = Record<string, unknown>;

/** Every schema.yaml error: one code, the file named, what was wrong and what was expected. */
export function schemaFail(message: string, details?: Record<string, unknown>): never {
  throw new TackError('invalid_schema', `schema.yaml: ${message}`, details);
}

/**
 * Typed errors with a stable `code`. Every surface (CLI exit code, HTTP status, MCP error)
 * translates them once; messages say what was wrong, what was expected, what was received.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_command',
  'not_found',
  'ambiguous_id',
  'already_exists',
  'not_a_repo',
  'no_commits',
  'no_store',
  'store_exists',
  'detached_head',
  'invalid_schema',
  'invalid_ticket',
  'parse_error',
  'cycle',
  'conflict',
  'git_failed',
  'git_identity_missing',
  'read_only',
  'sql_error',
  'editor_failed',
  'check_failed',
  'gate_refused',
  'forbidden',
  'reserved',
  'timeout',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class TackError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'TackError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** Duck-typed so errors survive crossing module copies (bundles, workers). */
export function isTackError(e: unknown): e is TackError {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as { name?: unknown }).name === 'TackError'
  );
}

/** `unknown status "nonsense"; expected one of: todo, done` */
export function unknownValue(what: string, received: unknown, expected: readonly string[]): TackError {
  return new TackError(
    'invalid_input',
    `unknown ${what} ${JSON.stringify(received)}; expected one of: ${expected.join(', ')}`,
    { field: what, received, expected: [...expected] },
  );
}

import { isTackError, type TackError, type ErrorCode } from '../model/errors.js';

/**
 * The one place Tack's error codes become HTTP statuses. ambiguous_id is 409: the
 * request was well-formed, but the id prefix matches several tickets right now.
 */
const STATUS: Partial<Record<ErrorCode | string, number>> = {
  invalid_input: 400,
  unknown_command: 404,
  parse_error: 400,
  invalid_schema: 400,
  invalid_ticket: 400,
  sql_error: 400,
  not_found: 404,
  no_store: 503,
  not_a_repo: 503,
  no_commits: 503,
  ambiguous_id: 409,
  already_exists: 409,
  store_exists: 409,
  cycle: 409,
  conflict: 409,
  reserved: 409,
  read_only: 403,
  detached_head: 409,
  git_identity_missing: 500,
  git_failed: 500,
  editor_failed: 400,
  check_failed: 422,
  gate_refused: 403,
  timeout: 504,
  unavailable: 503,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  internal: 500,
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 500;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A client sees the code, the message and details of a TackError; anything else is "internal", without a stack. */
export function errorBody(e: unknown): { status: number; body: ErrorBody } {
  if (isTackError(e)) return { status: statusOf(e.code), body: { error: (e as TackError).toJSON() } };
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; see the server log' } } };
}

/** An HTTP-level refusal (auth, origin, size) in the same shape as operation errors. */
export function httpError(code: string, message: string): { status: number; body: ErrorBody } {
  return { status: statusOf(code), body: { error: { code, message } } };
}

import { ConnectorError, RateLimited, retryAfterMs, Transient, UnknownUser } from '../connector.js';

export interface OctokitFailure {
  status?: number;
  message?: string;
  response?: {
    headers?: Record<string, string | undefined>;
    data?: { errors?: Array<{ field?: string; value?: unknown } | null> };
  };
}

/** 429 and 403-with-exhausted-quota → RateLimited; 5xx and network errors → Transient. */
export function translateError(e: unknown): Error {
  if (e instanceof ConnectorError) return e;
  const f = (e ?? {}) as OctokitFailure;
  const h = f.response?.headers ?? {};
  const status = f.status;
  if (
    status === 429 ||
    (status === 403 && (h['x-ratelimit-remaining'] === '0' || h['retry-after'] || /rate limit/i.test(f.message ?? '')))
  ) {
    const reset = h['x-ratelimit-reset'] ? Number(h['x-ratelimit-reset']) * 1000 - Date.now() : undefined;
    return new RateLimited(
      h['retry-after'] ? retryAfterMs(h['retry-after']) : Math.max(1000, reset ?? 60_000),
      `GitHub rate limit (HTTP ${status})`,
    );
  }
  // GitHub refuses the whole write when an assignee cannot be assigned (422 "Validation
  // Failed", the login in `errors[].value`): typed, so the engine writes it unassigned.
  const invalid = status === 422 ? f.response?.data?.errors?.find((x) => x?.field === 'assignees') : undefined;
  if (invalid) return new UnknownUser(String(invalid.value ?? ''), `GitHub cannot assign "${invalid.value}" (422)`);
  if (status === undefined || status >= 500)
    return new Transient(`GitHub request failed: ${f.message ?? String(e)}`, status);
  return new ConnectorError(`http_${status}`, `GitHub answered ${status}: ${f.message ?? ''}`, { status });
}

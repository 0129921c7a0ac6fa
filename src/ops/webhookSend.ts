import { monotonicMs } from '../model/monotonic.js';
import { backoffDelay, retryable } from '../model/triggers.js';
import { tackSignatureHeaders } from '../model/webhookSignature.js';
import type { DeliveryAttempt } from '../store/deliveryLog.js';
import type { OpEffects } from './effects.js';

export interface WebhookRequest {
  url: string;
  body: string;
  event: string;
  delivery: string;
  secret?: string;
  attempts: number;
  timeoutMs: number;
  backoffMs: number;
}

export interface WebhookResult {
  ok: boolean;
  status: number | null;
  attempts: DeliveryAttempt[];
  duration_ms: number;
  error?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retry-After in seconds (the HTTP-date form is rare for webhooks and ignored), capped at a minute. */
function retryAfterMs(v: string | null): number {
  const s = v ? Number(v) : NaN;
  return Number.isFinite(s) && s >= 0 ? Math.min(60_000, s * 1000) : 0;
}

async function attemptOnce(
  request: OpEffects['fetch'],
  r: WebhookRequest,
  headers: Record<string, string>,
  n: number,
): Promise<{ a: DeliveryAttempt; retryAfter: number }> {
  const started = monotonicMs();
  try {
    const res = await request(r.url, {
      method: 'POST',
      body: r.body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(r.timeoutMs),
    });
    // Read the answer so the connection is released; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return {
      a: {
        attempt: n,
        status: res.status,
        duration_ms: Math.round(monotonicMs() - started),
        ...(ok ? {} : { error: `HTTP ${res.status}` }),
      },
      retryAfter: retryAfterMs(res.headers.get('retry-after')),
    };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${r.timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return {
      a: { attempt: n, status: null, duration_ms: Math.round(monotonicMs() - started), error: why },
      retryAfter: 0,
    };
  }
}

/**
 * POST the event JSON: headers X-Tack-Event, X-Tack-Delivery (the same on every attempt,
 * so a receiver can de-duplicate) and, when a secret is set, X-Tack-Timestamp and
 * X-Tack-Signature-256 over `<timestamp>.<delivery>.<body>` (model/webhookSignature.ts). Network
 * errors, 5xx and 429 are retried after 1, 2, 4 ... × the backoff; other answers are final.
 */
export async function sendWebhook(request: OpEffects['fetch'], r: WebhookRequest): Promise<WebhookResult> {
  const started = monotonicMs();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'tack-webhook',
    'x-tack-event': r.event,
    'x-tack-delivery': r.delivery,
  };
  const attempts: DeliveryAttempt[] = [];
  for (let n = 1; n <= r.attempts; n++) {
    // Signed afresh on each attempt: the timestamp is in the signature and must be recent.
    if (r.secret) Object.assign(headers, tackSignatureHeaders(r.secret, r.delivery, r.body, Date.now()));
    const { a, retryAfter } = await attemptOnce(request, r, headers, n);
    attempts.push(a);
    if (a.status !== null && a.status >= 200 && a.status < 300)
      return { ok: true, status: a.status, attempts, duration_ms: Math.round(monotonicMs() - started) };
    if (!retryable(a.status) || n === r.attempts) break;
    await sleep(Math.max(backoffDelay(n, r.backoffMs), retryAfter));
  }
  const last = attempts[attempts.length - 1];
  const gaveUp = retryable(last.status) && attempts.length > 1 ? ` (gave up after ${attempts.length} attempts)` : '';
  return {
    ok: false,
    status: last.status,
    attempts,
    duration_ms: Math.round(monotonicMs() - started),
    error: `${last.error ?? 'failed'}${gaveUp}`,
  };
}

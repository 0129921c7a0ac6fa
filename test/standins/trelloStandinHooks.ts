import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** One webhook delivery as Trello sends it. */
export interface TrelloDelivery {
  callbackURL: string;
  body: string;
  signature: string;
  /** The receiver's answer (0: unreachable), once sent. */
  status?: number;
}

export interface TrelloWebhook {
  id: string;
  idModel: string;
  callbackURL: string;
  active: boolean;
  description: string;
}

/** `X-Trello-Webhook`: base64 HMAC-SHA1 of the body followed by the callback URL. */
export function signTrello(body: string, callbackURL: string, secret: string): string {
  return createHmac('sha1', secret).update(body + callbackURL).digest('base64');
}

/**
 * The Trello stand-in's webhooks: the registered callbacks, and the signed deliveries sent
 * to them (at once, or held for a test to release in another order).
 */
export class TrelloHooks {
  readonly webhooks: TrelloWebhook[] = [];
  readonly deliveries: TrelloDelivery[] = [];
  private held: TrelloDelivery[] = [];
  private inflight = new Set<Promise<unknown>>();

  constructor(
    public secret: string,
    private readonly hold = false,
  ) {}

  /** Send `payloadFor(hook)` to every active webhook. */
  emit(payloadFor: (hook: TrelloWebhook) => unknown): void {
    for (const hook of this.webhooks.filter((w) => w.active)) {
      const body = JSON.stringify(payloadFor(hook));
      const d: TrelloDelivery = { callbackURL: hook.callbackURL, body, signature: signTrello(body, hook.callbackURL, this.secret) };
      this.deliveries.push(d);
      if (this.hold) this.held.push(d);
      else void this.send(d);
    }
  }

  async flush(order: 'sent' | 'reversed' = 'sent'): Promise<TrelloDelivery[]> {
    const batch = order === 'reversed' ? this.held.reverse() : this.held;
    this.held = [];
    for (const d of batch) await this.send(d);
    return batch;
  }

  send(d: TrelloDelivery): Promise<number> {
    const p = fetch(d.callbackURL, { method: 'POST', headers: { 'content-type': 'application/json', 'x-trello-webhook': d.signature }, body: d.body })
      .then(async (r) => {
        await r.arrayBuffer();
        return (d.status = r.status);
      })
      .catch(() => (d.status = 0));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }
}

/** An answer Trello gives instead of the resource (400, 404...), as plain text. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Trello takes parameters as a JSON or form body too; values are compared as text. */
export function parseBody(raw: string, type: string | undefined): Record<string, string> {
  if (type?.includes('application/json')) {
    const obj = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v === null ? 'null' : String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export function json(res: ServerResponse, status: number, payload: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(payload));
}

export function text(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(body);
}

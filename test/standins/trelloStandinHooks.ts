import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DeliveryQueue } from './deliveryQueue.js';

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

/**
 * `X-Trello-Webhook`: base64 HMAC-SHA1 of the body followed by the callback URL, hashed as
 * Trello's Node signer turns the string into bytes: "binary" (latin-1: each UTF-16 unit's
 * low 8 bits, as Trello documented until 2016) by default, or UTF-8.
 */
export type TrelloSigningEncoding = 'latin1' | 'utf8';
export function signTrello(
  body: string,
  callbackURL: string,
  secret: string,
  encoding: TrelloSigningEncoding = 'latin1',
): string {
  return createHmac('sha1', secret)
    .update(Buffer.from(body + callbackURL, encoding))
    .digest('base64');
}

/**
 * The Trello stand-in's webhooks: the registered callbacks, and the signed deliveries sent
 * to them (at once, or held for a test to release in another order).
 */
export class TrelloHooks extends DeliveryQueue<TrelloDelivery> {
  readonly webhooks: TrelloWebhook[] = [];

  /** How deliveries are signed (see signTrello). */
  encoding: TrelloSigningEncoding = 'latin1';

  constructor(
    public secret: string,
    hold = false,
  ) {
    super(hold, (d) => ({
      url: d.callbackURL,
      headers: { 'content-type': 'application/json', 'x-trello-webhook': d.signature },
    }));
  }

  /** Send `payloadFor(hook)` to every active webhook. */
  emit(payloadFor: (hook: TrelloWebhook) => unknown): void {
    for (const hook of this.webhooks.filter((w) => w.active)) {
      const body = JSON.stringify(payloadFor(hook));
      const d: TrelloDelivery = {
        callbackURL: hook.callbackURL,
        body,
        signature: signTrello(body, hook.callbackURL, this.secret, this.encoding),
      };
      this.enqueue(d);
    }
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
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v === null ? 'null' : String(v)]),
    );
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

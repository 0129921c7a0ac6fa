import { createHmac, randomUUID } from 'node:crypto';
import { DeliveryQueue } from './deliveryQueue.js';

/** One webhook delivery as GitHub sends it: the URL, headers and exact body bytes. */
export interface Delivery {
  id: string;
  event: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The receiver's answer (0: unreachable), once sent. */
  status?: number;
}

export function signGithub(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The GitHub stand-in's webhook sender: signs each payload (`X-Hub-Signature-256`), names
 * it (`X-GitHub-Event`, `X-GitHub-Delivery`), records it, and sends it at once or holds it
 * for a test to release in another order.
 */
export class GithubHooks extends DeliveryQueue<Delivery> {
  target?: { url: string; secret: string };

  constructor(hold = false) {
    super(hold, (d) => ({ url: d.url, headers: d.headers }));
  }

  emit(event: string, payload: unknown): void {
    if (!this.target) return;
    const body = JSON.stringify(payload);
    const id = randomUUID();
    const d: Delivery = {
      id,
      event,
      url: this.target.url,
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-hub-signature-256': signGithub(body, this.target.secret),
        'user-agent': 'GitHub-Hookshot/standin',
      },
    };
    this.enqueue(d);
  }
}

import { createHmac, randomUUID } from 'node:crypto';

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
export class GithubHooks {
  readonly deliveries: Delivery[] = [];
  target?: { url: string; secret: string };
  private held: Delivery[] = [];
  private inflight = new Set<Promise<unknown>>();

  constructor(private readonly hold = false) {}

  emit(event: string, payload: unknown): void {
    if (!this.target) return;
    const body = JSON.stringify(payload);
    const id = randomUUID();
    const d: Delivery = {
      id, event, url: this.target.url, body,
      headers: {
        'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id,
        'x-hub-signature-256': signGithub(body, this.target.secret), 'user-agent': 'GitHub-Hookshot/standin',
      },
    };
    this.deliveries.push(d);
    if (this.hold) this.held.push(d);
    else void this.send(d);
  }

  /** Send held deliveries (optionally newest first), waiting for each answer. */
  async flush(order: 'sent' | 'reversed' = 'sent'): Promise<Delivery[]> {
    const batch = order === 'reversed' ? this.held.reverse() : this.held;
    this.held = [];
    for (const d of batch) await this.send(d);
    return batch;
  }

  send(d: Delivery): Promise<number> {
    const p = fetch(d.url, { method: 'POST', headers: d.headers, body: d.body })
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

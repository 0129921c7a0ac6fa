/** What a stand-in's webhook delivery needs to be sent, and where its answer is kept. */
export interface Sendable {
  body: string;
  /** The receiver's answer (0: unreachable), once sent. */
  status?: number;
}

/**
 * The sending half every stand-in's webhooks share: record each delivery, send it at once
 * or hold it for a test to release in another order, and let a test wait until every
 * request has been answered.
 */
export class DeliveryQueue<D extends Sendable> {
  readonly deliveries: D[] = [];
  private held: D[] = [];
  private inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly hold: boolean,
    private readonly requestOf: (d: D) => { url: string; headers: Record<string, string> },
  ) {}

  protected enqueue(d: D): void {
    this.deliveries.push(d);
    if (this.hold) this.held.push(d);
    else void this.send(d);
  }

  /** Send held deliveries (optionally newest first), waiting for each answer. */
  async flush(order: 'sent' | 'reversed' = 'sent'): Promise<D[]> {
    const batch = order === 'reversed' ? this.held.reverse() : this.held;
    this.held = [];
    for (const d of batch) await this.send(d);
    return batch;
  }

  send(d: D): Promise<number> {
    const { url, headers } = this.requestOf(d);
    const p = fetch(url, { method: 'POST', headers, body: d.body })
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

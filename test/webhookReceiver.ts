import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether X-Tack-Signature-256 is the HMAC of timestamp, delivery id and body with the receiver's secret, and fresh. */
  signed: boolean;
  json: any;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1 that checks signatures as a webhook consumer would:
 * `statuses` are the answers to the requests in turn (the last one repeats).
 */
export async function startReceiver(secret: string | null, statuses: number[] = [200]): Promise<Receiver> {
  const requests: Received[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      // As a consumer following docs/triggers.md would: HMAC over "<timestamp>.<delivery>.<body>".
      const given = Buffer.from(String(req.headers['x-tack-signature-256'] ?? ''));
      const signedText = Buffer.concat([
        Buffer.from(`${req.headers['x-tack-timestamp']}.${req.headers['x-tack-delivery']}.`),
        raw,
      ]);
      const fresh = Math.abs(Date.now() / 1000 - Number(req.headers['x-tack-timestamp'])) <= 300;
      const want = Buffer.from(
        secret && fresh ? `sha256=${createHmac('sha256', secret).update(signedText).digest('hex')}` : '',
      );
      const signed = secret !== null && given.length === want.length && timingSafeEqual(given, want);
      let json: unknown = null;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = null;
      }
      requests.push({ headers: req.headers, body: raw.toString('utf8'), signed, json });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)];
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'thanks' : 'not now');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    async waitFor(n, ms = 15_000) {
      const end = Date.now() + ms;
      while (requests.length < n) {
        if (Date.now() > end) throw new Error(`receiver got ${requests.length} request(s), expected ${n}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

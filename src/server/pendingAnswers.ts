import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Counts the requests that may write (any method but GET and HEAD) whose answer is not yet
 * sent, so that a stopping server sends the answers of the writes it finished before it
 * closes their connections. Returns a promise that settles once none is left.
 */
export function pendingAnswers(server: Pick<Server, 'on'>): () => Promise<void> {
  let open = 0;
  let waiting: Array<() => void> = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' || req.method === 'HEAD') return;
    open++;
    // 'close' comes once the answer is sent, or the connection is gone without it.
    res.once('close', () => {
      if (--open > 0) return;
      const woken = waiting;
      waiting = [];
      for (const wake of woken) wake();
    });
  });
  return () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)));
}

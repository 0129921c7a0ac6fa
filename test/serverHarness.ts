import { spawn, type ChildProcess } from 'node:child_process';
import { TACK_BIN, testEnv } from './helpers.js';

export interface ServerProc {
  url: string;
  token: string | null;
  proc: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * A first read of a new server, before a test measures anything: on a loaded machine that
 * read alone can take seconds. Throws unless it answers 200.
 */
export async function firstRead(s: ServerProc): Promise<void> {
  const res = await fetch(`${s.url}/api/tickets`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`the first read of the server answered ${res.status}: ${s.stderr()}`);
}

/** `tack serve --port 0 ...` as a child process, as a user runs it; resolves once it prints its address. */
export function startServe(cwd: string, args: string[] = [], env: Record<string, string> = {}): Promise<ServerProc> {
  const proc = spawn(process.execPath, [TACK_BIN, 'serve', '--port', '0', ...args], { cwd, env: testEnv(env) });
  let out = '';
  let err = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    // A hang guard, not a promise about start-up time: on a loaded machine with three test
    // files at once, starting a server took longer than 10 s.
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`tack serve did not start: ${out} ${err}`));
    }, 30_000);
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      if (url && out.endsWith('\n')) {
        clearTimeout(timer);
        resolve({ url, token: /bearer token: (\S+)/.exec(out)?.[1] ?? null, proc, stderr: () => err, stop });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tack serve exited ${code}: ${err}`));
    });
  });
}

export interface SseEvent {
  event: string;
  id: string | null;
  data: any;
}

export interface SseClient {
  events: SseEvent[];
  /** The first event (from `from` on) that satisfies `pred`; fails after `ms`. */
  waitFor(pred: (e: SseEvent) => boolean, ms?: number, from?: number): Promise<SseEvent>;
  close(): void;
}

/** A Server-Sent Events client on fetch: what a browser's EventSource does, observable. */
export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/events`, { headers, signal: ac.signal });
  if (res.status !== 200) throw new Error(`GET /api/events: ${res.status} ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  void (async () => {
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const e: SseEvent = { event: 'message', id: null, data: null };
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data && e.event === 'message') continue; // a keep-alive comment
          e.data = data ? JSON.parse(data) : null;
          events.push(e);
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  const client: SseClient = {
    events,
    waitFor(pred, ms = 5000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.slice(from).find(pred);
          if (hit) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(hit);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${ms} ms; got: ${JSON.stringify(events)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => ac.abort(),
  };
  await client.waitFor((e) => e.event === 'ready');
  return client;
}

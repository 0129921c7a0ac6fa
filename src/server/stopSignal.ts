import { TackError } from '../model/errors.js';

/** How long a stopping `serve`/`watch` waits for its clean-up before returning anyway. */
export const STOP_GRACE_MS = 1500;
/** Of that, how long a stopping server lets the writes it has begun finish and be answered. */
export const WRITE_GRACE_MS = 1000;

/** The answer to a request the stopping server did not run: nothing of it was written. */
export function notRunWhileStopping(name: string): TackError {
  return new TackError('unavailable', `the server is stopping; ${name} was not run (nothing was written): try again`);
}

/** Resolves on the first SIGINT or SIGTERM. */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * Clean-up, bounded: a stop is promised within 2 s whatever is in flight. What is not
 * finished by then is abandoned (writes are single ref updates: none is half made).
 */
export async function closeWithin(closing: Promise<void>, ms: number): Promise<void> {
  closing.catch((e: unknown) => process.stderr.write(`tack: while stopping: ${(e as Error).message}\n`));
  await settledWithin(
    closing.catch(() => {}),
    ms,
  );
}

/** Resolves when `p` settles or `ms` have passed, whichever is first (`p` must not reject). */
export async function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Sleeping, the two ways Tack needs it. Synchronous waits are for short-lived CLI writers
 * that hold no event loop worth keeping (lock retries, a full pipe); everything inside a
 * server or a connector pass sleeps asynchronously.
 */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

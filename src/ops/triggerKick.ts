import { readSettings } from '../store/store.js';
import { pendingDelivery, takeSpooled } from '../store/triggerSpool.js';
import type { OpContext } from './op.js';
import { drainSpool } from './triggerDeliver.js';

/**
 * After a CLI write that spooled commits for triggers (`takeSpooled()`): start their delivery in a
 * detached `tack hooks run` (OpEffects.startTack), so the command does not wait for slow
 * receivers; with `"wait": true` in the settings, deliver before returning.
 */
export async function startCliDelivery(ctx: OpContext): Promise<void> {
  const store = ctx.store();
  if (readSettings(store.repo)?.triggers?.wait) {
    await drainSpool(ctx);
    return;
  }
  await ctx.effects.startTack(['hooks', 'run', '--json'], store.repo.workTree);
}

/**
 * For long-running surfaces (`tack serve`, `tack watch`, MCP): deliver in this process,
 * in the background, after writes that spooled commits. Calls while a delivery runs
 * make it run once more.
 */
export function inProcessDeliverer(ctx: OpContext, onError: (e: unknown) => void = () => {}): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        await drainSpool(ctx);
      } while (again);
    } catch (e) {
      onError(e);
    } finally {
      running = false;
    }
  };
  return () => {
    // Spooled here, or by the server's write worker (another process): either way, ours to deliver.
    if (!takeSpooled() && !pendingDelivery(ctx.store())) return;
    if (running) again = true;
    else void run();
  };
}

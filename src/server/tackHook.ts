import { TackError } from '../model/errors.js';
import { resolveSecret } from '../model/triggers.js';
import type { OpContext } from '../ops/op.js';
import { runOp } from '../ops/runOp.js';
import { readSettings, type Store } from '../store/store.js';
import { checkTackSignature, TACK_DELIVERY_HEADER } from '../model/webhookSignature.js';
import { firstDelivery } from '../store/seenDeliveries.js';
import type { HookHandler } from './hooks.js';

/** What a signed request may do: the ticket writes a remote system needs, nothing administrative. */
export const INBOUND_OPS = ['create', 'update', 'comment', 'close', 'reopen'] as const;

interface InboundBody {
  op: string;
  input: Record<string, unknown>;
}

function parseBody(raw: Buffer): InboundBody {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new TackError(
      'invalid_input',
      `the webhook body is not JSON: ${(e as Error).message}; expected {"op": "create", "input": {...}}`,
    );
  }
  const o = v as Partial<InboundBody> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o))
    throw new TackError('invalid_input', 'the webhook body must be a JSON object {"op": ..., "input": {...}}');
  if (typeof o.op !== 'string' || !(INBOUND_OPS as readonly string[]).includes(o.op)) {
    throw new TackError(
      'invalid_input',
      `"op" must be one of ${INBOUND_OPS.join(', ')}; received ${JSON.stringify(o.op ?? null)}`,
      { op: o.op ?? null },
    );
  }
  if (o.input !== undefined && (typeof o.input !== 'object' || o.input === null || Array.isArray(o.input))) {
    throw new TackError('invalid_input', '"input" must be a JSON object of the operation\'s input', { op: o.op });
  }
  return { op: o.op, input: o.input ?? {} };
}

/**
 * `POST /hooks/tack`: another system (or another Tack) creates, updates, comments on,
 * closes or reopens tickets with a request signed like Tack's own outbound webhooks
 * (X-Tack-Timestamp, X-Tack-Delivery, and X-Tack-Signature-256 over
 * `<timestamp>.<delivery>.<body>`). The body is `{"op": "create", "input": {...}}`, the
 * input exactly as the REST API takes it; the answer is `{"op", "result"}`. A delivery
 * outside the 5-minute window is refused (401); one whose id was seen is a replay (409).
 */
export function tackInboundHook(
  secret: string,
  now: () => number = Date.now,
  /** How a write runs: in the server, its write worker (never on the event loop). */
  run: (ctx: OpContext, op: string, input: unknown) => Promise<unknown> = runOp,
): HookHandler {
  return {
    verify(raw, headers) {
      const check = checkTackSignature(secret, headers, raw, now());
      return check.ok ? true : `webhook refused: ${check.reason}`;
    },
    async handle(ctx, raw, headers) {
      const delivery = headers[TACK_DELIVERY_HEADER];
      const body = parseBody(raw);
      if (!firstDelivery(ctx.store().repo, 'tack', delivery, now())) {
        throw new TackError(
          'conflict',
          `delivery ${JSON.stringify(delivery)} was received already; a replay is refused (a new request needs a new X-Tack-Delivery)`,
          { delivery },
        );
      }
      const result = await run(ctx, body.op, body.input);
      return { op: body.op, result };
    },
  };
}

/** The inbound secret: TACK_INBOUND_SECRET, else `inbound.secret` of the local settings (which may say `env:NAME`). */
export function inboundSecret(store: Store): string | undefined {
  return (
    process.env.TACK_INBOUND_SECRET || resolveSecret(readSettings(store.repo)?.triggers?.inbound?.secret, process.env)
  );
}

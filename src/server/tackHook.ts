import { TackError } from '../model/errors.js';
import { resolveSecret } from '../model/triggers.js';
import { runOp } from '../ops/runOp.js';
import { readSettings, type Store } from '../store/store.js';
import { hmacVerifier, type HookHandler } from './hooks.js';

/** What a signed request may do: the ticket writes a remote system needs, nothing administrative. */
export const INBOUND_OPS = ['create', 'update', 'comment', 'close', 'reopen'] as const;

/** How many delivery ids are remembered to refuse a replay of the same request. */
const SEEN_LIMIT = 1000;

interface InboundBody {
  op: string;
  input: Record<string, unknown>;
}

function parseBody(raw: Buffer): InboundBody {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new TackError('invalid_input', `the webhook body is not JSON: ${(e as Error).message}; expected {"op": "create", "input": {...}}`);
  }
  const o = v as Partial<InboundBody> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new TackError('invalid_input', 'the webhook body must be a JSON object {"op": ..., "input": {...}}');
  if (typeof o.op !== 'string' || !(INBOUND_OPS as readonly string[]).includes(o.op)) {
    throw new TackError('invalid_input', `"op" must be one of ${INBOUND_OPS.join(', ')}; received ${JSON.stringify(o.op ?? null)}`, { op: o.op ?? null });
  }
  if (o.input !== undefined && (typeof o.input !== 'object' || o.input === null || Array.isArray(o.input))) {
    throw new TackError('invalid_input', '"input" must be a JSON object of the operation\'s input', { op: o.op });
  }
  return { op: o.op, input: o.input ?? {} };
}

/**
 * `POST /hooks/tack`: another system (or another Tack) creates, updates, comments on,
 * closes or reopens tickets with a request signed like Tack's own outbound webhooks
 * (`X-Tack-Signature-256: sha256=<hex HMAC-SHA256 of the body>`). The body is
 * `{"op": "create", "input": {...}}`, the input exactly as the REST API takes it; the
 * answer is `{"op", "result"}`. A repeated `X-Tack-Delivery` is answered without running again.
 */
export function tackInboundHook(secret: string): HookHandler {
  const verify = hmacVerifier({ secret, header: 'x-tack-signature-256', prefix: 'sha256=' });
  const seen = new Map<string, unknown>();
  return {
    verify,
    async handle(ctx, raw, headers) {
      const delivery = headers['x-tack-delivery'];
      if (delivery && seen.has(delivery)) return { op: null, duplicate: true, result: seen.get(delivery) };
      const body = parseBody(raw);
      const result = await runOp(ctx, body.op, body.input);
      const answer = { op: body.op, result };
      if (delivery) {
        seen.set(delivery, result);
        if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value!);
      }
      return answer;
    },
  };
}

/** The inbound secret: TACK_INBOUND_SECRET, else `inbound.secret` of the local settings (which may say `env:NAME`). */
export function inboundSecret(store: Store): string | undefined {
  return process.env.TACK_INBOUND_SECRET || resolveSecret(readSettings(store.repo)?.triggers?.inbound?.secret, process.env);
}

import { hmacMatches } from '../model/webhookSignature.js';
import type { OpContext } from '../ops/op.js';

export type Headers = Record<string, string>;

/**
 * An inbound webhook (/hooks/<name>). `verify` sees the raw body exactly as sent, before
 * any parsing, because signatures are computed over the bytes; only a verified request
 * reaches `handle`, which usually runs operations through the registry.
 */
export interface HookHandler {
  /** true, or false / why not (a string, shown to the sender) when the request is refused. */
  verify(rawBody: Buffer, headers: Headers): boolean | string | Promise<boolean | string>;
  handle(ctx: OpContext, rawBody: Buffer, headers: Headers): Promise<unknown>;
}

/** Hook handlers by name; connectors register theirs when the server starts. */
export class HookRegistry {
  private handlers = new Map<string, HookHandler>();
  register(name: string, handler: HookHandler): void {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
      throw new Error(`hook name "${name}" must be lowercase letters, digits and dashes`);
    this.handlers.set(name, handler);
  }
  get(name: string): HookHandler | undefined {
    return this.handlers.get(name);
  }
  names(): string[] {
    return [...this.handlers.keys()];
  }
}

export interface HmacOptions {
  secret: string;
  /** Header carrying the signature (lowercase). */
  header: string;
  algorithm?: 'sha256' | 'sha1' | 'sha512';
  encoding?: 'hex' | 'base64';
  /** Text before the signature in the header, e.g. "sha256=" (GitHub). */
  prefix?: string;
  /** Bytes appended to the body before signing, e.g. the callback URL (Trello). */
  suffix?: string;
}

/**
 * The generic HMAC check: GitHub (X-Hub-Signature-256, "sha256=" + hex), Linear
 * (Linear-Signature, hex SHA-256) and Trello (X-Trello-Webhook, base64 SHA-1 over body +
 * callback URL) are all configurations of it. Compared in constant time.
 */
export function hmacVerifier(o: HmacOptions): (rawBody: Buffer, headers: Headers) => boolean {
  return (rawBody, headers) => {
    const given = headers[o.header.toLowerCase()];
    if (!given?.startsWith(o.prefix ?? '')) return false;
    return hmacMatches(
      given.slice((o.prefix ?? '').length),
      o.secret,
      o.suffix ? [rawBody, o.suffix] : [rawBody],
      o.algorithm,
      o.encoding,
    );
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one place webhook signatures are made and checked: Tack's own (outbound and
 * inbound), and the services' formats (GitHub, Linear, Trello), which are configurations
 * of hmacMatches. Comparisons are constant-time.
 */

export type HmacAlgorithm = 'sha256' | 'sha1' | 'sha512';

export function hmacDigest(
  secret: string,
  parts: Array<string | Buffer>,
  algorithm: HmacAlgorithm = 'sha256',
  encoding: 'hex' | 'base64' = 'hex',
): string {
  const mac = createHmac(algorithm, secret);
  for (const p of parts) mac.update(p);
  return mac.digest(encoding);
}

/** `given` (without its prefix, e.g. "sha256=") against the HMAC of `parts`, in constant time. */
export function hmacMatches(
  given: string | undefined,
  secret: string,
  parts: Array<string | Buffer>,
  algorithm: HmacAlgorithm = 'sha256',
  encoding: 'hex' | 'base64' = 'hex',
): boolean {
  if (!given || !secret) return false;
  const want = Buffer.from(hmacDigest(secret, parts, algorithm, encoding));
  const got = Buffer.from(given.trim());
  return got.length === want.length && timingSafeEqual(got, want);
}

/** How far a signed timestamp may be from now, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

export const TACK_SIGNATURE_HEADER = 'x-tack-signature-256';
export const TACK_TIMESTAMP_HEADER = 'x-tack-timestamp';
export const TACK_DELIVERY_HEADER = 'x-tack-delivery';

/**
 * Tack's signature: "sha256=" + hex HMAC-SHA256 of `<timestamp>.<delivery>.<body>`
 * (timestamp in Unix seconds), so a captured request cannot be sent again later (the time
 * is signed) nor again now (the delivery id is signed and remembered by the receiver).
 */
export function tackSignature(secret: string, timestamp: string, delivery: string, body: string | Buffer): string {
  return `sha256=${hmacDigest(secret, [`${timestamp}.${delivery}.`, body])}`;
}

/** The signing headers of one delivery (the delivery id is the same on every retry). */
export function tackSignatureHeaders(
  secret: string,
  delivery: string,
  body: string | Buffer,
  nowMs: number,
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [TACK_TIMESTAMP_HEADER]: timestamp,
    [TACK_DELIVERY_HEADER]: delivery,
    [TACK_SIGNATURE_HEADER]: tackSignature(secret, timestamp, delivery, body),
  };
}

export type TackSignatureCheck = { ok: true; delivery: string; timestamp: number } | { ok: false; reason: string };

/** Check a delivery signed by tackSignature: signature, then the time window. */
export function checkTackSignature(
  secret: string,
  headers: Record<string, string | undefined>,
  body: Buffer,
  nowMs: number,
): TackSignatureCheck {
  const given = headers[TACK_SIGNATURE_HEADER];
  const timestamp = headers[TACK_TIMESTAMP_HEADER];
  const delivery = headers[TACK_DELIVERY_HEADER];
  if (!given || !timestamp || !delivery) {
    return {
      ok: false,
      reason: `missing ${[!given && 'X-Tack-Signature-256', !timestamp && 'X-Tack-Timestamp', !delivery && 'X-Tack-Delivery'].filter(Boolean).join(', ')}; expected all three (docs/triggers.md)`,
    };
  }
  if (!/^\d{1,12}$/.test(timestamp))
    return {
      ok: false,
      reason: `X-Tack-Timestamp must be Unix seconds; received ${JSON.stringify(timestamp.slice(0, 40))}`,
    };
  if (!given.startsWith('sha256=') || !hmacMatches(given.slice(7), secret, [`${timestamp}.${delivery}.`, body])) {
    return {
      ok: false,
      reason: 'signature wrong; expected sha256=<hex HMAC-SHA256 of "<timestamp>.<delivery>.<body>">',
    };
  }
  const ts = Number(timestamp) * 1000;
  if (Math.abs(nowMs - ts) > SIGNATURE_WINDOW_MS) {
    return {
      ok: false,
      reason: `timestamp ${timestamp} is more than ${SIGNATURE_WINDOW_MS / 60000} minutes from the server's clock; a delivery is accepted only while fresh`,
    };
  }
  return { ok: true, delivery, timestamp: ts };
}

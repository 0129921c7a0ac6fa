import { createHmac } from 'node:crypto';

/** `X-Tack-Signature-256`: "sha256=" + hex HMAC-SHA256 of the raw body. */
export function signatureHeader(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

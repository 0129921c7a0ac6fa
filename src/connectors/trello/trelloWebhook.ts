import { hmacMatches } from '../../model/webhookSignature.js';
import type { Headers, WebhookEvent } from '../connector.js';

/**
 * Trello signs each delivery with `X-Trello-Webhook`: base64 HMAC-SHA1 of the body followed
 * by the callback URL exactly as registered, keyed by the app secret. Trello computes it in
 * Node over a JS string, and which bytes that string became has changed: Trello's docs
 * said until 2016 that the text was hashed as a "binary" string (each UTF-16 unit cut to
 * its low 8 bits: an en dash U+2013 hashes as 0x13) and then that this was "accidentally
 * fixed" (UTF-8, Node's default since v6). Both are accepted: each still needs the secret,
 * and ASCII-only bodies give the same bytes either way, so only non-ASCII text differs.
 */
export function verifyTrelloSignature(
  rawBody: Buffer,
  headers: Headers,
  secret: string | undefined,
  callbackUrl: string | undefined,
): boolean {
  const given = headers['x-trello-webhook'];
  if (!secret || !callbackUrl || !given) return false;
  const utf8 = [rawBody, Buffer.from(callbackUrl, 'utf8')];
  if (hmacMatches(given, secret, utf8, 'sha1', 'base64')) return true;
  const binary = Buffer.from(rawBody.toString('utf8') + callbackUrl, 'latin1');
  return hmacMatches(given, secret, [binary], 'sha1', 'base64');
}

/**
 * The URLs Trello may have signed when the connection does not name its callback URL:
 * Tack's hook route on the host the request came to, over https or http. The secret
 * still has to match, so this widens nothing an attacker could use.
 */
export function callbackCandidates(headers: Headers, path = '/hooks/trello'): string[] {
  const host = headers['x-forwarded-host'] ?? headers.host;
  if (!host) return [];
  const protos = headers['x-forwarded-proto'] ? [headers['x-forwarded-proto']] : ['https', 'http'];
  return protos.map((p) => `${p}://${host}${path}`);
}

/**
 * The card an action is about. Trello sends no delivery id, but every action has a unique
 * id and a redelivery repeats it, so the action id deduplicates.
 */
export function parseTrelloWebhook(rawBody: Buffer): WebhookEvent | null {
  let p: { action?: { id?: string; date?: string; data?: { card?: { id?: string } } } };
  try {
    p = JSON.parse(rawBody.toString('utf8')) as typeof p;
  } catch {
    return null;
  }
  const cardId = p.action?.data?.card?.id;
  if (!cardId || !p.action?.id) return null;
  return { issueIds: [cardId], deliveryId: p.action.id, ...(p.action.date ? { at: p.action.date } : {}) };
}

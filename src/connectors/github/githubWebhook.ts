import { createHash } from 'node:crypto';
import { hmacMatches } from '../../model/webhookSignature.js';
import type { Headers, WebhookEvent } from '../connector.js';

/**
 * GitHub signs each delivery with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
 * body>` keyed by the webhook secret. Checked over the exact bytes, in constant time.
 */
export function verifyGithubSignature(rawBody: Buffer, headers: Headers, secret: string | undefined): boolean {
  const given = headers['x-hub-signature-256'];
  if (!secret || !given?.startsWith('sha256=')) return false;
  return hmacMatches(given.slice('sha256='.length), secret, [rawBody]);
}

interface Payload {
  issue?: { number?: number; updated_at?: string; pull_request?: unknown };
  comment?: { updated_at?: string };
  repository?: { full_name?: string };
}

/**
 * Which issue an `issues` or `issue_comment` delivery is about. Other events (ping,
 * push...), other repositories and pull-request comments are ignored (null).
 */
export function parseGithubWebhook(rawBody: Buffer, headers: Headers, scope: string): WebhookEvent | null {
  const event = headers['x-github-event'];
  if (event !== 'issues' && event !== 'issue_comment') return null;
  let p: Payload;
  try {
    p = JSON.parse(rawBody.toString('utf8')) as Payload;
  } catch {
    return null;
  }
  if (p.repository?.full_name && p.repository.full_name.toLowerCase() !== scope.toLowerCase()) return null;
  if (typeof p.issue?.number !== 'number') return null;
  // A comment on a pull request arrives as `issue_comment` too: a pull request is no ticket.
  if (p.issue.pull_request) return null;
  const at = p.comment?.updated_at ?? p.issue.updated_at;
  return {
    issueIds: [String(p.issue.number)],
    deliveryId: headers['x-github-delivery'] || createHash('sha256').update(rawBody).digest('hex'),
    ...(at ? { at } : {}),
  };
}

import { ticketVersions } from '../index/eventQueries.js';
import type { DB } from '../index/indexDb.js';
import { pageInfo, type PageInfo } from '../ops/page.js';

/**
 * An answer made ready to send where it was computed (the read lane's child): its JSON text,
 * its page and its version. Sent whole as an object, 100,000 tickets had the server parse
 * ~150 MB of objects back and print them again (366 MiB peak, a 0.4 s stall of its loop);
 * as text, the server passes it on.
 */
export interface PreparedAnswer {
  prepared: true;
  json: string;
  page: PageInfo | null;
  /** A ticket-shaped answer's own version (its ETag). */
  version: string | null;
}

export function prepareAnswer(db: DB, result: unknown): PreparedAnswer {
  withVersions(db, result);
  const version =
    result && typeof result === 'object' && !Array.isArray(result) ? (result as { version?: string }).version : null;
  return {
    prepared: true,
    json: JSON.stringify(result ?? null),
    page: pageInfo(result) ?? null,
    version: version ?? null,
  };
}

export function isPrepared(v: unknown): v is PreparedAnswer {
  return !!v && typeof v === 'object' && (v as { prepared?: unknown }).prepared === true && 'json' in v;
}

/** Ticket-shaped results (an object with an id, arrays of them, `{tickets: [...]}`) get their `version`. */
export function withVersions(db: DB, result: unknown): unknown {
  const items: Array<Record<string, unknown>> = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) collect(x);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.id === 'string' && typeof o.title === 'string') items.push(o);
      if (Array.isArray(o.tickets)) collect(o.tickets);
    }
  };
  collect(result);
  const versions = ticketVersions(
    db,
    items.map((i) => i.id as string),
  );
  for (const i of items) if (versions.has(i.id as string)) i.version = versions.get(i.id as string);
  return result;
}

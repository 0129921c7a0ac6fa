/** Human renderers for claims, doctor and validate, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  claim: renderMessage,
  release: renderMessage,
  claims: renderClaims,
  reserve: renderMessage,
  'reservations-check': (out) => (out as { message: string }).message,
  reservations: renderReservations,
  doctor: renderMessage,
  validate: renderMessage,
};

function renderMessage(out: unknown): string {
  const o = out as { message?: string; commit?: string | null };
  const msg = o.message ?? JSON.stringify(out, null, 2);
  return o.commit ? `${msg} (commit ${o.commit.slice(0, 10)})` : msg;
}

interface ClaimLine {
  ticket: string;
  title: string | null;
  owner: string | null;
  expires: string | null;
  live: boolean;
  mine: boolean;
}

function renderClaims(out: unknown): string {
  const rows = out as ClaimLine[];
  if (rows.length === 0) return 'no claims';
  const idWidth = Math.max(...rows.map((r) => r.ticket.length));
  const ownerWidth = Math.max(...rows.map((r) => (r.owner ?? '?').length));
  return rows
    .map((r) => {
      const state = r.live ? `until ${r.expires}` : `expired ${r.expires}`;
      return `${r.ticket.padEnd(idWidth)}  ${(r.owner ?? '?').padEnd(ownerWidth)}${r.mine ? ' (you)' : '      '}  ${state}  ${r.title ?? '(no such ticket)'}`;
    })
    .join('\n');
}

interface ReservationLine {
  pattern: string;
  owner: string;
  ticket: string | null;
  expires: string;
  live: boolean;
  mine: boolean;
}

function renderReservations(out: unknown): string {
  const o = out as { reservations: ReservationLine[]; total: number; truncated: boolean };
  if (o.reservations.length === 0) return 'no reservations';
  const pw = Math.max(...o.reservations.map((r) => r.pattern.length));
  const ow = Math.max(...o.reservations.map((r) => r.owner.length));
  const lines = o.reservations.map((r) => {
    const state = r.live ? `until ${r.expires}` : `expired ${r.expires}`;
    return `${r.pattern.padEnd(pw)}  ${r.owner.padEnd(ow)}${r.mine ? ' (you)' : '      '}  ${state}${r.ticket ? `  ${r.ticket}` : ''}`;
  });
  if (o.truncated) lines.push(`… ${o.total - o.reservations.length} more (--limit)`);
  return lines.join('\n');
}

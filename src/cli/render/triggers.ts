import type { DeliveryRecord } from '../../store/deliveryLog.js';

/** Human renderers for the trigger commands (`tack hooks log|list|test|run`), by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  'hooks-log': renderLog,
  'hooks-list': renderMessage,
  'hooks-test': renderMessage,
  'hooks-run': renderMessage,
};

function renderMessage(out: unknown): string {
  return (out as { message?: string }).message ?? JSON.stringify(out, null, 2);
}

function line(d: DeliveryRecord): string {
  const when = d.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const target = d.kind === 'webhook' ? `webhook ${d.target} ${d.url ?? ''}` : `command ${JSON.stringify(d.target)}`;
  const tries = d.attempts && d.attempts.length > 1 ? ` ${d.attempts.length} attempts` : '';
  const head = `${when} ${d.ok ? 'ok    ' : 'FAILED'} ${d.event}${d.ticket ? ` ${d.ticket}` : ''} → ${target} (${d.status ?? '-'}, ${d.duration_ms} ms${tries})`;
  return d.error ? `${head}\n    ${d.error}` : head;
}

function renderLog(out: unknown): string {
  const o = out as { deliveries: DeliveryRecord[]; pending: boolean };
  const lines = o.deliveries.map(line);
  if (o.pending) lines.push('(events are waiting to be delivered; `tack hooks run` delivers them now)');
  return lines.length ? lines.join('\n') : 'no deliveries yet';
}

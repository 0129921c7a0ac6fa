/**
 * "5 min ago", "yesterday", "3 days ago" as Linear shows times; older than a month, the
 * date. The exact time goes in the element's title (`exactTime`).
 */
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
];
const MONTH = 30 * 24 * 60 * 60;
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((t - now) / 1000); // negative: in the past
  if (Math.abs(s) < 45) return 'just now';
  if (Math.abs(s) >= MONTH) return iso.slice(0, 10);
  let unit = UNITS[0];
  for (const u of UNITS) if (Math.abs(s) >= u[1]) unit = u;
  return format.format(Math.round(s / unit[1]), unit[0]);
}

/** The time as written in the store, for a title: "2026-12-01 10:02 UTC". */
export const exactTime = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

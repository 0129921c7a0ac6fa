import { exactTime, relativeTime } from './relativeTime';

/** A time as "3 days ago", the exact one on hover and for assistive technology. */
export function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}

import { useEffect, useState } from 'react';
import { get } from './api';

let asked: Promise<string | null> | null = null;

/** Who the server acts as (its TACK_USER or git user): asked once per page load. */
export function useMe(): string | null {
  const [me, setMe] = useState<string | null>(null);
  useEffect(() => {
    asked ??= get<{ user: string }>('/api/whoami').then(
      (w) => w.user,
      () => ((asked = null), null),
    );
    void asked.then(setMe);
  }, []);
  return me;
}

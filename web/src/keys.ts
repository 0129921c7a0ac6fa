import { useEffect, useRef } from 'react';

/** True when a key press belongs to a text field, not to the page's shortcuts. */
export function typingIn(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable;
}

/** Page shortcuts by key (`j`, `Enter`, `mod+k`...), ignored while typing unless `always`. */
export function useKeys(map: Record<string, (e: KeyboardEvent) => void>, always: string[] = []): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const h = (e: KeyboardEvent) => {
      const name = (e.metaKey || e.ctrlKey ? 'mod+' : '') + (e.key.length === 1 ? e.key.toLowerCase() : e.key);
      const fn = ref.current[name];
      if (!fn) return;
      if (typingIn(e) && !always.includes(name)) return;
      if (e.altKey || ((e.metaKey || e.ctrlKey) && !name.startsWith('mod+'))) return;
      e.preventDefault();
      fn(e);
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, [always.join(',')]);
}

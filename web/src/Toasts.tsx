import { useEffect, useSyncExternalStore } from 'react';
import { navigate } from './router';

/** A short message over the page, with an optional link (a new ticket). */
export interface Toast {
  id: number;
  text: string;
  link?: { href: string; label: string };
}

let toasts: Toast[] = [];
let next = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

/** Show `text` for a few seconds (until dismissed, or the next five push it out). */
export function toast(text: string, link?: Toast['link']): void {
  toasts = [...toasts.slice(-4), { id: next++, text, link }];
  emit();
}

function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

const SHOWN_MS = 6000;

export function Toasts() {
  const shown = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => toasts,
  );
  return (
    <div className="toasts" role="status" aria-live="polite">
      {shown.map((t) => (
        <ToastLine key={t.id} t={t} />
      ))}
    </div>
  );
}

function ToastLine({ t }: { t: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => dismiss(t.id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [t.id]);
  return (
    <div className="toast">
      {t.text}{' '}
      {t.link && (
        <a
          href={t.link.href}
          onClick={(e) => {
            e.preventDefault();
            dismiss(t.id);
            navigate(t.link!.href);
          }}
        >
          {t.link.label}
        </a>
      )}{' '}
      <button type="button" className="ghost" aria-label="dismiss" onClick={() => dismiss(t.id)}>
        ×
      </button>
    </div>
  );
}

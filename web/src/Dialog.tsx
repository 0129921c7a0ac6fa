import { type ReactNode, useEffect, useRef, useState } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: Tab and Shift+Tab cycle inside it, Escape closes it (when it can be
 * closed), and closing gives focus back to whatever had it when the dialog opened (the
 * button or the page the shortcut was pressed on), as WAI-ARIA's dialog pattern asks.
 */
export function Dialog({
  label,
  className = 'dialog',
  close,
  children,
}: {
  label: string;
  className?: string;
  /** Absent for a dialog that must be answered (the conflict dialog): no Escape, no click-out. */
  close?: () => void;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  // Read while rendering, before an autofocused field inside takes focus.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    // An autofocused field already has focus; otherwise the dialog itself takes it.
    if (!box.current?.contains(document.activeElement)) box.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    // The page's shortcuts (window listeners) must not act behind a modal dialog.
    e.stopPropagation();
    if (e.key === 'Escape' && close) {
      close();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (!items.length) return e.preventDefault();
    const first = items[0];
    const last = items[items.length - 1];
    const at = document.activeElement;
    if (e.shiftKey && (at === first || at === box.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && at === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="overlay" onMouseDown={(e) => close && e.target === e.currentTarget && close()}>
      <div
        ref={box}
        className={className}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
    </div>
  );
}

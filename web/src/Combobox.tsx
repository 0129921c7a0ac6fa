import { type ReactNode, type RefObject, useId, useState } from 'react';

export interface ComboOption {
  key: string;
  /** What the option reads as (its accessible name and what typing matches). */
  text: string;
  /** How it looks; the text when absent. */
  view?: ReactNode;
  /** Shown ticked: a value the field already has. */
  checked?: boolean;
}

/**
 * A text box that filters a list: arrows move, Enter picks, Escape closes the list (then
 * leaves the box). The WAI-ARIA combobox pattern, so screen readers announce the options.
 */
export function Combobox({
  label,
  placeholder,
  options,
  query,
  setQuery,
  onPick,
  inputRef,
  disabled,
  autoFocus,
  onEscape,
}: {
  label: string;
  placeholder?: string;
  /** Already filtered by the query: the caller knows what matches and what to offer to create. */
  options: ComboOption[];
  query: string;
  setQuery: (q: string) => void;
  onPick: (o: ComboOption) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  disabled?: boolean;
  autoFocus?: boolean;
  /** Escape in a closed list: the box's owner may close itself. */
  onEscape?: () => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const at = Math.min(active, options.length - 1);
  const shown = open && options.length > 0;
  const pick = (o: ComboOption | undefined) => {
    if (!o) return;
    onPick(o);
    setActive(0);
  };
  return (
    <div className="combo">
      <input
        ref={inputRef}
        role="combobox"
        aria-label={label}
        aria-expanded={shown}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={shown && at >= 0 ? `${id}-${at}` : undefined}
        autoComplete="off"
        placeholder={placeholder}
        value={query}
        disabled={disabled}
        autoFocus={autoFocus}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onChange={(e) => (setQuery(e.target.value), setActive(0), setOpen(true))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (!open) setOpen(true);
            else setActive(Math.min(options.length - 1, at + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive(Math.max(0, at - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (shown) pick(options[at]);
          } else if (e.key === 'Escape') {
            if (!shown && !query) return onEscape?.(); // the dialog's or page's Escape then acts
            // An open list closes first: the dialog stays and the page is not left.
            e.stopPropagation();
            setOpen(false);
            setQuery('');
          }
        }}
      />
      <div id={`${id}-list`} role="listbox" aria-label={label} className="combo-list" hidden={!shown}>
        {options.map((o, n) => (
          <div
            key={o.key}
            id={`${id}-${n}`}
            role="option"
            tabIndex={-1}
            aria-selected={n === at}
            aria-checked={o.checked}
            className={`combo-option ${n === at ? 'selected' : ''}`}
            onMouseDown={(e) => (e.preventDefault(), pick(o))}
            onMouseMove={() => n !== at && setActive(n)}
          >
            <span className="combo-check" aria-hidden="true">
              {o.checked ? '✓' : ''}
            </span>
            {o.view ?? o.text}
          </div>
        ))}
      </div>
    </div>
  );
}

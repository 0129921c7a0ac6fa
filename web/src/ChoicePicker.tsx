import { type ReactNode, type RefObject, useRef, useState } from 'react';
import { Combobox, type ComboOption } from './Combobox';

export interface Choice {
  value: string;
  /** What typing matches besides the value (a project's name). */
  name?: string;
  /** How it looks in the list and as the current value (an icon and its name). */
  view?: ReactNode;
}

/** The choices whose name contains what was typed, the current one ticked. */
export function choiceOptions(choices: Choice[], q: string, value: string | null): ComboOption[] {
  const s = q.trim().toLowerCase();
  return choices
    .filter((c) => !s || c.value.toLowerCase().includes(s) || !!c.name?.toLowerCase().includes(s))
    .map((c) => ({ key: c.value, text: c.value, view: c.view, checked: c.value === value }));
}

/**
 * One of a fixed set (a status, a priority, a type, a project), picked as in Linear: the
 * current value, and a box that lists every choice and narrows them as you type; arrows
 * move, Enter picks, Escape closes. Its shortcut focuses the box, which opens the list.
 */
export function ChoicePicker({
  label,
  value,
  choices,
  pick,
  inputRef,
  empty = 'None',
  placeholder,
}: {
  label: string;
  value: string | null;
  choices: Choice[];
  pick: (value: string) => unknown;
  inputRef?: RefObject<HTMLInputElement | null>;
  /** What an unset value reads as. */
  empty?: string;
  placeholder?: string;
}) {
  const [q, setQ] = useState('');
  const own = useRef<HTMLInputElement>(null);
  const ref = inputRef ?? own; // blurred after a pick, so the list closes
  const current = choices.find((c) => c.value === value);
  return (
    <div className="choice-picker">
      <span className={value ? 'choice-now' : 'choice-now muted'} data-testid={`${label}-now`}>
        {value === null ? empty : (current?.view ?? value)}
      </span>
      <Combobox
        label={label}
        placeholder={placeholder ?? `Change ${label}…`}
        inputRef={ref}
        query={q}
        setQuery={setQ}
        options={choiceOptions(choices, q, value)}
        onPick={(o) => {
          setQ('');
          ref.current?.blur();
          if (o.text !== value) void pick(o.text);
        }}
      />
    </div>
  );
}

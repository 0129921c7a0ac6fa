import { type RefObject, useMemo, useState } from 'react';
import { Combobox, type ComboOption } from './Combobox';
import { LabelChip } from './LabelChip';
import { labelColour } from './labelColour';
import { useStore } from './store';

/** Every label in use, most used first, with how many tickets carry it. */
export function useLabels(): Array<{ name: string; count: number }> {
  const { tickets } = useStore();
  return useMemo(() => {
    const n = new Map<string, number>();
    for (const t of tickets.values()) for (const l of t.labels) n.set(l, (n.get(l) ?? 0) + 1);
    return [...n]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  }, [tickets]);
}

/** The labels matching a query, and a "create" option when the query names none of them. */
export function labelOptions(all: Array<{ name: string; count: number }>, q: string, has: string[]): ComboOption[] {
  const s = q.trim().toLowerCase();
  const hits = all.filter((l) => !s || l.name.toLowerCase().includes(s)).slice(0, 12);
  const opts: ComboOption[] = hits.map((l) => ({
    key: l.name,
    text: l.name,
    checked: has.includes(l.name),
    view: (
      <>
        <span className="swatch" style={{ background: labelColour(l.name) }} aria-hidden="true" />
        {l.name} <span className="muted small">{l.count}</span>
      </>
    ),
  }));
  const name = q.trim();
  if (name && !all.some((l) => l.name.toLowerCase() === s))
    opts.push({ key: `new:${name}`, text: name, view: <>Create label “{name}”</> });
  return opts;
}

/**
 * The labels of a ticket (or of a new one): chips to remove, a search to add an existing
 * label or create one by typing it. Picking a label the ticket has removes it.
 */
export function LabelPicker({
  value,
  toggle,
  inputRef,
  label = 'labels',
  disabled,
}: {
  value: string[];
  toggle: (name: string, on: boolean) => unknown;
  inputRef?: RefObject<HTMLInputElement | null>;
  label?: string;
  disabled?: boolean;
}) {
  const all = useLabels();
  const [q, setQ] = useState('');
  return (
    <div className="label-picker">
      {value.length > 0 && (
        <div className="chips">
          {value.map((l) => (
            <LabelChip key={l} name={l} onRemove={disabled ? undefined : () => toggle(l, false)} />
          ))}
        </div>
      )}
      <Combobox
        label={label}
        placeholder="Add label…"
        inputRef={inputRef}
        disabled={disabled}
        query={q}
        setQuery={setQ}
        options={labelOptions(all, q, value)}
        onPick={(o) => {
          setQ('');
          void toggle(o.text, !value.includes(o.text));
        }}
      />
    </div>
  );
}

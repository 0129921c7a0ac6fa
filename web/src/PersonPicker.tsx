import { type RefObject, useEffect, useMemo, useState } from 'react';
import { get } from './api';
import { Combobox, type ComboOption } from './Combobox';
import { useMe } from './useMe';
import { useStore } from './store';

let actors: Promise<string[]> | null = null;

/**
 * Everyone the store knows: assignees now, and whoever made a commit in its history (humans
 * and agents, from `stats --by actor`, asked once per page load), "me" first.
 */
export function usePeople(): { me: string | null; people: string[] } {
  const { tickets } = useStore();
  const me = useMe();
  const [seen, setSeen] = useState<string[]>([]);
  useEffect(() => {
    actors ??= get<{ actors: Array<{ name: string }> }>('/api/stats?by=actor').then(
      (r) => r.actors.map((a) => a.name),
      () => ((actors = null), []),
    );
    void actors.then(setSeen);
  }, []);
  const people = useMemo(() => {
    const all = new Set(seen);
    for (const t of tickets.values()) if (t.assignee) all.add(t.assignee);
    if (me) all.delete(me);
    return [...all].sort((a, b) => a.localeCompare(b));
  }, [tickets, seen, me]);
  return { me, people };
}

/** "Me", "No assignee", then everyone matching the query, and the typed name when it is nobody known. */
export function personOptions(me: string | null, people: string[], q: string, value: string | null): ComboOption[] {
  const s = q.trim().toLowerCase();
  const opts: ComboOption[] = [];
  if (me && (!s || 'me'.startsWith(s) || me.toLowerCase().includes(s)))
    opts.push({ key: 'me', text: me, checked: value === me, view: <>Me ({me})</> });
  if (!s || 'no assignee'.includes(s) || 'none'.startsWith(s))
    opts.push({ key: 'none', text: 'none', checked: value === null, view: <span className="muted">No assignee</span> });
  for (const p of people.filter((x) => !s || x.toLowerCase().includes(s)).slice(0, 12))
    opts.push({ key: `p:${p}`, text: p, checked: value === p, view: <>{p}</> });
  const name = q.trim();
  if (name && name !== me && !people.some((p) => p.toLowerCase() === s) && !/^(me|none)$/i.test(name))
    opts.push({ key: `new:${name}`, text: name, view: <>Assign to “{name}”</> });
  return opts;
}

/** Who a ticket is assigned to: search people by name; "none" unassigns. */
export function PersonPicker({
  value,
  pick,
  inputRef,
  label = 'assignee',
  disabled,
}: {
  value: string | null;
  /** The person's name, or 'none'. */
  pick: (name: string) => unknown;
  inputRef?: RefObject<HTMLInputElement | null>;
  label?: string;
  disabled?: boolean;
}) {
  const { me, people } = usePeople();
  const [q, setQ] = useState('');
  return (
    <div className="person-picker">
      <span className={value ? 'person-now' : 'person-now muted'}>{value ?? 'Unassigned'}</span>
      <Combobox
        label={label}
        placeholder={value ? 'Reassign…' : 'Assign…'}
        inputRef={inputRef}
        disabled={disabled}
        query={q}
        setQuery={setQ}
        options={personOptions(me, people, q, value)}
        onPick={(o) => {
          setQ('');
          inputRef?.current?.blur();
          void pick(o.text);
        }}
      />
    </div>
  );
}

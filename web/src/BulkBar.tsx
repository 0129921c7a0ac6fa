import { useState } from 'react';
import { api } from './api';
import { useStore } from './store';
import { Combobox } from './Combobox';
import { labelOptions, useLabels } from './LabelPicker';
import { personOptions, usePeople } from './PersonPicker';

/** The batch items of one bulk change, one per selected ticket: all of them one commit. */
export function bulkOperations(ids: string[], change: BulkChange): Array<Record<string, unknown>> {
  switch (change.kind) {
    case 'status':
    case 'priority':
    case 'assignee':
      return ids.map((id) => ({ op: 'update', id, [change.kind]: change.value }));
    case 'label-add':
    case 'label-rm':
      return ids.map((id) => ({ op: change.kind, id, labels: [change.value] }));
  }
}

export type BulkChange = { kind: 'status' | 'priority' | 'assignee' | 'label-add' | 'label-rm'; value: string };

const describe = (c: BulkChange): string =>
  c.kind === 'label-add'
    ? `add label ${c.value}`
    : c.kind === 'label-rm'
      ? `remove label ${c.value}`
      : `set ${c.kind} to ${c.value}`;

/** What the list offers for its selected rows: status, priority, assignee and labels for all of them at once (a picked label every one has comes off them all). */
export function BulkBar({ ids, clear }: { ids: string[]; clear: () => void }) {
  const { schema, tickets } = useStore();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [label, setLabel] = useState('');
  const [assignee, setAssignee] = useState('');
  const { me, people } = usePeople();
  const allLabels = useLabels();
  if (!schema) return null;
  // Ticked: the labels every selected ticket has; picking one of them takes it off them all.
  const onAll = allLabels.map((l) => l.name).filter((l) => ids.every((id) => tickets.get(id)?.labels.includes(l)));
  const apply = async (change: BulkChange) => {
    if (!change.value) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/batch', {
        operations: bulkOperations(ids, change),
        message: `${describe(change)} on ${ids.length} ticket${ids.length === 1 ? '' : 's'}`,
      });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="bulk-bar" role="toolbar" aria-label="bulk edit">
      <span>
        <b>{ids.length}</b> selected
      </span>
      <select
        aria-label="set status of selected"
        disabled={busy}
        value=""
        onChange={(e) => apply({ kind: 'status', value: e.target.value })}
      >
        <option value="">Status…</option>
        {schema.states.map((s) => (
          <option key={s.name}>{s.name}</option>
        ))}
      </select>
      <select
        aria-label="set priority of selected"
        disabled={busy}
        value=""
        onChange={(e) => apply({ kind: 'priority', value: e.target.value })}
      >
        <option value="">Priority…</option>
        {schema.priorities.map((p) => (
          <option key={p}>{p}</option>
        ))}
      </select>
      <Combobox
        label="assign selected to"
        placeholder="Assignee…"
        disabled={busy}
        query={assignee}
        setQuery={setAssignee}
        options={personOptions(me, people, assignee, null).map((o) => ({ ...o, checked: false }))}
        onPick={(o) => void apply({ kind: 'assignee', value: o.text }).then(() => setAssignee(''))}
      />
      <Combobox
        label="labels of selected"
        placeholder="Labels…"
        disabled={busy}
        query={label}
        setQuery={setLabel}
        options={labelOptions(allLabels, label, onAll)}
        onPick={(o) =>
          void apply({ kind: onAll.includes(o.text) ? 'label-rm' : 'label-add', value: o.text }).then(() =>
            setLabel(''),
          )
        }
      />
      <button type="button" className="ghost" onClick={clear}>
        Clear (esc)
      </button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}

import { useState } from 'react';
import { api } from './api';
import { useStore } from './store';

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

/** What the list offers for its selected rows: status, priority, assignee and labels for all of them at once. */
export function BulkBar({ ids, clear }: { ids: string[]; clear: () => void }) {
  const { schema, tickets } = useStore();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [label, setLabel] = useState('');
  const [assignee, setAssignee] = useState('');
  if (!schema) return null;
  const labels = [...new Set(ids.flatMap((id) => tickets.get(id)?.labels ?? []))].sort();
  const people = [...new Set([...tickets.values()].map((x) => x.assignee).filter(Boolean) as string[])].sort();
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
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply({ kind: 'assignee', value: assignee.trim() || 'none' }).then(() => setAssignee(''));
        }}
      >
        <input
          aria-label="assign selected to"
          placeholder="Assignee (empty: none)"
          list="bulk-people"
          value={assignee}
          disabled={busy}
          onChange={(e) => setAssignee(e.target.value)}
        />
        <datalist id="bulk-people">
          {people.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply({ kind: 'label-add', value: label.trim() }).then(() => setLabel(''));
        }}
      >
        <input
          aria-label="add label to selected"
          placeholder="Add label"
          value={label}
          disabled={busy}
          onChange={(e) => setLabel(e.target.value)}
        />
      </form>
      {labels.length > 0 && (
        <select
          aria-label="remove label from selected"
          disabled={busy}
          value=""
          onChange={(e) => apply({ kind: 'label-rm', value: e.target.value })}
        >
          <option value="">Remove label…</option>
          {labels.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      )}
      <button type="button" className="ghost" onClick={clear}>
        Clear (esc)
      </button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}

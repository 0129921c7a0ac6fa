import { useMemo, useState } from 'react';
import { api, type Ticket, type TicketDetails } from './api';
import { ChoicePicker } from './ChoicePicker';
import { Combobox } from './Combobox';
import { Dialog } from './Dialog';
import { FieldsPanel } from './FieldsPanel';
import { LabelPicker } from './LabelPicker';
import { PersonPicker } from './PersonPicker';
import { putTicket, useStore } from './store';
import { filtersFromQuery, matches } from './ticketOrder';
import { toast } from './Toasts';
import { priorityChoices, statusChoices, typeChoices } from './fieldChoices';

/**
 * `c`: a new ticket; Enter creates it and leaves the user where they were. From a ticket
 * page, "New sub-issue" opens it with that ticket as the parent.
 */
export function CreateDialog({
  close,
  parent: given,
  type: initialType,
}: {
  close: () => void;
  parent?: { id: string; title: string };
  /** The type it starts with ("New epic"), else the schema's default. */
  type?: string;
}) {
  const { schema } = useStore();
  const [title, setTitle] = useState('');
  const [type, setType] = useState(initialType ?? schema?.defaultType ?? 'task');
  const [status, setStatus] = useState(schema?.defaultStatus ?? null);
  const [priority, setPriority] = useState('none');
  const [parent, setParent] = useState(given ?? null);
  // The project and custom fields, as the ticket page's panel writes them (one patch each).
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [description, setDescription] = useState('');
  const [labels, setLabels] = useState<string[]>([]);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (!title.trim()) return setError('a title is needed');
    try {
      const made = await api<Ticket>('POST', '/api/tickets', {
        title,
        type,
        status: status ?? undefined,
        priority,
        ...draftInput(draft),
        description: description || undefined,
        label: labels.length ? labels : undefined,
        assignee: assignee ?? undefined,
        parent: parent?.id,
      });
      putTicket(made);
      close();
      // Where the user is, the new ticket may not show: say so, with the way to it.
      const hidden = location.pathname === '/' && !matches(made, filtersFromQuery(location.search));
      toast(`Created ${made.short_id} “${made.title}”${hidden ? ': not shown with the list’s filters' : ''}.`, {
        href: `/t/${made.id}`,
        label: 'Open',
      });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Dialog label={given ? 'new sub-issue' : 'new ticket'} close={close}>
      <div
        className="dialog-body"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
        }}
      >
        <h2>{given ? 'New sub-issue' : 'New ticket'}</h2>
        {given && <p className="muted small">of {given.title}</p>}
        <input
          aria-label="new title"
          autoFocus
          placeholder="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void submit()}
        />
        <div className="row-fields">
          <ChoicePicker
            label="new status"
            placeholder="Status…"
            value={status}
            choices={statusChoices(schema)}
            pick={(v) => setStatus(v)}
          />
          <ChoicePicker
            label="new priority"
            placeholder="Priority…"
            value={priority}
            choices={priorityChoices(schema)}
            pick={(v) => setPriority(v)}
          />
          <ChoicePicker
            label="new type"
            placeholder="Type…"
            value={type}
            choices={typeChoices(schema)}
            pick={(v) => setType(v)}
          />
        </div>
        <div className="row-fields">
          <PersonPicker label="new assignee" value={assignee} pick={(v) => setAssignee(v === 'none' ? null : v)} />
          <LabelPicker
            label="new labels"
            value={labels}
            toggle={(l, on) => setLabels(on ? [...labels, l] : labels.filter((x) => x !== l))}
          />
        </div>
        {!given && <ParentPicker parent={parent} setParent={setParent} />}
        {schema && (
          <div className="new-fields">
            <FieldsPanel
              t={draft as unknown as TicketDetails}
              schema={schema}
              update={(patch) => setDraft((d) => withPatch(d, patch))}
            />
          </div>
        )}
        <textarea
          aria-label="new description"
          placeholder="Description (markdown)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        {error && <div className="error">{error}</div>}
        <div className="buttons">
          <button type="button" onClick={submit}>
            Create
          </button>{' '}
          <span className="muted small">Enter in the title or Ctrl+Enter</span>
        </div>
      </div>
    </Dialog>
  );
}

/** The panel's patches, gathered into the new ticket's values (`project`, then each field). */
function withPatch(d: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const next = { ...d };
  if ('project' in patch) next.project = patch.project === 'none' ? undefined : patch.project;
  for (const f of (patch.field as string[] | undefined) ?? []) {
    const eq = f.indexOf('=');
    next[f.slice(0, eq)] = f.slice(eq + 1);
  }
  for (const name of (patch.unset as string[] | undefined) ?? []) delete next[name];
  return next;
}

/** What the create operation takes of those values. */
function draftInput(d: Record<string, unknown>): Record<string, unknown> {
  const { project, ...fields } = d;
  const field = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return { ...(project ? { project } : {}), ...(field.length ? { field } : {}) };
}

/** The new ticket's parent: any ticket, found by title or id. */
function ParentPicker({
  parent,
  setParent,
}: {
  parent: { id: string; title: string } | null;
  setParent: (p: { id: string; title: string } | null) => void;
}) {
  const { tickets } = useStore();
  const [q, setQ] = useState('');
  const options = useMemo(() => {
    const s = q.trim().toLowerCase();
    if (!s) return [];
    return [...tickets.values()]
      .filter((t) => t.title.toLowerCase().includes(s) || t.id.startsWith(s) || t.short_id.startsWith(s))
      .slice(0, 8)
      .map((t) => ({ key: t.id, text: t.title, view: <>{`${t.short_id} ${t.title}`}</> }));
  }, [q, tickets]);
  if (parent)
    return (
      <div className="row-fields muted small">
        Sub-issue of {parent.title}{' '}
        <button type="button" className="ghost" aria-label="no parent" onClick={() => setParent(null)}>
          ×
        </button>
      </div>
    );
  return (
    <Combobox
      label="new parent"
      placeholder="Parent (optional): find a ticket…"
      query={q}
      setQuery={setQ}
      options={options}
      onPick={(o) => (setQ(''), setParent({ id: o.key, title: o.text }))}
    />
  );
}

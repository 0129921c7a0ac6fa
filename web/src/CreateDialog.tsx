import { useState } from 'react';
import { api, type Ticket } from './api';
import { Dialog } from './Dialog';
import { LabelPicker } from './LabelPicker';
import { PersonPicker } from './PersonPicker';
import { putTicket, useStore } from './store';
import { filtersFromQuery, matches } from './ticketOrder';
import { toast } from './Toasts';

/**
 * `c`: a new ticket; Enter creates it and leaves the user where they were. From a ticket
 * page, "New sub-issue" opens it with that ticket as the parent.
 */
export function CreateDialog({ close, parent }: { close: () => void; parent?: { id: string; title: string } }) {
  const { schema } = useStore();
  const [title, setTitle] = useState('');
  const [type, setType] = useState(schema?.defaultType ?? 'task');
  const [priority, setPriority] = useState('none');
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
        priority,
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
    <Dialog label={parent ? 'new sub-issue' : 'new ticket'} close={close}>
      <div
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
        }}
      >
        <h2>{parent ? 'New sub-issue' : 'New ticket'}</h2>
        {parent && <p className="muted small">of {parent.title}</p>}
        <input
          aria-label="new title"
          autoFocus
          placeholder="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void submit()}
        />
        <div className="row-fields">
          <select aria-label="new type" value={type} onChange={(e) => setType(e.target.value)}>
            {schema?.types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <select aria-label="new priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
            {schema?.priorities.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="row-fields">
          <PersonPicker label="new assignee" value={assignee} pick={(v) => setAssignee(v === 'none' ? null : v)} />
          <LabelPicker
            label="new labels"
            value={labels}
            toggle={(l, on) => setLabels(on ? [...labels, l] : labels.filter((x) => x !== l))}
          />
        </div>
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

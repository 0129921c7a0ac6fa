import { useEffect, useRef, useState } from 'react';
import { useStore } from './store';
import { listHref, navigate } from './router';
import { useKeys } from './keys';
import { useTicket } from './useTicket';
import { Markdown } from './Markdown';
import { Comments } from './Comments';
import { Relations } from './Relations';
import { CreateDialog } from './CreateDialog';
import { Skeleton } from './Skeleton';
import { HistoryPanel } from './HistoryPanel';
import { CodeLinks } from './CodeLinks';
import { ConflictDialog } from './ConflictDialog';
import { priorityChoices, statusChoices, typeChoices } from './fieldChoices';
import { setPageActions } from './pageActions';
import { ticketActions } from './ticketActions';
import { DeleteTicketDialog } from './DeleteTicketDialog';
import { useMe } from './useMe';
import { When } from './When';
import { FieldsPanel } from './FieldsPanel';
import { toast } from './Toasts';
import { LabelPicker } from './LabelPicker';
import { PersonPicker } from './PersonPicker';
import { ChoicePicker } from './ChoicePicker';

export function TicketPage({ id }: { id: string }) {
  const { schema } = useStore();
  const { t, error, setError, conflict, setConflict, update, write } = useTicket(id);
  const [editingTitle, setEditingTitle] = useState(false);
  const [title, setTitle] = useState('');
  const [desc, setDesc] = useState<string | null>(null); // null: not editing
  const [subIssue, setSubIssue] = useState(false);
  const [base, setBase] = useState<string | undefined>(); // the version an edit started from
  const [addingRelation, setAddingRelation] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const me = useMe();
  const refs = {
    status: useRef<HTMLInputElement>(null),
    assignee: useRef<HTMLInputElement>(null),
    labels: useRef<HTMLInputElement>(null),
    priority: useRef<HTMLInputElement>(null),
  };

  useKeys({
    // Esc closes an open dialog first (the app's handler); only then leaves the ticket.
    Escape: () => {
      if (!document.querySelector('.overlay')) navigate(listHref());
    },
    e: () => t && desc === null && startDesc(),
    s: () => refs.status.current?.focus(),
    a: () => refs.assignee.current?.focus(),
    l: () => refs.labels.current?.focus(),
    p: () => refs.priority.current?.focus(),
    t: () => t && startTitle(),
  });
  const startDesc = () => {
    if (!t) return;
    setBase(t.version);
    setDesc(t.description);
  };
  const startTitle = () => {
    if (!t) return;
    setBase(t.version);
    setTitle(t.title);
    setEditingTitle(true);
  };

  // The palette offers every action on this ticket.
  useEffect(() => {
    if (!t || !schema) return;
    return setPageActions(
      ticketActions({
        t,
        schema,
        me,
        update,
        focusAssignee: () => refs.assignee.current?.focus(),
        focusLabels: () => refs.labels.current?.focus(),
        editDescription: startDesc,
        editTitle: startTitle,
        addRelation: () => setAddingRelation(true),
        newSubIssue: () => setSubIssue(true),
        askDelete: () => setDeleting(true),
        archive: () =>
          void write('POST', '/archive', {}).then(
            (ok) => ok && toast(`Archived ${t.short_id}: out of the lists until restored`),
          ),
        restore: () => void write('POST', '/restore', {}).then((ok) => ok && toast(`Restored ${t.short_id}`)),
        copy: (text, what) =>
          void navigator.clipboard.writeText(text).then(
            () => toast(`Copied ${what}: ${text}`),
            () => setError(`Could not copy ${what}: ${text}`),
          ),
      }),
    );
  }, [t, schema, me]);

  if (error && !t)
    return (
      <div className="error pad">
        {error}{' '}
        <a href={listHref()} onClick={(e) => (e.preventDefault(), navigate(listHref()))}>
          Back to the issues
        </a>
      </div>
    );
  if (!t || !schema) return <Skeleton />;

  const saveTitle = async () => {
    if (!editingTitle) return; // Enter, then the blur of the closing field
    setEditingTitle(false);
    if (title.trim() && title !== t.title) await update({ title: title.trim() }, base);
  };
  const saveDesc = async () => {
    if (desc === null) return;
    if (await update({ description: desc }, base)) setDesc(null);
  };

  return (
    <div className="ticket-page">
      <div className="crumbs">
        <a href={listHref()} onClick={(e) => (e.preventDefault(), navigate(listHref()))}>
          Issues
        </a>{' '}
        › <span className="id">{t.id}</span>
        {t.archived && (
          <span className="badge" title="In the archive: out of the lists and the board">
            Archived
          </span>
        )}
      </div>
      {error && (
        <div className="error">
          {error}{' '}
          <button type="button" className="ghost" onClick={() => setError(null)}>
            dismiss
          </button>
        </div>
      )}
      {deleting && <DeleteTicketDialog t={t} close={() => setDeleting(false)} />}
      <div className="ticket-main">
        <section className="ticket-body">
          {editingTitle ? (
            <input
              className="title-input"
              autoFocus
              aria-label="title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              onBlur={saveTitle}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void saveTitle();
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  setEditingTitle(false);
                }
              }}
            />
          ) : (
            <h1 className="ticket-title" title="click or t to edit" onClick={startTitle}>
              {t.title}
            </h1>
          )}

          <div className="desc">
            <div className="desc-head">
              <span className="muted">Description</span>
              {desc === null ? (
                <button type="button" className="ghost" onClick={startDesc}>
                  Edit (e)
                </button>
              ) : (
                <span>
                  <button type="button" onClick={saveDesc}>
                    Save
                  </button>{' '}
                  <button type="button" className="ghost" onClick={() => setDesc(null)}>
                    Cancel
                  </button>
                </span>
              )}
            </div>
            {desc === null ? (
              t.description.trim() ? (
                <Markdown text={t.description} />
              ) : (
                <div className="muted">No description.</div>
              )
            ) : (
              <div className="split">
                <textarea
                  aria-label="description"
                  autoFocus
                  value={desc}
                  onChange={(e) => setDesc(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void saveDesc();
                    if (e.key === 'Escape') {
                      e.stopPropagation();
                      (e.target as HTMLElement).blur();
                    }
                  }}
                />
                <div className="preview">
                  <Markdown text={desc} />
                </div>
              </div>
            )}
            {desc !== null && desc !== t.description && t.description !== (desc ?? '') && (
              <div className="muted small">
                Editing: changes from others show above when you save or cancel; a conflicting save asks which to keep.
              </div>
            )}
          </div>

          <Relations t={t} write={write} adding={addingRelation} setAdding={setAddingRelation} />
          <button type="button" className="ghost" onClick={() => setSubIssue(true)}>
            New sub-issue
          </button>
          {subIssue && <CreateDialog parent={{ id: t.id, title: t.title }} close={() => setSubIssue(false)} />}
          <CodeLinks t={t} />

          <Comments comments={t.comments} write={write} />

          <HistoryPanel t={t} version={t.version} />
        </section>

        <aside className="fields">
          <div className="field">
            <span aria-hidden="true">Status</span>
            <ChoicePicker
              label="status"
              inputRef={refs.status}
              value={t.status}
              choices={statusChoices(schema)}
              pick={(v) => update({ status: v })}
            />
          </div>
          <div className="field">
            <span aria-hidden="true">Priority</span>
            <ChoicePicker
              label="priority"
              inputRef={refs.priority}
              value={t.priority}
              choices={priorityChoices(schema)}
              pick={(v) => update({ priority: v })}
            />
          </div>
          <div className="field">
            <span aria-hidden="true">Type</span>
            <ChoicePicker label="type" value={t.type} choices={typeChoices(schema)} pick={(v) => update({ type: v })} />
          </div>
          <div className="field">
            <span aria-hidden="true">Assignee</span>
            <PersonPicker inputRef={refs.assignee} value={t.assignee} pick={(v) => update({ assignee: v })} />
          </div>
          <div className="field">
            <span aria-hidden="true">Labels</span>
            <LabelPicker
              inputRef={refs.labels}
              value={t.labels}
              toggle={(l, on) => update(on ? { add_label: [l] } : { remove_label: [l] })}
            />
          </div>
          <FieldsPanel t={t} schema={schema} update={update} />
          <div className="muted small">
            Created <When iso={t.created} /> · updated <When iso={t.updated} />
          </div>
          {t.tags.length > 0 && (
            <div className="small">
              Tags:{' '}
              {t.tags.map((x) => (
                <a key={x} href={`/tags/${x}`} onClick={(e) => (e.preventDefault(), navigate(`/tags/${x}`))}>
                  #{x}{' '}
                </a>
              ))}
            </div>
          )}
        </aside>
      </div>
      {conflict && (
        <ConflictDialog
          conflict={conflict}
          mineDescription={desc}
          keepMine={async () => {
            setConflict(null);
            if (await update(conflict.mine, conflict.theirs.version)) setDesc(null), setEditingTitle(false);
          }}
          keepTheirs={() => {
            setConflict(null);
            setDesc(null);
          }}
        />
      )}
    </div>
  );
}

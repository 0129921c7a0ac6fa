import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, enc, get, ifMatch, type Ticket } from './api';
import { putTicket, useStore } from './store';
import { navigate } from './router';
import { useKeys } from './keys';
import { TicketPicker } from './TicketPicker';
import { linksOf, plusAt, tagsOf, titleOf } from './captureText';
import { EntryView } from './EntryView';

/** The stream: notes, newest on top. Ctrl/Cmd-M starts a new one; #tags label it; + links. */
export function Capture() {
  const { tickets } = useStore();
  const [draft, setDraft] = useState<string | null>(null);
  const [picker, setPicker] = useState<number | null>(null); // caret where `+` was typed
  const [docs, setDocs] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(
    () =>
      void get<Array<{ path: string; exists: boolean }>>('/api/docs?limit=0').then((d) =>
        setDocs(d.filter((x) => x.exists).map((x) => x.path)),
      ),
    [],
  );
  useKeys(
    {
      'mod+m': () => {
        setDraft((d) => d ?? '');
        setTimeout(() => area.current?.focus());
      },
    },
    ['mod+m'],
  );

  const notes = useMemo(
    () =>
      [...tickets.values()]
        .filter((t) => t.type === 'note')
        .sort((a, b) => b.created.localeCompare(a.created) || b.id.localeCompare(a.id)),
    [tickets],
  );

  const insert = (s: string) => {
    if (draft === null || picker === null) return;
    const next = `${draft.slice(0, picker - 1) + s} ${draft.slice(picker)}`;
    setDraft(next);
    setPicker(null);
    setTimeout(() => {
      area.current?.focus();
      area.current?.setSelectionRange(picker - 1 + s.length + 1, picker - 1 + s.length + 1);
    });
  };
  const save = async () => {
    if (!draft?.trim()) return;
    try {
      putTicket(
        await api<Ticket>('POST', '/api/tickets', {
          title: titleOf(draft),
          type: 'note',
          description: draft,
          label: tagsOf(draft),
        }),
      );
      setDraft(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const preview = draft ? linksOf(draft) : null;

  return (
    <div className="capture">
      <div className="capture-head">
        <h2>Capture</h2>
        <button type="button" onClick={() => (setDraft(''), setTimeout(() => area.current?.focus()))}>
          New entry <kbd>Ctrl+M</kbd>
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      {draft !== null && (
        <div className="entry editing">
          <textarea
            ref={area}
            aria-label="entry"
            autoFocus
            placeholder="Just start writing. #tag to tag, + to link a ticket or doc. Ctrl+Enter saves."
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              const caret = e.target.selectionStart;
              setPicker(plusAt(e.target.value, caret) ? caret : null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) e.preventDefault(), void save();
              if (e.key === 'Escape' && picker === null) e.stopPropagation(), setDraft(null);
            }}
          />
          {picker !== null && (
            <TicketPicker
              autoFocus={true}
              docs={docs}
              onPick={(id) => insert(`+${id}`)}
              onPickDoc={(p) => insert(`[[${p}]]`)}
              onCancel={() => {
                setPicker(null);
                area.current?.focus();
              }}
            />
          )}
          <div className="small muted">
            tags:{' '}
            {tagsOf(draft).map((t) => (
              <span key={t} className="label">
                #{t}
              </span>
            ))}{' '}
            {preview &&
              preview.tickets.length + preview.docs.length > 0 &&
              `· ${preview.tickets.length + preview.docs.length} link(s)`}
          </div>
          {preview && <EntryView.Embeds tickets={preview.tickets} docs={preview.docs} />}
          <div className="buttons">
            <button type="button" onClick={save}>
              Save
            </button>{' '}
            <button type="button" className="ghost" onClick={() => setDraft(null)}>
              Discard
            </button>
          </div>
        </div>
      )}
      <div className="stream" data-testid="stream">
        {notes.map((t) => (
          <EntryView
            key={t.id}
            t={t}
            attach={async (to) => {
              // Attached: the note becomes a child of the ticket, listed on its page.
              try {
                putTicket(await api<Ticket>('PATCH', `/api/tickets/${enc(t.id)}`, { parent: to }, ifMatch(t.version)));
              } catch (e) {
                setError(e instanceof ApiError ? e.message : String(e));
              }
            }}
            turnIntoTicket={async () => {
              try {
                putTicket(
                  await api<Ticket>('PATCH', `/api/tickets/${enc(t.id)}`, { type: 'task' }, ifMatch(t.version)),
                );
                navigate(`/t/${t.id}`);
              } catch (e) {
                setError(e instanceof ApiError ? e.message : String(e));
              }
            }}
          />
        ))}
        {!notes.length && draft === null && (
          <div className="muted pad">
            Nothing captured yet. Press <kbd>Ctrl+M</kbd> and start writing.
          </div>
        )}
      </div>
    </div>
  );
}

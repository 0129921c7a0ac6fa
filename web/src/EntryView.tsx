import { useEffect, useState } from 'react';
import { enc, get, type Ticket, type TicketDetails } from './api';
import { useStore } from './store';
import { navigate } from './router';
import { Markdown } from './Markdown';
import { linksOf } from './captureText';
import { StatusDot } from './TicketRow';
import { TicketPicker } from './TicketPicker';
import { When } from './When';

/** A captured note: its text with #tags linked to tag pages, and previews of what it links. */
export function EntryView({
  t,
  turnIntoTicket,
  attach,
}: {
  t: Ticket;
  turnIntoTicket: () => void;
  attach: (to: string) => void;
}) {
  const [body, setBody] = useState<string | null>(null);
  const [attaching, setAttaching] = useState(false);
  const { tickets } = useStore();
  const parent = t.parent ? tickets.get(t.parent) : undefined;
  useEffect(
    () => void get<TicketDetails>(`/api/tickets/${enc(t.id)}`).then((d) => setBody(d.description)),
    [t.id, t.version],
  );
  const text = body ?? '';
  const linked = linksOf(text);
  return (
    <div className="entry" data-id={t.id}>
      <div className="small muted">
        <When iso={t.created} /> ·{' '}
        <a href={`/t/${t.id}`} onClick={(e) => (e.preventDefault(), navigate(`/t/${t.id}`))}>
          {t.short_id}
        </a>
        {t.labels.map((l) => (
          <a
            key={l}
            className="label"
            href={`/tags/${l}`}
            onClick={(e) => (e.preventDefault(), navigate(`/tags/${l}`))}
          >
            #{l}
          </a>
        ))}
        <button type="button" className="ghost small" onClick={turnIntoTicket}>
          Make ticket
        </button>
        <button type="button" className="ghost small" onClick={() => setAttaching(!attaching)}>
          Attach to…
        </button>
        {t.parent && (
          <span>
            {' '}
            · attached to{' '}
            <a href={`/t/${t.parent}`} onClick={(e) => (e.preventDefault(), navigate(`/t/${t.parent}`))}>
              {parent?.title ?? t.parent}
            </a>
          </span>
        )}
      </div>
      {attaching && (
        <TicketPicker
          exclude={t.id}
          onPick={(id) => (setAttaching(false), attach(id))}
          onCancel={() => setAttaching(false)}
        />
      )}
      <Markdown text={text} />
      <EntryView.Embeds tickets={linked.tickets} docs={linked.docs} />
    </div>
  );
}

function TicketEmbed({ id }: { id: string }) {
  const { tickets } = useStore();
  const t = tickets.get(id) ?? [...tickets.values()].find((x) => x.id.startsWith(id));
  if (!t) return <div className="embed muted">+{id} (not found)</div>;
  return (
    <a
      className="embed"
      data-testid="embed"
      href={`/t/${t.id}`}
      onClick={(e) => (e.preventDefault(), navigate(`/t/${t.id}`))}
    >
      <StatusDot category={t.category} /> <span className="id">{t.short_id}</span> {t.title}{' '}
      <span className="muted">
        · {t.status}
        {t.assignee ? ` · ${t.assignee}` : ''}
      </span>
    </a>
  );
}

function DocEmbed({ path }: { path: string }) {
  const [doc, setDoc] = useState<{ title: string; body: string } | null>(null);
  useEffect(
    () =>
      void get<{ title: string; body: string }>(`/api/docs/${path.split('/').map(enc).join('/')}`).then(setDoc, () =>
        setDoc(null),
      ),
    [path],
  );
  return (
    <a
      className="embed"
      data-testid="embed"
      href={`/docs/${path}`}
      onClick={(e) => (e.preventDefault(), navigate(`/docs/${path}`))}
    >
      <span className="id">doc</span> {doc?.title ?? path}{' '}
      <div className="muted small">
        {doc?.body
          .replace(/^#.*\n/, '')
          .trim()
          .slice(0, 140)}
      </div>
    </a>
  );
}

EntryView.Embeds = function Embeds({ tickets, docs }: { tickets: string[]; docs: string[] }) {
  return (
    <div className="embeds">
      {tickets.map((id) => (
        <TicketEmbed key={id} id={id} />
      ))}
      {docs.map((p) => (
        <DocEmbed key={p} path={p} />
      ))}
    </div>
  );
};

import { useEffect, useState } from 'react';
import { api, enc, get } from './api';
import { navigate } from './router';
import { markShown, onTicketChange } from './store';
import { Skeleton } from './Skeleton';
import { Markdown } from './Markdown';
import { DocHistory } from './DocHistory';
import { sectionsOf } from './docSections';
import type { Ticket } from './api';
import { putTicket } from './store';

interface DocEntry {
  path: string;
  title: string | null;
  exists: boolean;
  backlinks: Array<{ id: string; title: string }>;
  /** How many tickets link it: `backlinks` is the first 50 of them. */
  backlinks_total: number;
}
interface Doc {
  path: string;
  title: string;
  body: string;
  blob: string;
  backlinks: Array<{ id: string; short_id?: string; title: string }>;
  backlinks_total: number;
}

const docUrl = (p: string) => `/api/docs/${p.split('/').map(enc).join('/')}`;

/** The store's docs: a list, and one doc to read, edit, and compare with its past versions. */
export function DocsPage({ path }: { path: string }) {
  const [docs, setDocs] = useState<DocEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rev, setRev] = useState(0);
  useEffect(
    () =>
      void get<DocEntry[]>('/api/docs?limit=0')
        .then((d) => (setDocs(d), setError(null)))
        .catch((e: Error) => setError(e.message))
        .finally(markShown),
    [rev],
  );
  useEffect(() => onTicketChange(() => setRev((r) => r + 1)), []);
  return (
    <div className="docs">
      <div className="doc-list">
        {error && <div className="error pad">Cannot read the docs: {error}</div>}
        {docs === null && !error && <Skeleton lines={4} />}
        {docs?.map((d) => (
          <a
            key={d.path}
            className={`${d.path === path ? 'active' : ''} ${d.exists ? '' : 'missing'}`}
            href={`/docs/${d.path}`}
            onClick={(e) => (e.preventDefault(), navigate(`/docs/${d.path}`))}
          >
            {d.title ?? d.path}
            <div className="muted small">
              {d.path}
              {d.exists ? '' : ' (linked, not written)'}
            </div>
          </a>
        ))}
        {docs?.length === 0 && (
          <div className="muted pad">No docs yet: a spec written under docs/ in the store shows here.</div>
        )}
      </div>
      {path ? <DocView key={path} path={path} rev={rev} /> : <div className="muted pad">Pick a doc.</div>}
    </div>
  );
}

function DocView({ path, rev }: { path: string; rev: number }) {
  const [doc, setDoc] = useState<Doc | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void get<Doc>(docUrl(path)).then(setDoc, (e) => setError(e.message)), [path, rev]);
  if (error) return <div className="error pad">{error}</div>;
  if (!doc) return <div className="muted pad">Loading…</div>;
  const save = async () => {
    try {
      await api('PUT', docUrl(path), { text: draft });
      setDraft(null);
      setDoc(await get<Doc>(docUrl(path)));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="doc-view">
      <div className="desc-head">
        <span className="muted">{doc.path}</span>
        {draft === null ? (
          <button type="button" className="ghost" onClick={() => setDraft(doc.body)}>
            Edit
          </button>
        ) : (
          <span>
            <button type="button" onClick={save}>
              Save
            </button>{' '}
            <button type="button" className="ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </span>
        )}
      </div>
      {draft === null ? (
        <Markdown text={doc.body} />
      ) : (
        <div className="split">
          <textarea aria-label="doc text" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <div className="preview">
            <Markdown text={draft} />
          </div>
        </div>
      )}
      {doc.backlinks.length > 0 && (
        <div className="small">
          <span className="muted">Linked from</span>{' '}
          {doc.backlinks.map((b) => (
            <a
              key={b.id}
              className="ref"
              href={`/t/${b.id}`}
              onClick={(e) => (e.preventDefault(), navigate(`/t/${b.id}`))}
            >
              {b.short_id ?? b.id} {b.title}
            </a>
          ))}
          {doc.backlinks_total > doc.backlinks.length && (
            <span className="muted">
              {' '}
              and {doc.backlinks_total - doc.backlinks.length} more (<code>tack sql</code> on <code>links</code> lists
              them all)
            </span>
          )}
        </div>
      )}
      <Sections path={doc.path} body={doc.body} onError={setError} />
      <DocHistory path={doc.path} blob={doc.blob} />
    </div>
  );
}

/** "Fork a ticket from this section": the heading is its title, the section its description, linked to the doc. */
function Sections({ path, body, onError }: { path: string; body: string; onError: (e: string) => void }) {
  const sections = sectionsOf(body).filter((x) => x.level > 1);
  if (!sections.length) return null;
  const fork = async (title: string, text: string) => {
    try {
      const t = await api<Ticket>('POST', '/api/tickets', {
        title,
        description: `${text}\n\nFrom [[${path}]].`,
        link: [path],
      });
      putTicket(t);
      navigate(`/t/${t.id}`);
    } catch (e) {
      onError((e as Error).message);
    }
  };
  return (
    <div className="sections">
      <h3>Sections</h3>
      {sections.map((x, i) => (
        <div key={i} className="version" style={{ paddingLeft: (x.level - 2) * 16 }}>
          <span>{x.title}</span>{' '}
          <button
            type="button"
            className="ghost small"
            aria-label={`fork a ticket from ${x.title}`}
            onClick={() => fork(x.title, x.body)}
          >
            Fork ticket
          </button>
        </div>
      ))}
    </div>
  );
}

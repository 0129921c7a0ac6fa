import { useState } from 'react';
import type { TicketDetails, TicketRef } from './api';
import { navigate } from './router';
import { TicketPicker } from './TicketPicker';
import { useStore } from './store';

const KINDS: Array<[keyof TicketDetails, string, string]> = [
  ['blocks', 'Blocks', 'blocks'],
  ['blocked_by', 'Blocked by', 'blocked-by'],
  ['related', 'Related', 'related'],
  ['duplicates', 'Duplicates', 'duplicates'],
  ['duplicated_by', 'Duplicated by', 'duplicated-by'],
];

/** A ticket by id, titled from the store (it may be archived or deleted: then just the id). */
function IdLink({ id }: { id: string }) {
  const { tickets } = useStore();
  const t = tickets.get(id);
  return <RefLink r={t ?? { id, title: '' }} />;
}

/** What a list of the first 50 left out ("and 12 more"), or nothing. */
function More({ shown, total }: { shown: number; total: number | undefined }) {
  const more = (total ?? shown) - shown;
  return more > 0 ? <span className="muted">and {more} more</span> : null;
}

function RefLink({ r }: { r: TicketRef }) {
  return (
    <a className="ref" href={`/t/${r.id}`} onClick={(e) => (e.preventDefault(), navigate(`/t/${r.id}`))}>
      <span className="id">{r.short_id ?? r.id}</span> {r.title}{' '}
      {r.status && <span className="muted">· {r.status}</span>}
    </a>
  );
}

export function Relations({
  t,
  write,
  adding,
  setAdding,
}: {
  t: TicketDetails;
  write: (method: string, path: string, body?: unknown) => Promise<boolean>;
  /** The picker for a new relation is open (the page's palette opens it too). */
  adding: boolean;
  setAdding: (open: boolean) => void;
}) {
  const [kind, setKind] = useState('blocks');
  const parent = t.parent;
  return (
    <div className="relations">
      <h2 className="section-head">
        Relations{' '}
        <button type="button" className="ghost" onClick={() => setAdding(!adding)}>
          + Add
        </button>
      </h2>
      {parent && (
        <div className="rel">
          <span className="muted">Parent</span> <IdLink id={parent} />
        </div>
      )}
      {t.children.length > 0 && (
        <div className="rel">
          <span className="muted">Children</span>{' '}
          {t.children.map((id) => (
            <IdLink key={id} id={id} />
          ))}
          <More shown={t.children.length} total={t.relation_totals?.child} />
        </div>
      )}
      {KINDS.map(([key, name, k]) => {
        const list = (t[key] as string[]) ?? [];
        return list.length ? (
          <div className="rel" key={key}>
            <span className="muted">{name}</span>
            {list.map((id) => (
              <span key={id}>
                <IdLink id={id} />{' '}
                <button
                  type="button"
                  className="ghost x"
                  title="remove"
                  aria-label={`remove ${name} ${id}`}
                  onClick={() => write('DELETE', `/links/${k}/${encodeURIComponent(id)}`)}
                >
                  ×
                </button>
              </span>
            ))}
            <More shown={list.length} total={t.relation_totals?.[key]} />
          </div>
        ) : null;
      })}
      {t.links.length > 0 && (
        <div className="rel">
          <span className="muted">Links</span>{' '}
          {t.links.map((l) =>
            /^docs\//.test(l) ? (
              <a
                key={l}
                className="ref"
                href={`/docs/${l}`}
                onClick={(e) => (e.preventDefault(), navigate(`/docs/${l}`))}
              >
                {l}
              </a>
            ) : (
              <IdLink key={l} id={l} />
            ),
          )}
        </div>
      )}
      {t.backlinks.length > 0 && (
        <div className="rel">
          <span className="muted">Mentioned in</span>{' '}
          {t.backlinks.map((id) => (
            <IdLink key={id} id={id} />
          ))}
          <More shown={t.backlinks.length} total={t.backlinks_total} />
        </div>
      )}
      {adding && (
        <div className="rel-add">
          <select aria-label="relation kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {['blocks', 'blocked-by', 'related', 'duplicates', 'parent'].map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
          <TicketPicker
            onCancel={() => setAdding(false)}
            exclude={t.id}
            onPick={async (target) => {
              const ok =
                kind === 'parent'
                  ? await write('PATCH', '', { parent: target })
                  : await write('POST', '/links', { kind, target });
              if (ok) setAdding(false);
            }}
          />
        </div>
      )}
    </div>
  );
}

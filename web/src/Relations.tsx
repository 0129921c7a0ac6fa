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

function RefLink({ r }: { r: TicketRef }) {
  return <a className="ref" href={`/t/${r.id}`} onClick={(e) => (e.preventDefault(), navigate(`/t/${r.id}`))}><span className="id">{r.short_id ?? r.id}</span> {r.title} {r.status && <span className="muted">· {r.status}</span>}</a>;
}

export function Relations({ t, write }: { t: TicketDetails; write: (method: string, path: string, body?: unknown) => Promise<boolean> }) {
  const { tickets } = useStore();
  const [adding, setAdding] = useState(false);
  const [kind, setKind] = useState('blocks');
  const parent = t.parent;
  return (
    <div className="relations">
      <h3>Relations <button className="ghost" onClick={() => setAdding(!adding)}>+ Add</button></h3>
      {parent && <div className="rel"><span className="muted">Parent</span> <a className="ref" href={`/t/${parent}`} onClick={(e) => (e.preventDefault(), navigate(`/t/${parent}`))}>{parent}</a></div>}
      {t.children.length > 0 && <div className="rel"><span className="muted">Children</span> {t.children.map((r) => <RefLink key={r.id} r={r} />)}</div>}
      {KINDS.map(([key, name, k]) => {
        const list = (t[key] as TicketRef[]) ?? [];
        return list.length ? (
          <div className="rel" key={key}><span className="muted">{name}</span>
            {list.map((r) => <span key={r.id}><RefLink r={r} /> <button className="ghost x" title="remove" onClick={() => write('DELETE', `/links/${k}/${encodeURIComponent(r.id)}`)}>×</button></span>)}
          </div>) : null;
      })}
      {t.backlinks.length > 0 && <div className="rel"><span className="muted">Mentioned in</span> {t.backlinks.map((id) => <RefLink key={id} r={tickets.get(id) ?? { id, title: '' }} />)}</div>}
      {adding && (
        <div className="rel-add">
          <select aria-label="relation kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {['blocks', 'blocked-by', 'related', 'duplicates', 'parent'].map((k) => <option key={k}>{k}</option>)}
          </select>
          <TicketPicker exclude={t.id} onPick={async (target) => {
            const ok = kind === 'parent' ? await write('PATCH', '', { parent: target }) : await write('POST', '/links', { kind, target });
            if (ok) setAdding(false);
          }} />
        </div>
      )}
    </div>
  );
}

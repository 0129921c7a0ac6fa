import { useEffect, useMemo, useState } from 'react';
import { get, type Ticket } from './api';
import { onTicketChange, useStore } from './store';
import { navigate } from './router';
import { TicketRow } from './TicketRow';
import { useMe } from './useMe';
import { EmptyState, EmptyWithNewTicket } from './EmptyState';

const DONE = new Set(['completed', 'canceled']);

function Progress({ done, total }: { done: number; total: number }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <span className="progress" title={`${done} of ${total} done`}>
      <span style={{ width: `${pct}%` }} />
      <em>
        {done}/{total}
      </em>
    </span>
  );
}

/** My open work first (what a user opens the page for), then ready work (unblocked, unassigned or mine), epics and projects with progress. */
export function WorkPage() {
  const { tickets, schema } = useStore();
  const [ready, setReady] = useState<Ticket[]>([]);
  const me = useMe();
  useEffect(() => {
    const load = () => void get<Ticket[]>('/api/ready?limit=50').then(setReady);
    load();
    return onTicketChange(load);
  }, []);
  const all = useMemo(() => [...tickets.values()], [tickets]);
  const mine = useMemo(() => all.filter((t) => me && t.assignee === me && !DONE.has(t.category)), [all, me]);
  const epics = useMemo(
    () =>
      all
        .filter((t) => t.type === 'epic')
        .map((e) => {
          const kids = all.filter((t) => t.parent === e.id);
          return { e, done: kids.filter((k) => DONE.has(k.category)).length, total: kids.length };
        }),
    [all],
  );
  const projects = useMemo(() => {
    const by = new Map<string, { done: number; total: number }>();
    for (const t of all) {
      if (!t.project) continue;
      const p = by.get(t.project) ?? { done: 0, total: 0 };
      p.total++;
      if (DONE.has(t.category)) p.done++;
      by.set(t.project, p);
    }
    return [...by].sort(([a], [b]) => a.localeCompare(b));
  }, [all]);
  return (
    <div className="work-page">
      <h2>
        My work <span className="muted small">{me ? `assigned to ${me}` : ''}</span>
      </h2>
      <div data-testid="mine">
        {mine.map((t) => (
          <TicketRow key={t.id} t={t} selected={false} />
        ))}
        {!mine.length && <div className="muted">Nothing assigned to you.</div>}
      </div>
      <h2>
        Ready <span className="muted small">unblocked, unassigned or yours</span>
      </h2>
      <div data-testid="ready">
        {ready.map((t) => (
          <TicketRow key={t.id} t={tickets.get(t.id) ?? t} selected={false} />
        ))}
        {!ready.length && <EmptyWithNewTicket label="New ticket">Nothing ready.</EmptyWithNewTicket>}
      </div>
      <h2>Epics</h2>
      {epics.map(({ e, done, total }) => (
        <div key={e.id} className="progress-row" onClick={() => navigate(`/t/${e.id}`)}>
          <span className="id">{e.short_id}</span> <span className="grow">{e.title}</span>{' '}
          <Progress done={done} total={total} />
        </div>
      ))}
      {!epics.length &&
        (schema?.types.includes('epic') ? (
          <EmptyWithNewTicket label="New epic" type="epic">
            No epics: an epic gathers the tickets of one goal, its progress shown here.
          </EmptyWithNewTicket>
        ) : (
          <EmptyState>No epics.</EmptyState>
        ))}
      <h2>Projects</h2>
      {projects.map(([p, { done, total }]) => (
        <div key={p} className="progress-row">
          <span className="grow">{p}</span> <Progress done={done} total={total} />
        </div>
      ))}
      {!projects.length && <EmptyState>No projects: set a ticket's project and its progress shows here.</EmptyState>}
    </div>
  );
}

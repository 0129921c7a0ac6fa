import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from './store';
import { navigate, rememberList } from './router';
import { useKeys } from './keys';
import { groupRows, matchesText, narrowed, NO_FILTERS, queryOf } from './ticketOrder';
import { EmptyState, EmptyWithNewTicket } from './EmptyState';
import { TicketRow } from './TicketRow';
import { FilterBar, useUrlFilters } from './FilterBar';
import { useSearchHits } from './useSearchHits';
import { BulkBar } from './BulkBar';
import { Skeleton } from './Skeleton';

const ROW = 34;
let rememberedSelection: string | null = null;

export function ListView({ paused }: { paused: boolean }) {
  const { tickets, loaded, first } = useStore();
  const [f, setF] = useUrlFilters('/');
  rememberList(`/${queryOf(f)}`);
  const [picked, setSelectedId] = useState<string | null>(rememberedSelection);
  // Until every summary is in, the server's first screen of the unfiltered list.
  const preview = loaded ? null : first;
  const all = useMemo(() => (preview ? preview.tickets : [...tickets.values()]), [tickets, preview]);
  const hits = useSearchHits(f.text, f.state === '');
  const rows = useMemo(() => groupRows(all, f, hits), [all, f, hits]);
  const ticketIdx = useMemo(() => rows.flatMap((r, i) => (r.kind === 'ticket' ? [i] : [])), [rows]);
  // Until one is picked, the first ticket: part of the first render, not a second one.
  const firstRow = rows[ticketIdx[0]];
  const selectedId = picked ?? (firstRow?.kind === 'ticket' ? firstRow.ticket.id : null);
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  rememberedSelection = selectedId;
  // Rows picked for a bulk edit, and where the last pick was (a shift-click picks the range from there).
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const order = useMemo(() => rows.flatMap((r) => (r.kind === 'ticket' ? [r.ticket.id] : [])), [rows]);
  const toggle = (id: string) => {
    anchor.current = id;
    setChecked((c) => {
      const next = new Set(c);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  const orderRef = useRef(order);
  orderRef.current = order;
  const pickRange = useCallback((id: string) => {
    const ids = orderRef.current;
    const from = anchor.current ? ids.indexOf(anchor.current) : -1;
    const to = ids.indexOf(id);
    anchor.current = id;
    setSelectedId(id);
    const range = from < 0 ? [id] : ids.slice(Math.min(from, to), Math.max(from, to) + 1);
    setChecked((c) => new Set([...c, ...range]));
  }, []);
  // A ticket no longer listed (filtered out, deleted) is no longer picked.
  useEffect(() => {
    const shown = new Set(order);
    setChecked((c) => ([...c].every((id) => shown.has(id)) ? c : new Set([...c].filter((id) => shown.has(id)))));
  }, [order]);

  const sel = useMemo(
    () => rows.findIndex((r) => r.kind === 'ticket' && r.ticket.id === selectedId),
    [rows, selectedId],
  );
  const move = (d: number) => {
    if (!ticketIdx.length) return;
    const pos = ticketIdx.indexOf(sel);
    const next = ticketIdx[Math.max(0, Math.min(ticketIdx.length - 1, pos < 0 ? 0 : pos + d))];
    const r = rows[next];
    if (r.kind === 'ticket') setSelectedId(r.ticket.id);
    v.scrollToIndex(next, { align: 'auto' });
  };
  const keys: Record<string, () => void> = paused
    ? {}
    : {
        j: () => move(1),
        k: () => move(-1),
        ArrowDown: () => move(1),
        ArrowUp: () => move(-1),
        Enter: () => {
          // A row reached with Tab opens itself; otherwise the one j/k selected.
          const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.row')?.dataset.id;
          const id = focused ?? selectedId;
          if (id) navigate(`/t/${id}`);
        },
        '/': () => {
          document.getElementById('filter-text')?.focus();
        },
        x: () => {
          const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.row')?.dataset.id;
          const id = focused ?? selectedId;
          if (id) toggle(id);
        },
        Escape: () => setChecked(new Set()),
      };
  useKeys(keys);

  // A ticket with two labels shows in both label groups: count it once.
  const count = useMemo(() => new Set(rows.flatMap((r) => (r.kind === 'ticket' ? [r.ticket.id] : []))).size, [rows]);
  // A first screen's last group may go on past it: its size is not known yet.
  const openEnded =
    preview && preview.tickets.length < preview.total ? rows.findLast((r) => r.kind === 'group')?.key : undefined;
  if (preview && queryOf(f) !== '') return <Skeleton />;

  return (
    <div className="list-view">
      <FilterBar f={f} setF={setF} all={all} count={preview ? preview.total : count} />
      {checked.size > 0 && <BulkBar ids={order.filter((id) => checked.has(id))} clear={() => setChecked(new Set())} />}
      <div className="scroller" ref={scroller} data-testid="list">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = rows[item.index];
            return (
              <div
                key={item.key}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {r.kind === 'group' ? (
                  <div className={`group ${r.sub ? 'sub' : ''} ${r.category ? `cat-${r.category}` : ''}`}>
                    {r.name} <span className="muted">{r.key === openEnded ? '' : r.count}</span>
                  </div>
                ) : (
                  <TicketRow
                    t={r.ticket}
                    selected={r.ticket.id === selectedId}
                    checked={checked.has(r.ticket.id)}
                    onShiftClick={pickRange}
                    snippet={f.text && !matchesText(r.ticket, f.text) ? hits.get(r.ticket.id) : undefined}
                  />
                )}
              </div>
            );
          })}
        </div>
        {!count &&
          (narrowed(f) ? (
            <EmptyState
              action={{
                label: 'Clear filters',
                run: () => setF({ ...NO_FILTERS, sort: f.sort, group: f.group, sub: f.sub }),
              }}
            >
              No tickets match these filters.
            </EmptyState>
          ) : (
            <EmptyWithNewTicket label="New ticket">
              No open tickets. Make one here or with <kbd>c</kbd> from any page.
            </EmptyWithNewTicket>
          ))}
      </div>
    </div>
  );
}

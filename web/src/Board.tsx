import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, enc, ifMatch, type Ticket } from './api';
import { getState, putTicket, reloadAll, useStore } from './store';
import { BoardCard } from './BoardCard';
import { boardOrder, rankBefore } from './boardRank';
import { FilterBar, useUrlFilters } from './FilterBar';
import { useSearchHits } from './useSearchHits';
import { matches } from './ticketOrder';
import {
  BOARD_COLUMNS,
  type BoardColumns,
  boardColumnsOf,
  columnKeys,
  columnName,
  columnOf,
  type FoldChoices,
  isFolded,
  movedTo,
  PATCH_FIELD,
  parseFoldChoices,
  withFold,
} from './boardColumns';

const FOLDS_KEY = 'tack.board.folds';

/** The columns this browser folded or opened (a display preference, not part of a shared link). */
function useFolds(): [FoldChoices, (c: FoldChoices) => void] {
  const [folds, setFolds] = useState<FoldChoices>(() => parseFoldChoices(localStorage.getItem(FOLDS_KEY)));
  const keep = (c: FoldChoices) => {
    setFolds(c);
    localStorage.setItem(FOLDS_KEY, JSON.stringify(c));
  };
  return [folds, keep];
}

/** Cards shown per column before "show more": enough for a screen, few enough to render at once. */
const PAGE = 200;

/**
 * The states on the workflow's main path (not parked, not triage, backlog or canceled):
 * always a column, even empty, so there is somewhere to drop a card. Other states get a
 * column only while they hold cards.
 */
export function mainPath(state: { category: string; waiting?: boolean }): boolean {
  return ['unstarted', 'started', 'completed'].includes(state.category) && !state.waiting;
}

/**
 * Columns by state (or priority, assignee, type, project: `?group=` in the URL, as the list's
 * grouping); drag a card onto another card to put it just above that one, or onto a
 * column's free space to put it at the end of the ranked ones (one PATCH with If-Match: status and rank).
 */
export function Board() {
  const { tickets, schema } = useStore();
  // The list's filters (but not its state filter: the columns are the states), in the URL.
  const [f, setF] = useUrlFilters('/board');
  const hits = useSearchHits(f.text, false);
  const all = useMemo(() => [...tickets.values()], [tickets]);
  const [over, setOver] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Record<string, number>>({});
  // A card moved by keyboard re-renders in its new column: focus follows it there.
  const [focusId, setFocusId] = useState<string | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const [folds, setFolds] = useFolds();
  const by = boardColumnsOf(f.group);

  const columns = useMemo(() => {
    // Notes are the capture stream's, not work on the board.
    const shownF = { ...f, state: '*' };
    const cards = all.filter((t) => t.type !== 'note' && matches(t, shownF, hits));
    const cols = new Map<string, Ticket[]>(columnKeys(by, schema, cards, mainPath).map((k) => [k, []]));
    for (const t of cards) cols.get(columnOf(t, by))?.push(t);
    for (const list of cols.values()) list.sort(boardOrder);
    return cols;
  }, [all, schema, f, hits, by]);
  useEffect(() => {
    if (!focusId) return;
    document.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(focusId)}"]`)?.focus();
  }, [columns, focusId]);
  const keys = [...columns.keys()];
  // A card's move menu: every state (the board shows some only while they hold cards), else the columns.
  const menuKeys = by === 'state' ? (schema?.states ?? []).map((st) => st.name) : keys;
  const folded = (key: string) => isFolded(key, by, columns.get(key)?.length ?? 0, schema, folds);
  const fold = (key: string, on: boolean) => setFolds(withFold(folds, by, key, on));
  /** Shift+arrow: the card to the column beside, at its end (a folded one opens: focus follows the card). */
  const step = (t: Ticket, d: number) => {
    const next = keys[keys.indexOf(columnOf(t, by)) + d];
    if (!next) return;
    if (isFolded(next, by, (columns.get(next)?.length ?? 0) + 1, schema, folds)) fold(next, false);
    setFocusId(t.id);
    void move(t.id, next, undefined);
  };

  const move = async (id: string, key: string, beforeId: string | undefined) => {
    const t = tickets.get(id);
    if (!t || id === beforeId) return;
    const others = (columns.get(key) ?? []).filter((o) => o.id !== id);
    const rank = rankBefore(
      others,
      others.find((o) => o.id === beforeId),
    );
    const change = columnOf(t, by) === key ? { rank } : { [PATCH_FIELD[by]]: key, rank };
    putTicket({ ...movedTo(t, by, key, schema), rank }); // optimistic
    // Moves are sent one after another, each with the version the one before it answered:
    // a second move made before the first is answered would otherwise carry a stale If-Match.
    const sent = queue.current.then(() =>
      api<Ticket>('PATCH', `/api/tickets/${enc(id)}`, change, ifMatch(getState().tickets.get(id)?.version)),
    );
    queue.current = sent.catch(() => undefined);
    try {
      putTicket(await sent);
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'conflict'
          ? `${t.short_id} changed on the server meanwhile; the board shows its current state. Drag again to move it.`
          : (e as Error).message,
      );
      await reloadAll();
    }
  };

  return (
    <div className="board-wrap">
      <FilterBar f={f} setF={setF} all={all} count={[...columns.values()].reduce((n, l) => n + l.length, 0)} board />
      <label className="columns-by">
        Columns by{' '}
        <select
          aria-label="columns by"
          value={by}
          onChange={(e) => setF({ ...f, group: e.target.value as BoardColumns })}
        >
          {BOARD_COLUMNS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      {error && (
        <div className="error">
          {error}{' '}
          <button type="button" className="ghost" onClick={() => setError(null)}>
            dismiss
          </button>
        </div>
      )}
      <div className="board">
        {[...columns].map(([state, list]) => (
          <div
            key={state}
            className={`column ${over === state ? 'over' : ''} ${folded(state) ? 'folded' : ''}`}
            data-state={by === 'state' ? state : undefined}
            data-column={state}
            onDragEnter={(e) => (e.preventDefault(), setOver(state))}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
            }}
            onDragLeave={(e) => e.currentTarget.contains(e.relatedTarget as Node) || setOver(null)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(null);
              void move(
                e.dataTransfer.getData('text/plain'),
                state,
                (e.target as Element).closest<HTMLElement>('.card')?.dataset.id,
              );
            }}
          >
            {folded(state) ? (
              // Still a drop target (the column's handlers); the strip opens it.
              <button
                type="button"
                className="fold-strip"
                aria-expanded={false}
                aria-label={`${columnName(state, by)}, ${list.length} ${list.length === 1 ? 'card' : 'cards'}: show the column`}
                onClick={() => fold(state, false)}
              >
                <span className="fold-name">{columnName(state, by)}</span> <span className="muted">{list.length}</span>
              </button>
            ) : (
              <>
                <h2 className="column-head" id={`col-${state}`}>
                  <span className="column-name">{columnName(state, by)}</span>{' '}
                  <span className="muted">{list.length}</span>
                  <button
                    type="button"
                    className="ghost fold-button"
                    aria-expanded={true}
                    aria-label={`fold the column ${columnName(state, by)}`}
                    title="Fold this column"
                    onClick={() => fold(state, true)}
                  >
                    ⇤
                  </button>
                </h2>
                <div className="cards" role="list" aria-labelledby={`col-${state}`}>
                  {list.slice(0, shown[state] ?? PAGE).map((t) => (
                    <BoardCard
                      key={t.id}
                      t={t}
                      column={columnOf(t, by)}
                      columns={menuKeys}
                      name={(k) => columnName(k, by)}
                      step={(d) => step(t, d)}
                      moveTo={(k) => void move(t.id, k, undefined)}
                    />
                  ))}
                  {list.length > (shown[state] ?? PAGE) && (
                    <button
                      type="button"
                      className="ghost more"
                      onClick={() => setShown({ ...shown, [state]: (shown[state] ?? PAGE) + PAGE })}
                    >
                      Show {Math.min(PAGE, list.length - (shown[state] ?? PAGE))} more of{' '}
                      {list.length - (shown[state] ?? PAGE)}
                    </button>
                  )}
                </div>
              </>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

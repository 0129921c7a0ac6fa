import { useMemo, useState } from 'react';
import { Dialog } from './Dialog';
import { useStore } from './store';
import { navigate } from './router';
import type { Overlay } from './App';
import { pageActions } from './pageActions';
import { useSearchHits } from './useSearchHits';
import { Snippet } from './TicketRow';

interface Item {
  key: string;
  label: string;
  hint?: string;
  /** Where the full-text search found it. */
  snippet?: string;
  run: () => void;
}

const TICKETS = 20;

/** Cmd/Ctrl-K: every action and every ticket, by typing a few letters. */
export function Palette({ close, open }: { close: () => void; open: (o: Overlay) => void }) {
  const { tickets } = useStore();
  const [q, setQ] = useState('');
  const [i, setI] = useState(0);
  // Descriptions, comments and aliases, from the server: listed after the title matches as they arrive.
  const hits = useSearchHits(q, false);
  const go = (p: string) => () => (close(), navigate(p));
  const actions: Item[] = [
    { key: 'a:create', label: 'Create ticket', hint: 'c', run: () => open('create') },
    { key: 'a:list', label: 'Go to issues', run: go('/') },
    { key: 'a:board', label: 'Go to board', run: go('/board') },
    { key: 'a:capture', label: 'Go to capture', run: go('/capture') },
    { key: 'a:docs', label: 'Go to docs', run: go('/docs') },
    { key: 'a:work', label: 'Go to my work (ready, mine, epics, projects)', run: go('/work') },
    { key: 'a:graph', label: 'Go to graphs (dependencies, commits)', run: go('/graph') },
    { key: 'a:help', label: 'Show keyboard shortcuts', hint: '?', run: () => open('help') },
  ];
  const items = useMemo(() => {
    const s = q.toLowerCase().trim();
    // Run once the palette has closed and given focus back, so an action that focuses a field keeps it there.
    const here: Item[] = pageActions().map((a) => ({ ...a, run: () => (close(), setTimeout(a.run, 0)) }));
    const acts = [...here, ...actions].filter((a) => !s || a.label.toLowerCase().includes(s));
    const ts: Item[] = [];
    if (s) {
      for (const t of tickets.values()) {
        if (t.title.toLowerCase().includes(s) || t.id.startsWith(s))
          ts.push({ key: t.id, label: t.title, hint: t.short_id, run: go(`/t/${t.id}`) });
        if (ts.length >= TICKETS) break;
      }
      for (const [id, snippet] of hits) {
        const t = tickets.get(id);
        if (ts.length >= 2 * TICKETS) break;
        if (t && !ts.some((x) => x.key === id))
          ts.push({ key: id, label: t.title, hint: t.short_id, snippet, run: go(`/t/${id}`) });
      }
    }
    return [...acts, ...ts];
  }, [q, tickets, hits]);
  return (
    <Dialog label="command palette" className="dialog palette" close={close}>
      <input
        aria-label="command"
        autoFocus
        placeholder="Type a command or a ticket…"
        value={q}
        onChange={(e) => (setQ(e.target.value), setI(0))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') e.preventDefault(), setI(Math.min(items.length - 1, i + 1));
          else if (e.key === 'ArrowUp') e.preventDefault(), setI(Math.max(0, i - 1));
          else if (e.key === 'Enter') e.preventDefault(), items[i]?.run();
        }}
      />
      <div className="palette-list">
        {items.map((it, n) => (
          <div
            key={it.key}
            className={`palette-item ${n === i ? 'selected' : ''}`}
            onMouseEnter={() => setI(n)}
            onMouseDown={(e) => (e.preventDefault(), it.run())}
          >
            <span className="palette-label">
              {it.label}
              {it.snippet && <Snippet text={it.snippet} />}
            </span>
            {it.hint && <kbd>{it.hint}</kbd>}
          </div>
        ))}
      </div>
    </Dialog>
  );
}

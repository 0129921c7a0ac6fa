import { useEffect, useMemo, useState } from 'react';
import { enc, get, type Change, type Provenance, type TicketDetails } from './api';
import { lineDiff } from './diff';
import { relationChanges, relationFields, ticketText } from './historyText';
import { useStore } from './store';
import { When } from './When';

interface Version {
  commit: string;
  time: string;
  author: string;
  subject: string;
  fields: string[];
  /** "added blocks tk-… (title)": what the commit did to relations, which a field name does not say. */
  relations: string[];
  provenance?: Provenance | null;
}

/** "agent NAME via HARNESS, MODEL" for a change an agent made; nothing for a person. */
function agentLabel(p: Provenance | null | undefined): string {
  if (p?.actor !== 'agent') return '';
  const who = ['agent', p.agent, p.harness && `via ${p.harness}`].filter(Boolean).join(' ');
  return p.model ? `${who}, ${p.model}` : who;
}

/** Versions from `log` (one per commit); any two are compared with `show --at`. */
export function HistoryPanel({ t, version }: { t: TicketDetails; version?: string }) {
  const id = t.id;
  const { tickets } = useStore();
  const related = relationFields(t);
  const [changes, setChanges] = useState<Change[]>([]);
  const [pair, setPair] = useState<[string, string] | null>(null);
  const [texts, setTexts] = useState<[string, string] | null>(null);
  useEffect(() => {
    void get<{ changes: Change[] }>(`/api/tickets/${enc(id)}/history?limit=500`).then((r) => setChanges(r.changes));
  }, [id, version]);
  const versions = useMemo(() => {
    const byCommit = new Map<string, Version>();
    for (const c of changes) {
      const v = byCommit.get(c.commit) ?? {
        commit: c.commit,
        time: c.time,
        author: c.author,
        subject: c.subject,
        fields: [],
        relations: [],
        provenance: c.provenance,
      };
      v.fields.push(c.field);
      if (related.has(c.field))
        v.relations.push(...relationChanges(c, (x) => tickets.get(x)?.title ?? t.refs?.[x]?.title));
      byCommit.set(c.commit, v);
    }
    return [...byCommit.values()].reverse(); // newest first
  }, [changes, tickets]);
  useEffect(() => {
    if (!pair) return setTexts(null);
    void Promise.all(pair.map((c) => get<TicketDetails>(`/api/tickets/${enc(id)}?at=${c}`).then(ticketText))).then(
      ([a, b]) => setTexts([a, b]),
    );
  }, [pair?.join()]);
  const diff = useMemo(() => (texts ? lineDiff(texts[0], texts[1]) : []), [texts]);

  return (
    <div className="history">
      <h2 className="section-head">
        History <span className="muted small">pick two versions to compare</span>
      </h2>
      {versions.map((v, i) => (
        <div key={v.commit} className="version">
          <input
            type="radio"
            name="from"
            aria-label={`from ${i}`}
            checked={pair?.[0] === v.commit}
            onChange={() => setPair([v.commit, pair?.[1] ?? versions[0].commit])}
          />
          <input
            type="radio"
            name="to"
            aria-label={`to ${i}`}
            checked={pair?.[1] === v.commit}
            onChange={() => setPair([pair?.[0] ?? versions[Math.min(i + 1, versions.length - 1)].commit, v.commit])}
          />
          <code>{v.commit.slice(0, 8)}</code> <span>{v.subject}</span>{' '}
          <span className="muted small">
            {v.author} · <When iso={v.time} /> · {v.fields.join(', ')}
          </span>
          {agentLabel(v.provenance) && (
            <span className="muted small" data-testid="actor">
              {' '}
              · {agentLabel(v.provenance)}
            </span>
          )}
          {v.relations.length > 0 && (
            <ul className="rel-changes small">
              {v.relations.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
          {i < versions.length - 1 && (
            <button type="button" className="ghost small" onClick={() => setPair([versions[i + 1].commit, v.commit])}>
              diff
            </button>
          )}
        </div>
      ))}
      {texts && (
        <pre className="diff" data-testid="diff">
          {diff.map((l, i) => (
            <div key={i} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : ''}>
              {l.op} {l.text}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}

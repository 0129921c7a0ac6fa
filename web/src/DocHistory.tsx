import { useEffect, useMemo, useState } from 'react';
import { enc, get } from './api';
import { lineDiff } from './diff';
import { When } from './When';

interface Version {
  commit: string;
  time: string;
  author: string;
  subject: string;
  blob: string | null;
}

/** Every committed version of a doc (`docs-log`); any two compared (`docs-show --at`). */
export function DocHistory({ path, blob }: { path: string; blob: string }) {
  const [versions, setVersions] = useState<Version[]>([]);
  const [pair, setPair] = useState<[string, string] | null>(null);
  const [texts, setTexts] = useState<[string, string] | null>(null);
  useEffect(
    () => void get<{ versions: Version[] }>(`/api/docs-log?path=${enc(path)}`).then((r) => setVersions(r.versions)),
    [path, blob],
  );
  useEffect(() => {
    if (!pair) return setTexts(null);
    const body = (c: string) =>
      get<{ body: string }>(`/api/docs-show?path=${enc(path)}&at=${c}`).then(
        (d) => d.body,
        () => '',
      );
    void Promise.all(pair.map(body)).then(([a, b]) => setTexts([a, b]));
  }, [pair?.join()]);
  const diff = useMemo(() => (texts ? lineDiff(texts[0], texts[1]) : []), [texts]);
  return (
    <div className="history">
      <h3>Versions</h3>
      {versions.map((v, i) => (
        <div key={v.commit} className="version">
          <code>{v.commit.slice(0, 8)}</code> {v.subject}{' '}
          <span className="muted small">
            {v.author} · <When iso={v.time} />
          </span>
          {i < versions.length - 1 && (
            <button type="button" className="ghost small" onClick={() => setPair([versions[i + 1].commit, v.commit])}>
              diff with previous
            </button>
          )}
          {i > 0 && (
            <button type="button" className="ghost small" onClick={() => setPair([v.commit, versions[0].commit])}>
              diff with latest
            </button>
          )}
        </div>
      ))}
      {texts && (
        <pre className="diff" data-testid="doc-diff">
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

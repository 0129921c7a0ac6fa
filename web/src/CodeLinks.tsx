import type { TicketDetails } from './api';

/** The code commits and branches that mention the ticket (`tack commits scan`), and where it was completed. */
export function CodeLinks({ t }: { t: TicketDetails }) {
  if (!t.commits.length && !t.branches.length && !t.done_at) return null;
  return (
    <div className="code-links" data-testid="code-links">
      <h2 className="section-head">Code</h2>
      {t.done_at && (
        <div className="small">
          Done at <code className="commit">{t.done_at.commit}</code>
          {t.done_at.branch && (
            <>
              {' '}
              on <code className="branch">{t.done_at.branch}</code>
            </>
          )}
        </div>
      )}
      {t.commits.length > 0 && (
        <div className="small">
          Commits{' '}
          {t.commits.map((c) => (
            <code key={c} className="commit">
              {c}
            </code>
          ))}
        </div>
      )}
      {t.branches.length > 0 && (
        <div className="small">
          Branches{' '}
          {t.branches.map((b) => (
            <code key={b} className="branch">
              {b}
            </code>
          ))}
        </div>
      )}
    </div>
  );
}

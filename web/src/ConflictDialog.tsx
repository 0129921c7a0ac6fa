import { Dialog } from './Dialog';
import type { Conflict } from './useTicket';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A 409: this page's change and the server's current ticket side by side; the user keeps one. */
export function ConflictDialog({
  conflict,
  keepMine,
  keepTheirs,
}: {
  conflict: Conflict;
  mineDescription: string | null;
  keepMine: () => void;
  keepTheirs: () => void;
}) {
  const fields = Object.keys(conflict.mine);
  const theirs = conflict.theirs as unknown as Record<string, unknown>;
  return (
    <Dialog label="conflict" className="dialog wide">
      <h2>This ticket changed while you were editing</h2>
      <p className="muted">Someone else saved {conflict.theirs.id} first. Keep your version, or theirs.</p>
      <div className="versions">
        <div>
          <h4>Yours</h4>
          {fields.map((f) => (
            <div key={f}>
              <b>{f}</b>
              <pre>{show(conflict.mine[f])}</pre>
            </div>
          ))}
        </div>
        <div>
          <h4>Theirs (now on the server)</h4>
          {fields.map((f) => {
            const k = f === 'add_label' || f === 'remove_label' ? 'labels' : f;
            return (
              <div key={f}>
                <b>{k}</b>
                <pre>{show(theirs[k])}</pre>
              </div>
            );
          })}
        </div>
      </div>
      <div className="buttons">
        <button type="button" onClick={keepMine}>
          Keep mine
        </button>{' '}
        <button type="button" className="ghost" onClick={keepTheirs}>
          Keep theirs
        </button>
      </div>
    </Dialog>
  );
}

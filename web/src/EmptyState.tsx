import { type ReactNode, useState } from 'react';
import { CreateDialog } from './CreateDialog';

/** What an empty page or section says, with the one thing to do about it. */
export function EmptyState({ children, action }: { children: ReactNode; action?: { label: string; run: () => void } }) {
  return (
    <div className="empty-state muted">
      <span>{children}</span>
      {action && (
        <button type="button" onClick={action.run}>
          {action.label}
        </button>
      )}
    </div>
  );
}

/** An empty section whose action makes a ticket (of `type`, when given) in the create dialog. */
export function EmptyWithNewTicket({ children, label, type }: { children: ReactNode; label: string; type?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <EmptyState action={{ label, run: () => setOpen(true) }}>{children}</EmptyState>
      {open && <CreateDialog type={type} close={() => setOpen(false)} />}
    </>
  );
}

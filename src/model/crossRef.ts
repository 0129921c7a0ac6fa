/**
 * A reference to a ticket of another store of a workspace, as written in front matter
 * (`blocks: [planning:tk-3fa9]`) and typed on the command line. The store name is a hint
 * (names are per machine); the id is global, so a reader that does not know the name
 * still finds the ticket by id in any store of its workspace.
 */
export interface CrossRef {
  store: string;
  id: string;
}

const CROSS = /^([A-Za-z][A-Za-z0-9_.-]{0,39}):\+?([a-z][a-z0-9]{0,9}-[0-9a-z]+)$/;

export function parseCrossRef(s: string): CrossRef | null {
  const m = CROSS.exec(s.trim());
  return m ? { store: m[1], id: m[2] } : null;
}

export function isCrossRef(s: string): boolean {
  return CROSS.test(s.trim());
}

export function formatCrossRef(store: string, id: string): string {
  return `${store}:${id}`;
}

/**
 * What a pass proves about the remote items it read: each is mirrored by a ticket, or
 * left out on purpose (its ticket was deleted here, it is not an issue), or missing, and
 * then one of the pass's errors says why.
 */
export interface Reconciliation {
  /** Distinct remote issues the pass read (deletion notices not counted). */
  seen: number;
  /** Of those, how many have a ticket here after the pass. */
  mirrored: number;
  /** Of those, how many are not imported because their ticket was deleted here. */
  deletedHere: number;
  /** Items the service listed that are no issues (GitHub's pull requests). */
  skipped: number;
  /** Of those, how many are not linked and left out by the connection's `--pull-filter`. */
  outOfScope: number;
  /** Seen, yet neither mirrored, deleted here nor out of scope: the pass failed them (see `errors`). */
  missing: number;
}

export class ReconciliationTally {
  private readonly seen = new Set<string>();
  private readonly declined = new Set<string>();
  private readonly skipped = new Set<string>();
  private readonly outside = new Set<string>();

  read(id: string, deleted: boolean): void {
    if (!deleted) this.seen.add(id);
  }

  /** Not imported on purpose: the ticket it would become was deleted here. */
  decline(id: string): void {
    this.declined.add(id);
  }

  /** Not imported on purpose: not linked, and outside the connection's inbound scope. */
  leaveOut(id: string): boolean {
    const first = !this.outside.has(id);
    this.outside.add(id);
    return first;
  }

  skip(ids: readonly string[]): void {
    for (const id of ids) this.skipped.add(id);
  }

  count(mirrors: (remoteId: string) => boolean): Reconciliation {
    let mirrored = 0;
    let deletedHere = 0;
    let outOfScope = 0;
    for (const id of this.seen) {
      if (mirrors(id)) mirrored++;
      else if (this.declined.has(id)) deletedHere++;
      else if (this.outside.has(id)) outOfScope++;
    }
    const seen = this.seen.size;
    const missing = seen - mirrored - deletedHere - outOfScope;
    return { seen, mirrored, deletedHere, skipped: this.skipped.size, outOfScope, missing };
  }
}

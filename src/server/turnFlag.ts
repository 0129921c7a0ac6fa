/**
 * A flag that holds until the end of the current turn of the event loop. What a request
 * found out (the index is fresh, the local settings are read) stays true for the questions
 * it, and the requests handled in the same turn, ask next; the next turn asks again. Nothing
 * another process does between two questions of one turn could be seen by both anyway: the
 * turn answers from the state it found.
 */
export class TurnFlag {
  private on = false;

  get isSet(): boolean {
    return this.on;
  }

  set(): void {
    if (this.on) return;
    this.on = true;
    setImmediate(() => {
      this.on = false;
    });
  }
}

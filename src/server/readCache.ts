/**
 * Answers of cacheable read operations (see OpDef.cacheable), kept as JSON text until the
 * index changes: a live UI asks the same questions again and again, and an aggregate over
 * 10,000 tickets costs milliseconds each time. Keyed by the index generation, so a change
 * from any process (CLI, git pull, another server) empties it.
 */
export interface CachedAnswer {
  json: string;
  etag?: string;
  /** Headers that belong to the answer (a page's size and next page). */
  headers?: Record<string, string>;
  /** Its gzip, made once for every client that accepts it (see sendCached). */
  gzip?: Promise<Uint8Array>;
}

export class ReadCache {
  private generation = '';
  private entries = new Map<string, CachedAnswer>();

  constructor(private readonly maxEntries = 500) {}

  get(generation: string, key: string): CachedAnswer | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return undefined;
    }
    return this.entries.get(key);
  }

  set(generation: string, key: string, answer: CachedAnswer): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, answer);
  }
}

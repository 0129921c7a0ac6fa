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

/**
 * What the cache may hold, in JSON characters: a screenful's answer is a few KB, every summary
 * of 10,000 tickets (the web UI's first load) 4 MB, and of 100,000 (streamed, never kept) 30.
 * An answer over a quarter of it is not kept, so asking again and again with another offset
 * cannot fill the server's memory.
 */
const MAX_CHARS = 64 * 1024 * 1024;

export class ReadCache {
  private generation = '';
  private entries = new Map<string, CachedAnswer>();
  private chars = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxChars = MAX_CHARS,
  ) {}

  get(generation: string, key: string): CachedAnswer | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.chars = 0;
      this.generation = generation;
      return undefined;
    }
    return this.entries.get(key);
  }

  set(generation: string, key: string, answer: CachedAnswer): void {
    if (generation !== this.generation || answer.json.length > this.maxChars / 4) return;
    this.drop(key);
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.maxEntries || this.chars + answer.json.length > this.maxChars)
    )
      this.drop(this.entries.keys().next().value!);
    this.entries.set(key, answer);
    this.chars += answer.json.length;
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.chars -= old.json.length;
  }
}

/** Pieces joined before a write: a write a ticket would be 100,000 system calls for a large export. */
const WRITE_BYTES = 64 * 1024;

/** The pieces of a text, joined into writes of about WRITE_BYTES characters. */
export function* writeSized(chunks: Iterable<string>): Generator<string> {
  let held: string[] = [];
  let size = 0;
  for (const c of chunks) {
    held.push(c);
    size += c.length;
    if (size >= WRITE_BYTES) {
      yield held.join('');
      held = [];
      size = 0;
    }
  }
  if (size) yield held.join('');
}

/**
 * An answer whose text is written as it is made (an export of 100,000 tickets is never held
 * whole): `head`'s keys, then `key` holding the text. The terminal decides how it is shown.
 */
export class StreamedAnswer {
  constructor(
    readonly head: Record<string, unknown>,
    readonly key: string,
    readonly chunks: Iterable<string>,
  ) {}

  /** `--json`: the very text `JSON.stringify(answer, null, 2)` gives, the text escaped a piece at a time. */
  writeJson(write: (text: string) => void): void {
    const empty = JSON.stringify({ ...this.head, [this.key]: '' }, null, 2);
    const cut = empty.lastIndexOf('""') + 1;
    write(empty.slice(0, cut));
    // Pieces are whole lines, so no surrogate pair is split between two of them.
    for (const piece of writeSized(this.chunks)) write(JSON.stringify(piece).slice(1, -1));
    write(`${empty.slice(cut)}\n`);
  }

  /** Plain output to a file or a pipe: the text as it is, byte for byte. */
  writeText(write: (text: string) => void): void {
    for (const piece of writeSized(this.chunks)) write(piece);
  }

  /** The whole answer (a terminal pages it and shows its control characters escaped). */
  whole(): Record<string, unknown> {
    return { ...this.head, [this.key]: [...this.chunks].join('') };
  }
}

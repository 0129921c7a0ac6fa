import { batches } from '../model/batches.js';
import { TackError } from '../model/errors.js';
import type { OpContext } from '../ops/op.js';
import type { PageInfo } from '../ops/page.js';
import type { WholeRows } from '../ops/runOp.js';
import { withVersions } from './preparedAnswer.js';

/*
 * A read asked for all of its answer (`?limit=0`), sent from the read lane's child to the
 * server a part at a time and from the server to the client as it comes: 100,000 tickets are
 * 30 MB of JSON, which neither process then holds whole. The child sends `head` (the page:
 * the count comes first, for the headers), then `part`s of JSON text, each once the server
 * has taken the last (`ack`), then its plain reply, which ends the answer.
 */

export interface ReplyHead {
  seq: number;
  head: { page: PageInfo };
}

export interface ReplyPart {
  seq: number;
  part: string;
}

/** From the server to the child: the last part was taken, send the next. */
export interface ReplyAck {
  ack: number;
}

/** How long a part may wait for the client by default (the server passes its request deadline). */
const STALL_MS = 10_000;

/** Characters of JSON a part carries (the last may be shorter); tests make parts small with TACK_STREAM_PART_CHARS. */
const PART_CHARS = Number(process.env.TACK_STREAM_PART_CHARS) || 256 * 1024;

/**
 * Answers of fewer rows are sent whole, as text the server keeps in its read cache: the web
 * UI asks for every summary on each load (4 MB at 10,000 tickets), and a cached answer is
 * sent, gzipped once, in milliseconds. Tests stream from fewer with TACK_STREAM_ROWS.
 */
export const STREAM_ROWS = Number(process.env.TACK_STREAM_ROWS) || 20_000;
/** Rows whose versions one query looks up. */
const VERSION_BATCH = 500;

/**
 * The child's side: `rows` (`total` of them, counted first) as the JSON text of their array
 * (what `JSON.stringify` gives the array, with each row's version), a part at a time; `taken`
 * settles when the server took the last part sent.
 */
export async function sendRows(
  ctx: OpContext,
  seq: number,
  rows: WholeRows,
  total: number,
  send: (m: ReplyHead | ReplyPart) => void,
  taken: () => Promise<void>,
): Promise<void> {
  const shown = Math.max(0, total - rows.offset);
  send({ seq, head: { page: { total, offset: rows.offset, limit: null, shown } } });
  const db = (await ctx.index()).db;
  let held: string[] = ['['];
  let size = 1;
  let first = true;
  for (const batch of batches(rows.source.read(undefined, rows.offset), VERSION_BATCH)) {
    withVersions(db, batch);
    for (const row of batch) {
      const text = `${first ? '' : ','}${JSON.stringify(row)}`;
      first = false;
      held.push(text);
      size += text.length;
      if (size < PART_CHARS) continue;
      send({ seq, part: held.join('') });
      held = [];
      size = 0;
      await taken();
    }
  }
  held.push(']');
  send({ seq, part: held.join('') });
  await taken();
}

/**
 * The server's side: the parts of one answer as they come, an async iterable read once. A
 * part is acknowledged when it is taken, so the child makes the next while this one is
 * written; an answer left unread (the client went away) is cancelled, which stops the child.
 */
export class StreamedReply implements AsyncIterable<string> {
  private readonly parts: string[] = [];
  private finished = false;
  private error: unknown = null;
  private wake: (() => void) | null = null;
  private stall: NodeJS.Timeout | null = null;

  /**
   * `stallMs`: a part left untaken this long (a client that stopped reading) cancels the
   * answer, or the read lane would wait on it for good while every other read waits behind.
   */
  constructor(
    readonly page: PageInfo,
    private readonly ack: () => void,
    private readonly cancel: () => void,
    private readonly stallMs = STALL_MS,
  ) {}

  push(part: string): void {
    this.parts.push(part);
    this.stall ??= setTimeout(() => {
      this.stall = null;
      this.fail(new TackError('timeout', `the client took no part of the answer for ${this.stallMs} ms`));
      this.cancel();
    }, this.stallMs);
    this.notify();
  }

  end(): void {
    this.finished = true;
    this.notify();
  }

  fail(e: unknown): void {
    this.error ??= e;
    this.finished = true;
    this.clearStall();
    this.notify();
  }

  private clearStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = null;
  }

  get done(): boolean {
    return this.finished;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    try {
      for (;;) {
        if (this.error) throw this.error;
        const part = this.parts.shift();
        if (part !== undefined) {
          this.clearStall();
          this.ack();
          yield part;
        } else if (this.finished) return;
        else await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      if (!this.finished) this.cancel();
    }
  }

  /**
   * As a web stream of bytes, for a Response body. An answer that fails part way is handed to
   * `cut`, which ends the connection (true) so the client sees a transfer cut short, never a
   * body that looks whole; if it cannot, the stream fails.
   */
  toStream(cut: (e: unknown) => boolean = () => false): ReadableStream<Uint8Array> {
    const parts = this[Symbol.asyncIterator]();
    const utf8 = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        let next: IteratorResult<string>;
        try {
          next = await parts.next();
        } catch (e) {
          if (cut(e)) controller.close();
          else controller.error(e);
          return;
        }
        if (next.done) controller.close();
        else controller.enqueue(utf8.encode(next.value));
      },
      async cancel() {
        await parts.return(undefined);
      },
    });
  }
}

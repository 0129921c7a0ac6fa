import { monotonicMs } from '../model/monotonic.js';
import { TackError } from '../model/errors.js';
import type { OpReply, OpRequest } from './opProcess.js';
import { forkOp, killTree, type OpChild } from './opChild.js';
import { OneATurn } from './oneATurn.js';
import { StreamedReply, type ReplyAck, type ReplyHead, type ReplyPart } from './streamedReply.js';
import { notRunWhileStopping, settledWithin } from './stopSignal.js';

/**
 * A long-lived child that runs the requests it is sent one after the other, in arrival
 * order. The server's local writes run in one (the write lane), so their git work and lock
 * waits never hold the event loop. A request past its deadline abandons its answer, never
 * its write (one commit, or none). If the child dies, the requests it had not answered fail
 * (`internal`: a write may or may not be in git, as with a crash) and the next request
 * starts a new child. Reads that run git, and index refreshes, have lanes of their own so
 * they never wait behind writes, nor writes behind them.
 *
 * A `stoppable` lane (reads: nothing to leave half done) hands its child one request at a
 * time, so a request past its deadline is stopped, not only abandoned: the child is killed
 * if it is running it (a new one takes the next request), and one still queued never runs.
 */
export class Lane {
  private child: OpChild | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  /** Stoppable lanes: requests not yet handed to the child, and the one it runs. */
  private readonly queued: Array<{ seq: number; req: OpRequest }> = [];
  private inFlight: number | null = null;
  /** The deadline of the request the child runs: a streamed answer's parts wait no longer for the client. */
  private inFlightWait: number | undefined;
  /** Answers are handed to their requests one per turn of the event loop (OneATurn). */
  private readonly answers = new OneATurn();
  /** Callers of nextAnswer, woken by the next reply (or the child's end). */
  private answered: Array<() => void> = [];
  /** Closing or closed: what is sent now is refused. */
  private closed = false;
  /** Answers coming a part at a time (streamedReply.ts), by request. */
  private readonly streams = new Map<number, StreamedReply>();

  constructor(private readonly stoppable: boolean) {}

  /** Settles when the child next answers; null when nothing sent to it is unanswered. */
  nextAnswer(): Promise<void> | null {
    if (this.waiting.size === 0) return null;
    return new Promise((resolve) => this.answered.push(resolve));
  }

  private wakeWaiters(): void {
    const woken = this.answered;
    this.answered = [];
    for (const wake of woken) wake();
  }

  private start(): OpChild {
    const child = forkOp({ ...process.env, TACK_OP_WORKER: '1' }, 'inherit');
    child.on('message', (message: OpReply | ReplyHead | ReplyPart) => {
      if (this.streamed(child, message)) return;
      const m = message as OpReply;
      const w = m.seq === undefined ? undefined : this.waiting.get(m.seq);
      if (m.seq !== undefined && m.seq === this.inFlight) this.inFlight = null;
      if (w && m.seq !== undefined) {
        this.waiting.delete(m.seq);
        // A batch of answers goes out one a turn: reads that came meanwhile go in between.
        this.answers.run(() => {
          if ('result' in m) w.resolve(m.result);
          else w.reject(new TackError(m.error.code as never, m.error.message, m.error.details));
        });
      }
      this.wakeWaiters();
      this.pump();
    });
    const lost = (why: string) => {
      if (this.child !== child) return; // stopped on purpose: its requests went elsewhere
      this.child = null;
      this.inFlight = null;
      this.failStreams(new TackError('internal', `the server's worker process ended (${why}) mid-answer`));
      const sent = this.stoppable
        ? [...this.waiting.keys()].filter((s) => !this.queued.some((q) => q.seq === s))
        : null;
      for (const [seq, w] of this.waiting) {
        if (sent && !sent.includes(seq)) continue;
        w.reject(new TackError('internal', `the server's worker process ended (${why}) before answering`));
        this.waiting.delete(seq);
      }
      this.wakeWaiters();
      this.pump();
    };
    child.once('exit', (code, sig) => lost(sig ?? `exit ${code}`));
    child.once('error', (e) => lost(e.message));
    return child;
  }

  /**
   * A part of an answer that comes a part at a time: its head answers the request with a
   * StreamedReply, its parts go to it, and the child's reply ends it. False for other messages.
   */
  private streamed(child: OpChild, m: OpReply | ReplyHead | ReplyPart): boolean {
    const seq = m.seq;
    if (seq === undefined) return false;
    if ('head' in m) {
      const w = this.waiting.get(seq);
      this.waiting.delete(seq);
      const reply = new StreamedReply(
        m.head.page,
        () => child.connected && child.send({ ack: seq } satisfies ReplyAck),
        () => this.stopStream(seq),
        this.inFlightWait,
      );
      this.streams.set(seq, reply);
      if (w) this.answers.run(() => w.resolve(reply));
      else this.stopStream(seq); // abandoned meanwhile
      return true;
    }
    const reply = this.streams.get(seq);
    if (!reply) return 'part' in m;
    if ('part' in m) reply.push(m.part);
    else {
      this.streams.delete(seq);
      if ('error' in m) reply.fail(new TackError(m.error.code as never, m.error.message, m.error.details));
      else reply.end();
      if (seq === this.inFlight) this.inFlight = null;
      this.wakeWaiters();
      this.pump();
    }
    return true;
  }

  /** A streamed answer no one reads any more (the client went away, its deadline passed): its child is stopped. */
  private stopStream(seq: number): void {
    const reply = this.streams.get(seq);
    if (!reply) return;
    this.streams.delete(seq);
    reply.fail(new TackError('timeout', 'the answer was abandoned before its end'));
    if (this.inFlight === seq) {
      this.kill();
      this.pump();
    }
  }

  private failStreams(e: TackError): void {
    for (const reply of this.streams.values()) reply.fail(e);
    this.streams.clear();
  }

  /** Stoppable lanes: hand the child the next request once it has answered the last. */
  private pump(): void {
    if (!this.stoppable || this.inFlight !== null) return;
    const next = this.queued.shift();
    if (!next) return;
    this.inFlight = next.seq;
    this.inFlightWait = next.req.maxWaitMs;
    this.child ??= this.start();
    this.child.send({ ...next.req, seq: next.seq });
  }

  run(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
    signal?.throwIfAborted();
    if (this.closed) return Promise.reject(notRunWhileStopping(req.name));
    const seq = ++this.seq;
    const answer = new Promise((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    if (this.stoppable) {
      this.queued.push({ seq, req });
      this.pump();
    } else {
      this.child ??= this.start();
      this.child.send({ ...req, seq });
    }
    if (!signal) return answer;
    // Past the deadline the client is answered; a write goes on in its turn, a read is stopped.
    return Promise.race([
      answer,
      new Promise((_, reject) =>
        signal.addEventListener(
          'abort',
          () => {
            this.abandon(seq);
            reject(signal.reason ?? new TackError('timeout', `${req.name} timed out`));
          },
          { once: true },
        ),
      ),
    ]);
  }

  private abandon(seq: number): void {
    if (this.streams.has(seq)) {
      this.stopStream(seq);
      return;
    }
    if (!this.stoppable || !this.waiting.delete(seq)) return;
    const at = this.queued.findIndex((q) => q.seq === seq);
    if (at >= 0) this.queued.splice(at, 1);
    else if (this.inFlight === seq) {
      // The child runs it: kill the child (the others wait in `queued`), a new one goes on.
      this.kill();
      this.pump();
    }
  }

  private kill(): void {
    const child = this.child;
    this.child = null;
    this.inFlight = null;
    this.failStreams(new TackError('unavailable', 'the answer was stopped before its end'));
    if (child) killTree(child);
  }

  /**
   * The server stops. A stoppable lane (reads) is stopped at once: it leaves nothing half
   * done. The write lane's child first finishes the writes it has begun and answers them,
   * within `graceMs`: killed after its commit, a write lands unanswered, and a client that
   * sends it again makes it twice. The writes it has not begun are refused (`unavailable`).
   */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    if (!this.stoppable && this.child?.connected && this.waiting.size > 0) {
      this.child.send({ drop: true });
      const until = monotonicMs() + graceMs;
      for (let next = this.nextAnswer(); next && monotonicMs() < until; next = this.nextAnswer())
        await settledWithin(next, until - monotonicMs());
    }
    this.stop();
  }

  /** The child goes, and every request not answered fails (a write may or may not be in git). */
  stop(): void {
    this.kill();
    this.queued.length = 0;
    const cut = this.stoppable
      ? 'the server stopped before answering: try again'
      : 'the server stopped before answering; the write may or may not be in git';
    for (const w of this.waiting.values()) w.reject(new TackError('unavailable', cut));
    this.waiting.clear();
    this.wakeWaiters();
  }
}

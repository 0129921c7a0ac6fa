import { describe, expect, it } from 'vitest';
import { StreamedReply } from './streamedReply.js';

const PAGE = { total: 3, offset: 0, limit: null, shown: 3 };

function reply(stallMs = 10_000) {
  const log: string[] = [];
  const r = new StreamedReply(
    PAGE,
    () => log.push('ack'),
    () => log.push('cancel'),
    stallMs,
  );
  return { r, log };
}

async function read(r: StreamedReply, log: string[], upTo = Number.POSITIVE_INFINITY): Promise<string[]> {
  const got: string[] = [];
  for await (const part of r) {
    log.push(`took ${part}`);
    got.push(part);
    if (got.length >= upTo) break;
  }
  return got;
}

describe('StreamedReply', () => {
  it('gives the parts in order as they come, acknowledging each when it is taken, and ends', async () => {
    const { r, log } = reply();
    const reading = read(r, log);
    r.push('[1');
    await new Promise((resolve) => setImmediate(resolve));
    r.push(',2');
    r.push(']');
    r.end();
    expect(await reading).toEqual(['[1', ',2', ']']);
    expect(log).toEqual(['ack', 'took [1', 'ack', 'took ,2', 'ack', 'took ]']);
  });

  it('a failure part way: the error at once (the answer is cut, what waits is of no use); nothing is cancelled', async () => {
    const { r, log } = reply();
    const reading = read(r, log);
    r.push('[1');
    await new Promise((resolve) => setImmediate(resolve));
    r.push(',2');
    r.fail(new Error('the worker process ended'));
    await expect(reading).rejects.toThrow('the worker process ended');
    expect(log).toEqual(['ack', 'took [1']);
  });

  it('a reader that stops before the end cancels the answer', async () => {
    const { r, log } = reply();
    r.push('[1');
    r.push(',2');
    expect(await read(r, log, 1)).toEqual(['[1']);
    expect(log).toEqual(['ack', 'took [1', 'cancel']);
  });

  it('a part left untaken past the stall limit (a client that stopped reading) cancels the answer', async () => {
    const { r, log } = reply(50);
    r.push('[1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(log).toEqual(['cancel']);
    await expect(read(r, log)).rejects.toThrow(/took no part of the answer for 50 ms/);
  });

  it('as a web stream: the bytes of the parts', async () => {
    const { r } = reply();
    r.push('["é"');
    r.push(',"😀"]');
    r.end();
    expect(await new Response(r.toStream()).text()).toBe('["é","😀"]');
  });

  it('as a web stream, a failure part way is handed to cut: the connection ends, or else the stream fails', async () => {
    for (const canCut of [true, false]) {
      const { r } = reply();
      const cuts: unknown[] = [];
      const stream = r.toStream((e) => {
        cuts.push(e);
        return canCut;
      });
      r.push('[1');
      const reader = stream.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('[1');
      r.fail(new Error('the worker process ended'));
      if (canCut) expect((await reader.read()).done).toBe(true);
      else await expect(reader.read()).rejects.toThrow('the worker process ended');
      expect(cuts).toHaveLength(1);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { revParse, tackJson, tackRaw, trackCleanups } from './helpers.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * Convergence across clones: three clones of one bare remote make random edits and sync
 * in random order (fixed seed). At the end every clone has the same store, and every
 * field edit that no later edit (one that knew about it) replaced is either the final
 * value or recorded as a conflict loser. A model tracks who knew what when.
 */

const track = trackCleanups();

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Edit {
  n: number;
  ticket: string;
  field: string;
  value: string;
  /** Edits the clone had seen when it made this one. */
  known: Set<number>;
}

interface Clone {
  dir: string;
  known: Set<number>;
  labels: Array<{ ticket: string; label: string }>;
}

interface Shown {
  title: string;
  status: string;
  priority: string;
  assignee: string | null;
  labels: string[];
  description: string;
  comments: Array<{ body: string }>;
  extra: { conflicts?: Array<{ field: string; lost: unknown }> };
}

const SEED = 20261121;
const STEPS = 40;
const STATES = ['todo', 'in-progress', 'in-review', 'done'];
const PRIORITIES = ['urgent', 'high', 'medium', 'low'];

describe('convergence', () => {
  it('three clones with random edits and syncs end identical, with no field edit lost', () => {
    const rand = prng(SEED);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const { clone } = remoteWithStore(track);
    const clones: Clone[] = [0, 1, 2].map(() => ({ dir: clone(), known: new Set<number>(), labels: [] }));
    const edits: Edit[] = [];
    const created = new Map<number, string>(); // edit n → ticket id
    const comments: string[] = [];
    const labelState = new Map<string, boolean>(); // `${ticket} ${label}` → present
    let remoteKnown = new Set<number>();
    let clock = Date.parse('2026-11-21T09:00:00Z');
    const run = (c: Clone, args: string[]) => {
      clock += 1000;
      const r = tackRaw(c.dir, [...args, '--json'], { TACK_NOW: new Date(clock).toISOString() });
      if (r.status !== 0) throw new Error(`tack ${args.join(' ')}: ${r.stderr}`);
      return JSON.parse(r.stdout) as { id?: string };
    };
    const sync = (c: Clone) => {
      run(c, ['sync']);
      c.known = new Set([...c.known, ...remoteKnown]);
      remoteKnown = new Set(c.known);
    };
    const record = (c: Clone, ticket: string, field: string, value: string): Edit => {
      const e = { n: edits.length, ticket, field, value, known: new Set(c.known) };
      edits.push(e);
      c.known.add(e.n);
      return e;
    };

    for (let step = 0; step < STEPS; step++) {
      const c = pick(clones);
      if (rand() < 0.3) {
        sync(c);
        continue;
      }
      const mine = [...created].filter(([n]) => c.known.has(n)).map(([, id]) => id);
      const kind =
        mine.length === 0 || rand() < 0.15
          ? 'create'
          : pick(['title', 'status', 'priority', 'assignee', 'label', 'unlabel', 'comment', 'describe', 'close']);
      const n = edits.length;
      if (kind === 'create') {
        const id = run(c, ['create', `ticket ${n}`]).id!;
        created.set(record(c, id, 'create', id).n, id);
        continue;
      }
      const id = pick(mine);
      if (kind === 'title') run(c, ['update', id, '--title', `title ${n}`]), record(c, id, 'title', `title ${n}`);
      else if (kind === 'status') {
        const s = pick(STATES);
        run(c, ['update', id, '--status', s]);
        record(c, id, 'status', s);
      } else if (kind === 'priority') {
        const p = pick(PRIORITIES);
        run(c, ['update', id, '--priority', p]);
        record(c, id, 'priority', p);
      } else if (kind === 'assignee')
        run(c, ['update', id, '--assignee', `user${n}`]), record(c, id, 'assignee', `user${n}`);
      else if (kind === 'describe')
        run(c, ['update', id, '--description', `desc ${n}`]), record(c, id, 'description', `desc ${n}`);
      else if (kind === 'close') run(c, ['close', id]), record(c, id, 'status', 'done');
      else if (kind === 'comment') {
        run(c, ['comment', id, `comment ${n}`]);
        record(c, id, 'comment', `comment ${n}`);
        comments.push(`comment ${n}`);
      } else if (kind === 'label' || c.labels.length === 0) {
        run(c, ['label', 'add', id, `l${n}`]);
        record(c, id, 'label', `l${n}`);
        c.labels.push({ ticket: id, label: `l${n}` });
        labelState.set(`${id} l${n}`, true);
      } else {
        const l = c.labels.splice(Math.floor(rand() * c.labels.length), 1)[0];
        run(c, ['label', 'rm', l.ticket, l.label]);
        record(c, l.ticket, 'unlabel', l.label);
        labelState.set(`${l.ticket} ${l.label}`, false);
      }
    }

    // Everyone syncs until all clones are at the same commit.
    const distinctHeads = () => new Set(clones.map((c) => revParse(c.dir, 'tack'))).size;
    for (let round = 0; round === 0 || (round < 3 && distinctHeads() > 1); round++) {
      for (const c of clones) sync(c);
    }
    const heads = clones.map((c) => revParse(c.dir, 'tack'));
    expect(new Set(heads).size).toBe(1);

    const show = (id: string) => tackJson<Shown>(clones[0].dir, 'show', id);
    const tickets = new Map([...created.values()].map((id) => [id, show(id)]));
    expect(tackJson<unknown[]>(clones[1].dir, 'list', '--all')).toHaveLength(created.size);
    const allComments = [...tickets.values()].flatMap((t) => t.comments.map((c) => c.body));
    expect(allComments.sort()).toEqual([...comments].sort());
    for (const [key, present] of labelState) {
      const [id, label] = key.split(' ');
      expect(tickets.get(id)!.labels.includes(label), `${key} present`).toBe(present);
    }
    let checked = 0;
    for (const e of edits) {
      if (!['title', 'status', 'priority', 'assignee', 'description'].includes(e.field)) continue;
      const superseded = edits.some((o) => o.ticket === e.ticket && o.field === e.field && o.known.has(e.n));
      if (superseded) continue;
      const t = tickets.get(e.ticket)!;
      const final =
        e.field === 'description' ? t.description : String((t as unknown as Record<string, unknown>)[e.field]);
      const recordField = e.field === 'description' ? 'body' : e.field;
      const lost = (t.extra.conflicts ?? []).filter((c) => c.field === recordField).map((c) => String(c.lost));
      const present = e.field === 'description' ? final.includes(e.value) : final === e.value;
      expect(
        present || lost.some((l) => (e.field === 'description' ? l.includes(e.value) : l === e.value)),
        `edit ${e.n} ${e.ticket} ${e.field}=${e.value}`,
      ).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  }, 120_000);
});

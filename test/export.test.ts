import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revParse, tack, tackJson, tackProcess, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { startServe } from './serverHarness.js';

/* `tack export jsonl|csv|beads` (markdown: test/importMarkdown.test.ts), on the real beads data. */

const FIXTURE = resolve(__dirname, 'fixtures/shared/data/beads/issues.jsonl');
const ISSUES = readFileSync(FIXTURE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const track = trackCleanups();

/** Minimal RFC 4180 reader, to check the CSV independently of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  return rows;
}

/** A beads issue without the keys whose empty value means "absent" to beads. */
function normal(o: Record<string, unknown>): string {
  const c = Object.fromEntries(Object.entries(o).filter(([k, v]) => !(v === '' && k !== 'notes')));
  return JSON.stringify(
    Object.keys(c)
      .sort()
      .map((k) => [k, c[k]]),
  );
}

/** The exported text, through --out (the whole store is more than a pipe buffer of JSON). */
function exported(dir: string, ...args: string[]): string {
  const file = join(dir, `export-${args.join('-').replace(/[^a-z0-9-]/gi, '')}`);
  tack(dir, 'export', ...args, '--out', file);
  return readFileSync(file, 'utf8');
}

describe('tack export', () => {
  let dir = '';
  let cleanup = () => {};
  beforeAll(() => {
    ({ dir, cleanup } = tempStore());
    tack(dir, 'import', 'beads', FIXTURE);
  });
  afterAll(() => cleanup());

  it('beads: writes back every issue as it came in, and re-imports to no change', () => {
    const out = join(dir, 'out.jsonl');
    expect(tackJson(dir, 'export', 'beads', '--out', out)).toMatchObject({ format: 'beads', count: ISSUES.length });
    const back = new Map(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((x) => [x.id, x]),
    );
    for (const i of ISSUES) expect(normal(back.get(i.id))).toBe(normal(i));
    const head = revParse(dir, 'tack');
    expect(tackJson(dir, 'import', 'beads', out)).toMatchObject({ created: 0, updated: 0, commit: null });
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('beads: edits made in Tack are exported, and a fresh store gets the same tickets', () => {
    const { dir: other, cleanup: done } = tempStore();
    track(done);
    tack(dir, 'update', 'bd-8mg', '--status', 'in-progress', '--priority', 'urgent');
    tack(dir, 'comment', 'bd-8mg', 'picked up again');
    const text = exported(dir, 'beads');
    const mine = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((x) => x.id === 'bd-8mg');
    expect(mine).toMatchObject({
      status: 'in_progress',
      priority: 0,
      comments: [expect.objectContaining({ author: 'tester', text: 'picked up again' })],
    });
    const file = join(other, 'b.jsonl');
    writeFileSync(file, text);
    expect(tackJson(other, 'import', 'beads', file)).toMatchObject({ created: ISSUES.length });
    const shape = (d: string) =>
      tackJson(
        d,
        'sql',
        "SELECT json_extract(fields, '$.aliases[0]') AS k, title, status, priority, type, assignee, parent IS NULL AS orphan, body, (SELECT count(*) FROM relations r WHERE r.src = t.id) AS edges FROM tickets t ORDER BY k",
      );
    expect(shape(other)).toEqual(shape(dir));
    expect(tackJson(other, 'show', 'bd-8mg').comments.map((c: any) => c.body)).toEqual(['picked up again']);
    // …and importing that export back into the store it came from finds nothing to do.
    expect(tackJson(dir, 'import', 'beads', file)).toMatchObject({ created: 0, updated: 0 });
  });

  it('jsonl and csv: one record per ticket, list filters apply', () => {
    const lines = exported(dir, 'jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(ISSUES.length);
    const on8 = lines.find((l) => l.aliases?.[0] === 'bd-on8');
    expect(on8).toMatchObject({
      title: ISSUES.find((i) => i.id === 'bd-on8').title,
      status: 'done',
      beads: expect.objectContaining({ owner: 'steve.yegge@gmail.com' }),
    });
    expect(on8.description).toContain('## Design');
    // bd-8mg was reopened by the test above.
    const closed = ISSUES.filter((i) => i.status === 'closed' && i.id !== 'bd-8mg').length;
    expect(exported(dir, 'jsonl', '--status', 'done').trim().split('\n')).toHaveLength(closed);
    const rows = parseCsv(exported(dir, 'csv', '--status', 'done'));
    expect(rows[0].slice(0, 5)).toEqual(['id', 'title', 'type', 'status', 'priority']);
    expect(rows).toHaveLength(closed + 1);
    expect(new Set(rows.slice(1).map((r) => r[3]))).toEqual(new Set(['done']));
    const desc = rows[0].indexOf('description');
    const row = rows.find((r) => r[rows[0].indexOf('aliases')] === 'bd-on8')!;
    expect(row[desc]).toBe(on8.description);
  });

  it('refuses an unknown format; --out writes the file, stdout otherwise', () => {
    const r = tackRaw(dir, ['export', 'yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('jsonl');
    const plain = tack(dir, 'export', 'jsonl', '--status', 'hooked');
    expect(plain.trim().split('\n')).toHaveLength(ISSUES.filter((i) => i.status === 'hooked').length);
  });

  it('text goes out byte for byte: to a pipe, to --out and in --json alike', () => {
    const store = tempStore();
    track(store.cleanup);
    // A terminal is shown these escaped; a file or a pipe is data, and gets them as they are.
    const body = 'esc \u001b[31m red\rlone CR \u2028 sep \u202e bidi \u0085 c1 "q" \\ 😀\n';
    tack(store.dir, 'create', '=title, "quoted"', '--description', body);
    for (const format of ['csv', 'jsonl', 'beads']) {
      const piped = tackProcess(store.dir, ['export', format]);
      expect(piped.status, piped.stderr).toBe(0);
      expect(exported(store.dir, format)).toBe(piped.stdout);
      expect(tackJson(store.dir, 'export', format).text).toBe(piped.stdout);
    }
    const rows = parseCsv(tackProcess(store.dir, ['export', 'csv']).stdout);
    expect(rows[1][rows[0].indexOf('description')]).toBe(body);
    expect(rows[1][rows[0].indexOf('title')]).toBe(`'=title, "quoted"`);
    expect(JSON.parse(tackProcess(store.dir, ['export', 'jsonl']).stdout).description).toBe(body);
  });

  it('--out is written whole or not at all: an unwritable place is refused, an earlier file kept', () => {
    const store = tempStore();
    track(store.cleanup);
    tack(store.dir, 'create', 'one');
    const r = tackRaw(store.dir, ['export', 'csv', '--out', join(store.dir, 'no', 'such', 'out.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*out\.csv \(ENOENT\); expected a file in a folder/);
    const file = join(store.dir, 'kept.jsonl');
    writeFileSync(file, 'earlier');
    const bad = tackRaw(store.dir, ['export', 'jsonl', '--out', file, '--at', 'no-such-rev']);
    expect(bad.status).not.toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('earlier');
    tack(store.dir, 'export', 'jsonl', '--out', file);
    expect(JSON.parse(readFileSync(file, 'utf8')).title).toBe('one');
  });

  it('is a read operation over REST too: GET /api/export', async () => {
    const srv = await startServe(dir);
    track(() => void srv.stop());
    const res = await fetch(`${srv.url}/api/export?format=csv&status=hooked`, {
      headers: srv.token ? { authorization: `Bearer ${srv.token}` } : {},
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { format: string; count: number; text: string };
    const hooked = ISSUES.filter((i) => i.status === 'hooked');
    expect(body).toMatchObject({ format: 'csv', count: hooked.length });
    expect(parseCsv(body.text)).toHaveLength(hooked.length + 1);
  });
});

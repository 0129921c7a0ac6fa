import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { importToStore } from './storeFiles.js';
import { connect } from './mcpClient.js';
import { startServe, type ServerProc } from './serverHarness.js';

/* Long answers come a page at a time on every surface, and each says what it left out. */

const N = 75;
let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempStore());
  const lines = Array.from({ length: N }, (_, i) =>
    JSON.stringify({ op: 'create', title: `paging task ${i}`, priority: i % 2 ? 'low' : 'high' }),
  );
  lines.push(JSON.stringify({ op: 'create', title: 'one more' }));
  const r = tackRaw(dir, ['batch', '--json'], {}, lines.join('\n'));
  if (r.status !== 0) throw new Error(r.stderr);
}, 60_000);
afterAll(() => cleanup());

const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

const track = trackCleanups();
/** A store of one test's own, removed after it. */
function ownStore(): { dir: string } {
  const r = tempStore();
  track(r.cleanup);
  return r;
}

describe('paging', () => {
  it('CLI --json: a bounded array by default, the rest on stderr with the flags that get it', () => {
    const r = tackRaw(dir, ['ready', '--json']);
    const page = JSON.parse(r.stdout);
    expect(page).toHaveLength(10);
    expect(r.stdout.length).toBeLessThan(10_000);
    expect(r.stderr).toContain(`showing 1–10 of ${N + 1} (${N + 1 - 10} more): next page --offset 10`);
    const list = tackJson(dir, 'list');
    expect(list).toHaveLength(50);
    const all = tackJson(dir, 'list', '--limit', '0');
    expect(all).toHaveLength(N + 1);
    // Pages tile the whole answer in order, without gaps or repeats.
    const pages = [0, 30, 60].flatMap((o) => ids(tackJson(dir, 'list', '--limit', '30', '--offset', String(o))));
    expect(pages).toEqual(ids(all));
    const last = tackRaw(dir, ['list', '--offset', '60', '--limit', '30', '--json']);
    expect(JSON.parse(last.stdout)).toHaveLength(N + 1 - 60);
    expect(last.stderr).not.toContain('more');
  });

  it('CLI human output ends with the note; search and stale are paged too', () => {
    const out = tackRaw(dir, ['list']).stdout.trimEnd().split('\n');
    expect(out).toHaveLength(51);
    expect(out[50]).toMatch(/showing 1–50 of 76 \(26 more\)/);
    const hits = tackRaw(dir, ['search', 'paging', '--json']);
    expect(JSON.parse(hits.stdout)).toHaveLength(20);
    expect(hits.stderr).toContain('of 75');
    expect(tackJson(dir, 'search', 'paging', '--limit', '0')).toHaveLength(75);
    // Idle for more than 0 days: counted from a minute on, as the tickets may be of this very second.
    const later = new Date(Date.now() + 60_000).toISOString();
    const stale = tackRaw(dir, ['stale', '--days', '0', '--json'], { TACK_NOW: later });
    expect(JSON.parse(stale.stdout)).toHaveLength(50);
    expect(stale.stderr).toContain('of 76');
  });

  it('CLI --limit 0: the whole answer, written as it is read, is the very text of a page that holds it all', () => {
    const { dir: own } = ownStore();
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ op: 'create', title: `streamed ${i}`, status: i % 3 ? 'todo' : 'backlog' }),
    );
    expect(tackRaw(own, ['batch', '--json'], {}, lines.join('\n')).status).toBe(0);
    const blocked = ids(tackJson(own, 'list', '--limit', '0')).filter((_, i) => i % 4 === 0);
    tackJson(own, 'create', 'blocker of some', ...blocked.flatMap((id) => ['--blocks', id]));
    const later = { TACK_NOW: new Date(Date.now() + 60_000).toISOString() };
    for (const cmd of [
      ['list'],
      ['list', '--all'],
      ['ready'],
      ['search', 'streamed'],
      ['blocked'],
      ['stale', '--days', '0'],
    ]) {
      for (const json of [['--json'], []]) {
        for (const offset of [[], ['--offset', '7']]) {
          const args = [...cmd, ...json, ...offset];
          const whole = tackRaw(own, [...args, '--limit', '0'], later);
          const page = tackRaw(own, [...args, '--limit', '1000'], later);
          expect(whole.status, args.join(' ')).toBe(0);
          expect(whole.stdout, args.join(' ')).toBe(page.stdout);
          expect(whole.stderr).toBe('');
        }
      }
    }
    expect(tackJson(own, 'blocked', '--limit', '0')).toHaveLength(blocked.length);
    expect(tackJson(own, 'list', '--limit', '0', '--offset', '100')).toEqual([]);
  });

  it('bad paging input is refused and says what was expected', () => {
    for (const v of ['-1', '1.5', 'x']) {
      const r = tackRaw(dir, ['list', `--offset=${v}`, '--json']);
      expect(r.status).not.toBe(0);
      expect(JSON.parse(r.stderr).error.code).toBe('invalid_input');
    }
  });

  describe('REST', () => {
    let srv: ServerProc;
    beforeAll(async () => {
      srv = await startServe(dir);
    }, 30_000);
    afterAll(() => srv?.stop());

    it('the body stays the array; X-Total-Count and a Link to the next page say the rest', async () => {
      const r = await fetch(`${srv.url}/api/tickets?priority=high`);
      const body = (await r.json()) as Array<{ id: string }>;
      expect(body).toHaveLength(38);
      expect(r.headers.get('x-total-count')).toBe('38');
      expect(r.headers.get('link')).toBeNull();
      const first = await fetch(`${srv.url}/api/ready`);
      expect(((await first.json()) as unknown[]).length).toBe(10);
      expect(first.headers.get('x-total-count')).toBe('76');
      expect(first.headers.get('link')).toBe('</api/ready?offset=10>; rel="next"');
      // Following the link gives the next page; a cached answer keeps its headers.
      for (let i = 0; i < 2; i++) {
        const next = await fetch(`${srv.url}/api/tickets?limit=40&offset=40`);
        expect(((await next.json()) as unknown[]).length).toBe(36);
        expect(next.headers.get('x-total-count')).toBe('76');
        expect(next.headers.get('link')).toBeNull();
      }
    });
  });

  it('REST ?limit=0 of fewer rows than a streamed answer starts at: whole, with its length', async () => {
    const srv = await startServe(dir);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await fetch(`${srv.url}/api/tickets?limit=0`, { headers: { 'accept-encoding': 'identity' } });
        expect(r.headers.get('content-length')).not.toBeNull();
        expect(r.headers.get('x-total-count')).toBe(String(N + 1));
        expect(((await r.json()) as unknown[]).length).toBe(N + 1);
      }
    } finally {
      await srv.stop();
    }
  }, 30_000);

  describe('REST ?limit=0: the whole answer, sent as it is read', () => {
    let srv: ServerProc;
    // Streamed from the first row (20,000 by default), in parts of 2,000 characters: this
    // store's answers come in tens of them.
    beforeAll(async () => {
      srv = await startServe(dir, [], { TACK_STREAM_PART_CHARS: '2000', TACK_STREAM_ROWS: '1' });
    }, 30_000);
    afterAll(() => srv?.stop());

    it('is the very body of a page that holds it all, with its total, plain or gzipped', async () => {
      for (const path of [
        'tickets',
        'tickets?all=true',
        'ready',
        'search?words=paging',
        'blocked',
        'tickets?offset=70',
      ]) {
        const sep = path.includes('?') ? '&' : '?';
        const whole = await fetch(`${srv.url}/api/${path}${sep}limit=0`);
        const page = await fetch(`${srv.url}/api/${path}${sep}limit=1000`);
        expect(whole.status, path).toBe(200);
        const body = await whole.text();
        expect(body, path).toBe(await page.text());
        expect(whole.headers.get('x-total-count'), path).toBe(page.headers.get('x-total-count'));
        const plain = await fetch(`${srv.url}/api/${path}${sep}limit=0`, {
          headers: { 'accept-encoding': 'identity' },
        });
        expect(await plain.text()).toBe(body);
      }
      const zipped = await fetch(`${srv.url}/api/tickets?limit=0`, { headers: { 'accept-encoding': 'gzip' } });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(((await zipped.json()) as unknown[]).length).toBe(N + 1);
      // Sent as it is read: chunked, no length known up front (a page says its length).
      const streamed = await fetch(`${srv.url}/api/tickets?limit=0`, { headers: { 'accept-encoding': 'identity' } });
      expect(streamed.headers.get('transfer-encoding')).toBe('chunked');
      expect(streamed.headers.get('content-length')).toBeNull();
      await streamed.arrayBuffer();
      const page = await fetch(`${srv.url}/api/tickets?limit=1000`, { headers: { 'accept-encoding': 'identity' } });
      expect(page.headers.get('content-length')).not.toBeNull();
    });

    it('bad input is refused before anything is sent', async () => {
      const r = await fetch(`${srv.url}/api/tickets?limit=0&status=nonsense`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    });

    it('a client that goes away part way stops the answer; the next read answers whole', async () => {
      const { request } = await import('node:http');
      await new Promise<void>((resolve, reject) => {
        const req = request(`${srv.url}/api/tickets?limit=0`, { headers: { 'accept-encoding': 'identity' } }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
        req.end();
      });
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${srv.url}/api/tickets?limit=0`);
        expect(((await r.json()) as unknown[]).length).toBe(N + 1);
      }
      expect(srv.stderr()).not.toMatch(/\n\s+at /); // no stack trace
    });
  });

  it('MCP: the answer is the page, a second block says how to get the next one', async () => {
    const client = await connect(dir, 'tester', {}, { name: 'paging-test', version: '1.0.0' });
    try {
      const r = (await client.callTool({ name: 'list', arguments: {} })) as { content: Array<{ text: string }> };
      expect(JSON.parse(r.content[0].text)).toHaveLength(50);
      expect(r.content[1].text).toBe('26 more not shown; call list again with offset 50 for the next page');
      const rest = (await client.callTool({ name: 'list', arguments: { offset: 50 } })) as {
        content: Array<{ text: string }>;
      };
      expect(JSON.parse(rest.content[0].text)).toHaveLength(26);
      expect(rest.content).toHaveLength(1);
    } finally {
      await client.close();
    }
  }, 30_000);
});

describe('MCP: all rows asked for (limit 0)', () => {
  it('come as many whole rows as an answer holds, valid JSON, with where the rest starts', async () => {
    const { dir: own } = ownStore();
    const M = 120;
    const lines = Array.from({ length: M }, (_, i) =>
      JSON.stringify({ op: 'create', title: `a long title to fill the answer ${'x'.repeat(300)} ${i}` }),
    );
    expect(tackRaw(own, ['batch', '--json'], {}, lines.join('\n')).status).toBe(0);
    const client = await connect(own, 'tester', {}, { name: 'paging-test', version: '1.0.0' });
    try {
      const ids: string[] = [];
      let calls = 0;
      for (let offset = 0; calls < 10; calls++) {
        const r = (await client.callTool({ name: 'list', arguments: { limit: 0, offset } })) as {
          content: Array<{ text: string }>;
        };
        expect(Buffer.byteLength(r.content[0].text)).toBeLessThanOrEqual(32_000);
        const page = JSON.parse(r.content[0].text) as Array<{ id: string }>;
        ids.push(...page.map((t) => t.id));
        offset += page.length;
        if (offset === M) {
          expect(r.content).toHaveLength(1);
          break;
        }
        expect(r.content[1].text).toBe(
          `${M - offset} more not shown; call list again with offset ${offset} for the next page`,
        );
      }
      expect(calls).toBeGreaterThan(0); // more than one answer
      expect(new Set(ids).size).toBe(M);
    } finally {
      await client.close();
    }
  }, 30_000);
});

describe('blocked names the first 20 blockers of a ticket', () => {
  it('and counts them all, in --json and for people', () => {
    const r = ownStore();
    const target = tackJson(r.dir, 'create', 'blocked by many').id as string;
    const ops = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({ op: 'create', title: `blocker ${i}`, blocks: [target] }),
    );
    const made = tackRaw(r.dir, ['batch', '--json'], {}, ops.join('\n'));
    expect(made.status, made.stderr).toBe(0);
    const [row] = tackJson(r.dir, 'blocked');
    expect(row.id).toBe(target);
    expect(row.blocked_by).toHaveLength(20);
    expect(row.blocked_by_count).toBe(25);
    expect([...row.blocked_by].sort()).toEqual(row.blocked_by);
    expect(tackRaw(r.dir, ['blocked']).stdout).toContain(' and 5 more');
    // tree notes the same blockers on the node, 20 of them, and counts what it left out.
    const tree = tackJson(r.dir, 'tree', target);
    expect(tree.roots[0]).toMatchObject({ id: target, hidden_edges: 10 }); // 5 each of blocked_by and waiting_on
    expect(tree.roots[0].waiting_on).toHaveLength(20);
    expect(tree.roots[0].blocked_by).toHaveLength(20);
    expect(tackRaw(r.dir, ['tree', target]).stdout).toContain('(+10 more edges)');
  });
});

describe('show names the first 50 of each relation', () => {
  it('and counts them all; history says how many changes it holds', () => {
    const r = ownStore();
    const epic = tackJson(r.dir, 'create', 'many children').id as string;
    const ops = Array.from({ length: 55 }, (_, i) =>
      JSON.stringify({ op: 'create', title: `child ${i}`, parent: epic }),
    );
    const made = tackRaw(r.dir, ['batch', '--json'], {}, ops.join('\n'));
    expect(made.status, made.stderr).toBe(0);
    const shown = tackJson(r.dir, 'show', epic);
    expect(shown.children).toHaveLength(50);
    expect(shown.relation_totals).toMatchObject({ child: 55, blocks: 0 });
    expect(Object.keys(shown.refs)).toHaveLength(50);
    expect(shown.history_total).toBe(shown.history.length);
    expect(tackRaw(r.dir, ['show', epic]).stdout).toContain('and 5 more');
    const child = shown.children[0] as string;
    expect(tackJson(r.dir, 'show', child, '--no-history')).toMatchObject({ history: [], history_total: 0 });
  });
});

describe('a doc names the first 50 tickets that link it', () => {
  it('in docs and docs show, anchors included, and counts them all', () => {
    const r = ownStore();
    const files: Record<string, string> = { 'docs/x.md': '# X\n' };
    for (let i = 0; i < 55; i++) {
      const id = `tk-link${String(i).padStart(4, '0')}`;
      const target = i % 2 ? 'docs/x.md#part' : 'docs/x.md';
      files[`tickets/${id}.md`] = `---\nid: ${id}\ntitle: links ${i}\nstatus: todo\nlinks: [${target}]\n---\n`;
    }
    importToStore(r.dir, files, 'links by hand');
    const [doc] = tackJson(r.dir, 'docs');
    expect(doc).toMatchObject({ path: 'docs/x.md', backlinks_total: 55 });
    expect(doc.backlinks).toHaveLength(50);
    const shown = tackJson(r.dir, 'docs', 'show', 'docs/x.md');
    expect(shown.backlinks_total).toBe(55);
    expect(shown.backlinks.map((b: { id: string }) => b.id)).toEqual(doc.backlinks.map((b: { id: string }) => b.id));
    expect(tackRaw(r.dir, ['docs', 'show', 'docs/x.md']).stdout).toContain('and 5 more');
  });
});

describe('conflicts come a page at a time', () => {
  it('with the note that says how to get the rest', () => {
    const r = ownStore();
    const files: Record<string, string> = {};
    for (let i = 0; i < 3; i++) {
      const id = `tk-conf000${i}`;
      files[`tickets/${id}.md`] =
        `---\nid: ${id}\ntitle: merged ${i}\nstatus: todo\nconflicts: [{field: status, lost: in-progress}]\n---\n`;
    }
    importToStore(r.dir, files, 'merged by hand');
    const page = tackRaw(r.dir, ['conflicts', '--limit', '2', '--json']);
    expect(JSON.parse(page.stdout).map((t: { id: string }) => t.id)).toEqual(['tk-conf0000', 'tk-conf0001']);
    expect(page.stderr).toContain('showing 1–2 of 3 (1 more): next page --offset 2');
    expect(tackJson(r.dir, 'conflicts', '--offset', '2').map((t: { id: string }) => t.id)).toEqual(['tk-conf0002']);
  });
});

describe('ready means actionable', () => {
  it('containers declared in the schema (epic, spec, note by default) are never offered by ready, claim next or prime', () => {
    const s = tempStore();
    try {
      const epic = tackJson(s.dir, 'create', 'Release 2.0', '--type', 'epic').id;
      tackJson(s.dir, 'create', 'A spec', '--type', 'spec');
      tackJson(s.dir, 'create', 'A note', '--type', 'note');
      const task = tackJson(s.dir, 'create', 'Ship it', '--parent', epic, '--priority', 'low').id;
      expect(ids(tackJson(s.dir, 'ready'))).toEqual([task]);
      expect(ids(tackJson(s.dir, 'ready', '--type', 'epic'))).toEqual([epic]);
      expect(tackJson(s.dir, 'prime').ready.map((t: { id: string }) => t.id)).toEqual([task.slice(0, 7)]);
      expect(tackJson(s.dir, 'claim', 'next', '--local').ticket.id).toBe(task);
      expect(tackRaw(s.dir, ['claim', 'next', '--local', '--json']).status).not.toBe(0); // only containers left
      expect(tackJson(s.dir, 'schema').containers).toEqual(['epic', 'spec', 'note']);
    } finally {
      s.cleanup();
    }
  }, 60_000);
});

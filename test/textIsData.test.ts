import { join } from 'node:path';
import { openDatabase } from '../src/index/sqlite.js';
import { cacheKey, parseBlob } from '../src/index/ticketRows.js';
import { describe, expect, it, afterEach } from 'vitest';
import { git, tackFail, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { closeClients, connect } from './mcpClient.js';
import { startServe } from './serverHarness.js';
import { commitToStore, ticketText } from './storeFiles.js';

/*
 * Text is data: whatever a description or comment holds, through whichever surface, it
 * reads back byte for byte and never becomes structure (a forged comment, a cut
 * description, a hidden ticket); one-line fields stay on one line.
 */
const cleanup = trackCleanups();
afterEach(closeClients);

const MARK = '<!-- comment id="c-1" author="mallory" created="2020-01-01T00:00:00Z" -->';
const DESC = `hello\n${MARK}\nforged\n\\${MARK}\n## Comments\n`;
const TEXT = `x\n${MARK}\n\\\\${MARK}\ny`;

function store(): string {
  const s = tempStore({ prefix: 'tack-text-' });
  cleanup(s.cleanup);
  return s.dir;
}

function readBack(dir: string, id: string): { description: string; comments: Array<{ author: string; body: string }> } {
  return tackJson(dir, 'show', id);
}

describe('text is data', () => {
  it('CLI: a marker-shaped description and comment read back byte for byte; list unaffected', () => {
    const dir = store();
    const { id } = tackJson(dir, 'create', 'Marker', '-d', DESC);
    tackJson(dir, 'comment', id, TEXT);
    tackJson(dir, 'comment', id, TEXT);
    const t = readBack(dir, id);
    expect(t.description).toBe(DESC);
    expect(t.comments.map((c) => c.body)).toEqual([TEXT, TEXT]);
    expect(t.comments.map((c) => c.author)).not.toContain('mallory');
    expect(tackJson(dir, 'list').map((x: { id: string }) => x.id)).toEqual([id]);
    expect(tackRaw(dir, ['list']).stdout).toContain('Marker');
  });

  it('REST and MCP: the same text through the server and the MCP tools', async () => {
    const dir = store();
    const srv = await startServe(dir);
    cleanup(() => void srv.stop());
    const post = async (path: string, body: unknown) =>
      (
        await fetch(`${srv.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json() as Promise<any>;
    const created = await post('/api/tickets', { title: 'Via REST', description: DESC });
    await post(`/api/tickets/${created.id}/comments`, { text: TEXT });
    const got = (await (await fetch(`${srv.url}/api/tickets/${created.id}`)).json()) as any;
    expect(got.description).toBe(DESC);
    expect(got.comments.map((c: { body: string }) => c.body)).toEqual([TEXT]);
    await srv.stop();

    const client = await connect(dir, 'agent');
    const call = async (name: string, args: Record<string, unknown>) =>
      JSON.parse(
        ((await client.callTool({ name, arguments: args })) as { content: Array<{ text: string }> }).content[0].text,
      );
    const viaMcp = await call('create', { title: 'Via MCP', description: DESC });
    await call('comment', { id: viaMcp.id, text: TEXT });
    for (const id of [created.id, viaMcp.id]) {
      const t = readBack(dir, id);
      expect(t.description).toBe(DESC);
      expect(t.comments.map((c) => c.body)).toEqual([TEXT]);
    }
    expect(tackJson(dir, 'list').length).toBe(2);
  });

  it('a file with a repeated comment id still lists and shows, with a warning', () => {
    const dir = store();
    const { id } = tackJson(dir, 'create', 'Kept');
    const c = `<!-- comment id="c-aaaaaa" author="al" created="2026-11-21T10:02:11Z" -->\n**al** · 2026-11-21 10:02 UTC\n\nhi\n`;
    commitToStore(
      dir,
      {
        [`tickets/${id}.md`]: ticketText(
          { id, title: 'Kept', status: 'todo', created: '2026-11-21T10:02:11Z' },
          `body\n\n## Comments\n\n${c}\n${c}`,
        ),
      },
      'hand merge',
    );
    const listed = tackRaw(dir, ['list']);
    expect(listed.stdout).toContain('Kept');
    expect(listed.stderr).toMatch(/comment id "c-aaaaaa" appears twice/);
    expect(tackJson(dir, 'show', id).comments.map((x: { id: string }) => x.id)).toEqual(['c-aaaaaa', 'c-aaaaaa-2']);
    // A write repairs the file: the fresh id is written back, the warning goes away.
    tackJson(dir, 'comment', id, 'after');
    const again = tackRaw(dir, ['list']);
    expect(again.stderr).not.toMatch(/appears twice/);
  });

  it('a title or label with a newline or escape is refused on write; from a file it is shown escaped', () => {
    const dir = store();
    const bad = tackFail(dir, 'create', 'Real\ntk-fake todo     Forged\u001b[2J');
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.message).toContain('title must be one line');
    const { id } = tackJson(dir, 'create', 'Fine');
    const head = git(dir, 'rev-parse', 'tack');
    expect(tackFail(dir, 'label', 'add', id, 'a\u202eb').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'update', id, '--assignee', 'x\ny').error.code).toBe('invalid_input');
    expect(git(dir, 'rev-parse', 'tack')).toBe(head); // nothing was committed

    commitToStore(
      dir,
      {
        [`tickets/${id}.md`]: `---\nid: ${id}\ntitle: "Real\\ntk-fake todo     Forged\\e[2J"\nlabels: ["a\\u202eb"]\nstatus: todo\ncreated: 2026-11-21T10:02:11Z\n---\n`,
      },
      'hand edit',
    );
    const out = tackRaw(dir, ['list']).stdout;
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain('Real\\ntk-fake todo     Forged\\x1b[2J');
    expect(out).toContain('a\\u202eb');
    expect(out).not.toMatch(/[\u001b\u202e]/);
    // JSON keeps the stored value; an unrelated write to that ticket is not blocked by it.
    expect(tackJson(dir, 'show', id).title).toBe('Real\ntk-fake todo     Forged\u001b[2J');
    tackJson(dir, 'comment', id, 'still writable');
  });

  it('CSV export guards spreadsheet formulas', () => {
    const dir = store();
    tackJson(dir, 'create', '=HYPERLINK("http://evil","click")', '-l', '@cmd');
    const csv = tackRaw(dir, ['export', 'csv']).stdout;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(csv).toContain("'@cmd");
  });

  it('a parse cached by an older reader (another DDL version) is not trusted', () => {
    const dir = store();
    const { id } = tackJson(dir, 'create', 'Cached', '-d', DESC);
    expect(readBack(dir, id).description).toBe(DESC);
    const db = openDatabase(join(dir, '.git', 'tack', 'index.db'));
    const blob = (db.prepare('SELECT blob FROM tickets WHERE id = ?').get(id) as { blob: string }).blob;
    // The cache keeps no committed version any more; an older Tack's index file still may.
    const stale = parseBlob(`${git(dir, 'cat-file', '-p', blob)}\n`, `tickets/${id}.md`);
    if (!stale.ok) throw new Error('the ticket should parse');
    stale.data.body = 'hello\n'; // what the old reader made of it: the description cut at the marker
    db.prepare('INSERT OR REPLACE INTO blob_cache(blob, json) VALUES (?, ?)').run(
      cacheKey(blob),
      JSON.stringify(stale),
    );
    db.prepare("UPDATE meta SET value = 'old' WHERE key = 'ddl'").run();
    db.close();
    expect(readBack(dir, id).description).toBe(DESC);
  });
});

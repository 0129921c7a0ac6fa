import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tack, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { openEvents, startServe, type ServerProc } from './serverHarness.js';

const cleanup = trackCleanups();

function tackRawAs(dir: string, user: string, args: string[]): void {
  const r = tackRaw(dir, args, { TACK_USER: user });
  if (r.status !== 0) throw new Error(r.stderr);
}

async function served(): Promise<{ dir: string; srv: ServerProc }> {
  const repo = tempStore({ prefix: 'tack-serve-' });
  cleanup(repo.cleanup);
  const srv = await startServe(repo.dir);
  cleanup(() => void srv.stop());
  return { dir: repo.dir, srv };
}

async function api(
  srv: ServerProc,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

describe('tack serve: REST API', () => {
  it('creates, reads, lists, updates and comments through resource routes and generated op routes', async () => {
    const { dir, srv } = await served();
    const created = await api(srv, 'POST', '/api/tickets', {
      title: 'Parser drops comments',
      priority: 'high',
      label: ['parser'],
    });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    expect(created.json.version).toMatch(/^[0-9a-f]{40}$/);
    expect(created.json.commit).toBe(git(dir, 'rev-parse', 'tack'));

    const got = await api(srv, 'GET', `/api/tickets/${id.slice(0, 7)}`);
    expect(got.json.title).toBe('Parser drops comments');
    expect(got.headers.get('etag')).toBe(`"${created.json.version}"`);

    const listed = await api(srv, 'GET', '/api/tickets?label=parser&priority=high');
    expect(listed.json.map((t: any) => t.id)).toEqual([id]);
    expect((await api(srv, 'GET', '/api/list?label=nope')).json).toEqual([]);
    expect((await api(srv, 'GET', '/api/ready')).json.map((t: any) => t.id)).toContain(id);
    expect((await api(srv, 'GET', '/api/search?words=parser')).json.length).toBe(1);
    expect(
      (await api(srv, 'GET', `/api/sql?query=${encodeURIComponent('select count(*) n from tickets')}`)).json[0].n,
    ).toBe(1);

    const patched = await api(
      srv,
      'PATCH',
      `/api/tickets/${id}`,
      { status: 'in-progress' },
      { 'if-match': got.headers.get('etag')! },
    );
    expect(patched.status).toBe(200);
    expect(patched.json.status).toBe('in-progress');
    expect(patched.json.version).not.toBe(created.json.version);
    const commented = await api(srv, 'POST', `/api/tickets/${id}/comments`, { text: 'Reproduced' });
    expect(commented.json.comment.text).toBe('Reproduced');
    // The CLI sees what the API wrote: one store, one truth.
    expect(tackJson(dir, 'show', id).status).toBe('in-progress');
    const history = await api(srv, 'GET', `/api/tickets/${id}/history`);
    expect(history.json.changes.map((c: any) => c.field)).toContain('status');
  });

  it('serves repeated reads from a cache that any change empties, whoever makes it', async () => {
    const { dir, srv } = await served();
    tack(dir, 'create', 'First');
    const first = (await api(srv, 'GET', '/api/stats')).json.total;
    expect((await api(srv, 'GET', '/api/stats')).json.total).toBe(first);
    tack(dir, 'create', 'Made by the CLI in another process');
    expect((await api(srv, 'GET', '/api/stats')).json.total).toBe(first + 1);
    const id = (await api(srv, 'GET', '/api/tickets')).json[0].id as string;
    const v1 = (await api(srv, 'GET', `/api/tickets/${id}`)).headers.get('etag');
    expect((await api(srv, 'GET', `/api/tickets/${id}`)).headers.get('etag')).toBe(v1); // from the cache, ETag kept
    await api(srv, 'PATCH', `/api/tickets/${id}`, { priority: 'high' });
    const after = await api(srv, 'GET', `/api/tickets/${id}`);
    expect(after.json.priority).toBe('high');
    expect(after.headers.get('etag')).not.toBe(v1);
  });

  it("does not offer operations that change this machine's own set-up (signing, git config, worktrees)", async () => {
    const { srv } = await served();
    for (const name of ['config', 'setup', 'mount', 'unmount', 'init']) {
      expect((await api(srv, 'POST', `/api/${name}`, { sign: false })).status).toBe(404);
    }
  });

  it('deletes a ticket with DELETE /api/tickets/:id (one commit; refused while others point at it)', async () => {
    const { dir, srv } = await served();
    const a = (await api(srv, 'POST', '/api/tickets', { title: 'Blocker' })).json.id as string;
    const b = (await api(srv, 'POST', '/api/tickets', { title: 'Doomed, and blocked' })).json.id as string;
    await api(srv, 'POST', `/api/tickets/${a}/links`, { kind: 'blocks', target: b });
    const refused = await api(srv, 'DELETE', `/api/tickets/${b}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.details.referrers).toEqual([{ id: a, field: 'blocks', target: b }]);
    const gone = await api(srv, 'DELETE', `/api/tickets/${b}?force=true`);
    expect(gone.status).toBe(200);
    expect(gone.json.deleted).toEqual([b]);
    expect(gone.json.updated).toEqual([a]);
    expect((await api(srv, 'GET', `/api/tickets/${b}`)).status).toBe(404);
    expect(tackJson(dir, 'show', a).blocks).toEqual([]);
    expect(git(dir, 'log', '-1', '--format=%B', 'tack')).toContain('Tack-Op: delete');
  });

  it('answers a stale If-Match with 409 and the current version, and errors with stable codes', async () => {
    const { dir, srv } = await served();
    const id = tackJson(dir, 'create', 'Versioned').id as string;
    const v1 = (await api(srv, 'GET', `/api/tickets/${id}`)).json.version;
    tack(dir, 'update', id, '--title', 'Changed by the CLI');
    const stale = await api(srv, 'PATCH', `/api/tickets/${id}`, { status: 'done' }, { 'if-match': `"${v1}"` });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('conflict');
    const current = (await api(srv, 'GET', `/api/tickets/${id}`)).json.version;
    expect(stale.json.error.details.current_version).toBe(current);
    expect(tackJson(dir, 'show', id).status).toBe('todo'); // nothing written
    expect(
      (await api(srv, 'PATCH', `/api/tickets/${id}`, { status: 'done' }, { 'if-match': `"${current}"` })).status,
    ).toBe(200);

    const missing = await api(srv, 'GET', '/api/tickets/tk-zzzzzz');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    const bad = await api(srv, 'POST', '/api/tickets', { title: '' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_input');
    expect(JSON.stringify(bad.json)).not.toMatch(/at .*\.(ts|js|cjs):\d+/); // no stack traces
    const notJson = await fetch(`${srv.url}/api/tickets`, {
      method: 'POST',
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });

  it('edits and deletes a comment (If-Match honoured, 409 when stale, 403 for another author)', async () => {
    const { dir, srv } = await served();
    const id = tackJson(dir, 'create', 'Talked about').id as string;
    const cid = (await api(srv, 'POST', `/api/tickets/${id}/comments`, { text: 'first' })).json.comment.id as string;
    const v1 = (await api(srv, 'GET', `/api/tickets/${id}`)).json.version;
    tack(dir, 'update', id, '--title', 'Changed by the CLI');
    const stale = await api(
      srv,
      'PATCH',
      `/api/tickets/${id}/comments/${cid}`,
      { text: 'x' },
      { 'if-match': `"${v1}"` },
    );
    expect(stale.status).toBe(409);
    const v2 = (await api(srv, 'GET', `/api/tickets/${id}`)).json.version;
    const ok = await api(
      srv,
      'PATCH',
      `/api/tickets/${id}/comments/${cid}`,
      { text: 'second' },
      { 'if-match': `"${v2}"` },
    );
    expect(ok.status).toBe(200);
    expect(ok.json.comment).toMatchObject({ id: cid, text: 'second', edited: expect.any(String) });
    expect((await api(srv, 'GET', `/api/tickets/${id}`)).json.comments[0]).toMatchObject({ body: 'second' });
    expect((await api(srv, 'PATCH', `/api/tickets/${id}/comments/c-none`, { text: 'x' })).status).toBe(404);
    tackRawAs(dir, 'someone-else', ['comment', id, 'theirs']);
    const theirs = (await api(srv, 'GET', `/api/tickets/${id}`)).json.comments[1].id as string;
    const refused = await api(srv, 'DELETE', `/api/tickets/${id}/comments/${theirs}`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    const gone = await api(srv, 'DELETE', `/api/tickets/${id}/comments/${cid}`);
    expect(gone.status).toBe(200);
    expect((await api(srv, 'GET', `/api/tickets/${id}`)).json.comments.map((c: { id: string }) => c.id)).toEqual([
      theirs,
    ]);
    expect(git(dir, 'log', '-1', '--format=%B', 'tack')).toContain('Tack-Op: comment-delete');
  });

  it('publishes an OpenAPI document generated from the registry', async () => {
    const { srv } = await served();
    const doc = (await api(srv, 'GET', '/api/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(
      doc.paths['/api/tickets/{id}'].patch.requestBody.content['application/json'].schema.properties.status,
    ).toBeDefined();
    expect(doc.paths['/api/list'].get.parameters.map((p: any) => p.name)).toContain('label');
    expect(doc.paths['/api/update'].post).toBeDefined();
    expect(doc.paths['/api/init']).toBeUndefined();
  });
});

describe('tack serve: live events', () => {
  it('reports changes made through the API, by a CLI in another process, and by plain git', async () => {
    const { dir, srv } = await served();
    const sse = await openEvents(srv.url);
    cleanup(() => sse.close());

    const created = await api(srv, 'POST', '/api/tickets', { title: 'From the API' });
    const id = created.json.id as string;
    const e1 = await sse.waitFor((e) => e.event === 'created' && e.data.ticket === id);
    expect(e1.data.commit).toBe(created.json.commit);
    expect(e1.data.fields).toContain('title');

    tack(dir, 'update', id, '--priority', 'urgent');
    const e2 = await sse.waitFor((e) => e.event === 'updated' && e.data.ticket === id);
    expect(e2.data.fields).toEqual(['priority']);
    expect(e2.data.commit).toBe(git(dir, 'rev-parse', 'tack'));
    // Emitted after the index was updated: a re-read sees the change.
    expect((await api(srv, 'GET', `/api/tickets/${id}`)).json.priority).toBe('urgent');

    tack(dir, 'comment', id, 'From the CLI');
    await sse.waitFor((e) => e.event === 'commented' && e.data.ticket === id);

    const wt = join(dir, '..', `${dir.split('/').pop()}-wt`);
    git(dir, 'worktree', 'add', '-q', wt, 'tack');
    cleanup(() => git(dir, 'worktree', 'remove', '--force', wt));
    const file = join(wt, 'tickets', `${id}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: todo', 'status: in-progress'));
    git(wt, 'commit', '-q', '-am', 'start it by hand');
    const e3 = await sse.waitFor(
      (e) => e.event === 'updated' && e.data.ticket === id && e.data.fields.includes('status'),
    );
    expect(e3.data.commit).toBe(git(dir, 'rev-parse', 'tack'));
    expect(e3.data.uncommitted).toBeUndefined();
    expect(Number(e3.id)).toBeGreaterThan(Number(e2.id));
  });

  it('reports an archive as an update (the ticket still exists) and a restore as a creation', async () => {
    const { srv } = await served();
    const sse = await openEvents(srv.url);
    cleanup(() => sse.close());
    const id = (await api(srv, 'POST', '/api/tickets', { title: 'Into the archive' })).json.id as string;
    await sse.waitFor((e) => e.event === 'created' && e.data.ticket === id);
    const archived = await api(srv, 'POST', `/api/tickets/${id}/archive`, {});
    expect(archived.status).toBe(200);
    const e1 = await sse.waitFor((e) => e.data.ticket === id && e.data.op === 'archive');
    expect(e1.event).toBe('updated');
    expect((await api(srv, 'GET', `/api/tickets/${id}`)).json.archived).toBe(true);
    await api(srv, 'POST', `/api/tickets/${id}/restore`, {});
    const e2 = await sse.waitFor((e) => e.data.ticket === id && e.data.op === 'restore');
    expect(e2.event).toBe('created');
  });

  it('reports a merge that git brought in (as a pull does) as synced', async () => {
    const { dir, srv } = await served();
    const a = tackJson(dir, 'create', 'Changed on the other side').id as string;
    const wt = join(dir, '..', `${dir.split('/').pop()}-wt`);
    git(dir, 'worktree', 'add', '-q', '-b', 'side', wt, 'tack');
    cleanup(() => git(dir, 'worktree', 'remove', '--force', wt));
    const file = join(wt, 'tickets', `${a}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('priority: none', 'priority: high'));
    git(wt, 'commit', '-q', '-am', 'elsewhere');
    const sse = await openEvents(srv.url);
    cleanup(() => sse.close());
    const b = tackJson(dir, 'create', 'Meanwhile here').id as string;
    await sse.waitFor((e) => e.event === 'created' && e.data.ticket === b);
    git(wt, 'checkout', '-q', '--detach');
    git(wt, 'merge', '-q', '--no-ff', '--no-edit', 'tack', '-m', 'merge tack into side');
    git(dir, 'update-ref', 'refs/heads/tack', git(wt, 'rev-parse', 'HEAD'));
    // The merged commit has its own event; the merge itself is "synced".
    const side = await sse.waitFor((e) => e.event === 'updated' && e.data.ticket === a);
    expect(side.data.fields).toEqual(['priority']);
    expect(side.data.commit).toBe(git(dir, 'rev-parse', 'side'));
    const synced = await sse.waitFor((e) => e.event === 'synced');
    expect(synced.data.commit).toBe(git(dir, 'rev-parse', 'tack'));
    expect(synced.data.ticket).toBe(b); // what the merge brought into the first parent's line
    expect(git(dir, 'rev-parse', 'tack^1')).toBe(git(dir, 'rev-parse', 'side'));
  });

  it('resumes from Last-Event-ID, and says reset when it cannot', async () => {
    const { dir, srv } = await served();
    const first = await openEvents(srv.url);
    const a = tackJson(dir, 'create', 'A').id as string;
    const ea = await first.waitFor((e) => e.data?.ticket === a);
    first.close();
    // A second client stays connected, to tell when the server has seen both changes.
    const probe = await openEvents(srv.url);
    cleanup(() => probe.close());
    const b = tackJson(dir, 'create', 'B').id as string;
    const c = tackJson(dir, 'create', 'C').id as string;
    await probe.waitFor((e) => e.data?.ticket === c);

    const resumed = await openEvents(srv.url, { 'last-event-id': ea.id! });
    cleanup(() => resumed.close());
    const tickets = resumed.events.filter((e) => e.id).map((e) => e.data.ticket);
    expect(tickets).toEqual([b, c]);
    const gone = await openEvents(srv.url, { 'last-event-id': '12' });
    cleanup(() => gone.close());
    expect(gone.events[0].event).toBe('reset');
  });
});

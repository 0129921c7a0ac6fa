import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { ConnectorKind, StateCategory } from '../../src/connectors/connector.js';
import { git, storeFixtureAsync, tackAwait, trackCleanups, type TackResult } from '../helpers.js';
import { commitToStore } from '../storeFiles.js';

/**
 * The conformance suite every connector passes: the same scenarios against each
 * service's stand-in server, through the built CLI (`npm run build` first), in real
 * temp repositories. A service joins by writing a ServiceAdapter and one test file:
 *
 *     // test/connectors/github.test.ts
 *     import { conformance } from './conformance.js';
 *     conformance(githubAdapter());   // an adapter over test/standins/githubStandin.ts
 *
 * The adapter starts/stops the stand-in, says how to `tack connect` to it, and edits the
 * remote side directly (as a person in the service's UI would), bypassing the connector.
 * Everything is async: the stand-in runs in the test process, the CLI in child processes
 * (never spawnSync: it would block the stand-in's event loop).
 */
export interface RemoteSnapshot {
  id: string;
  title: string;
  description: string;
  state: StateCategory;
  labels: string[];
  /** Comment bodies as a person sees them (markers stripped). */
  comments: string[];
  archived: boolean;
  deleted: boolean;
}

export interface WebhookControl {
  /** Send a delivery for every remote change to `url`, signed with `secret`. */
  point(url: string | null, secret: string): void;
  /** Deliveries sent so far (oldest first). */
  count(): number;
  /**
   * Re-send delivery `i`, re-stamped and re-signed so it is fresh. `asNew` false: the same
   * delivery id (a service retry, a duplicate); true: a new id (an old change arriving late).
   */
  resend(i: number, asNew: boolean): Promise<number>;
  /**
   * Send delivery `i` with a wrong signature, or signed right but too old; returns the
   * HTTP status, or null for 'stale' when the service's deliveries carry no timestamp.
   */
  forge(i: number, how: 'signature' | 'stale'): Promise<number | null>;
  /** Wait until every delivery sent so far was answered. */
  settle(): Promise<void>;
}

export interface ServiceAdapter {
  kind: ConnectorKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Arguments after `tack connect` (service, scope, --api-url, credentials, --webhook-secret). */
  connectArgs(webhookSecret: string): string[];
  remoteCreate(title: string, description?: string): Promise<string>;
  remoteGet(id: string): Promise<RemoteSnapshot>;
  remoteUpdate(id: string, patch: { title?: string; description?: string; state?: StateCategory }): Promise<void>;
  remoteComment(id: string, body: string): Promise<void>;
  /**
   * Edit the `index`-th comment (oldest first) as a person would. Only for services whose
   * connector syncs comment edits (`updateComment`); without it the edit case is skipped.
   */
  remoteEditComment?(id: string, index: number, body: string): Promise<void>;
  remoteArchive(id: string): Promise<void>;
  remoteDelete(id: string): Promise<void>;
  /** Issues on the remote, archived and deleted included (the "no duplicates" checks). */
  remoteCount(): number;
  /** Writes the connector made through the API so far (the "no loops" checks). */
  apiWrites(): number;
  /** Requests the stand-in refused as not matching the service's contract. */
  contractViolations(): string[];
  /** The next `count` API requests fail with `status`. */
  failNext(count: number, status: 429 | 503): void;
  /** Injected failures the stand-in has not served yet. */
  pendingFailures(): number;
  webhooks: WebhookControl;
}

async function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r: TackResult = await tackAwait(cwd, args, env);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
const json = async <T = any>(cwd: string, ...args: string[]): Promise<T> =>
  JSON.parse(await run(cwd, [...args, '--json'])) as T;

interface SyncOut {
  pulled: number;
  commits: string[];
  remoteWrites: number;
  conflicts: number;
  errors: string[];
  localCreated: number;
  remoteCreated: number;
}

export function conformance(svc: ServiceAdapter): void {
  const SECRET = 'conformance-secret';
  describe(`${svc.kind} conformance`, () => {
    const track = trackCleanups();
    beforeAll(() => svc.start(), 60_000);
    afterAll(() => svc.stop());

    /** A store connected to the stand-in: connected once, copied for each test. */
    const connectedStore = storeFixtureAsync(async (dir) => {
      await run(dir, ['connect', ...svc.connectArgs(SECRET)]);
      return {};
    });
    const connected = async (): Promise<string> => (await connectedStore()).dir;
    const sync = (dir: string, env: Record<string, string> = {}) =>
      run(dir, ['sync', svc.kind, '--json'], env).then((s) => JSON.parse(s) as SyncOut);
    const show = (dir: string, id: string) => json(dir, 'show', id);
    const remoteIdOf = async (dir: string, id: string): Promise<string> =>
      (await show(dir, id)).extra?.external?.[svc.kind]?.id;
    const createLocal = async (dir: string, title: string, ...more: string[]): Promise<string> =>
      (await json(dir, 'create', title, ...more)).id;
    /** A second pass right after a pass: nothing to do on either side. */
    async function expectQuiet(dir: string): Promise<void> {
      const writes = svc.apiWrites();
      const head = git(dir, 'rev-parse', 'tack');
      const again = await sync(dir);
      expect(again.remoteWrites, 'a second pass makes no remote writes').toBe(0);
      expect(svc.apiWrites()).toBe(writes);
      expect(again.commits, 'a second pass makes no commits').toEqual([]);
      expect(git(dir, 'rev-parse', 'tack')).toBe(head);
    }
    const ticketOf = async (dir: string, remoteId: string) => {
      const all = (await json(dir, 'list', '--all')) as Array<{ id: string }>;
      for (const t of all) if ((await remoteIdOf(dir, t.id)) === remoteId) return t.id;
      return null;
    };

    it('creates a remote issue for a local ticket, maps it in git, and does not loop', async () => {
      const dir = await connected();
      const before = svc.remoteCount();
      const id = await createLocal(dir, 'Parser drops comments', '-d', 'Steps to reproduce');
      const r = await sync(dir);
      expect(r.remoteCreated).toBe(1);
      expect(svc.remoteCount()).toBe(before + 1);
      const remoteId = await remoteIdOf(dir, id);
      expect(remoteId).toBeTruthy();
      const remote = await svc.remoteGet(remoteId);
      expect(remote.title).toBe('Parser drops comments');
      expect(remote.description.trim()).toBe('Steps to reproduce');
      expect(git(dir, 'show', `tack:tickets/${id}.md`)).toMatch(
        new RegExp(`external:[\\s\\S]*${svc.kind}:[\\s\\S]*id: "?${remoteId}"?\\n`),
      ); // YAML quotes ids that look like numbers
      await expectQuiet(dir);
    });

    it('imports a remote issue as a ticket, and does not loop', async () => {
      const dir = await connected();
      const remoteId = await svc.remoteCreate('Made in the service', 'Remote body');
      const r = await sync(dir);
      expect(r.errors).toEqual([]);
      const id = await ticketOf(dir, remoteId);
      expect(id).toBeTruthy();
      const t = await show(dir, id!);
      expect(t.title).toBe('Made in the service');
      expect(t.description.trim()).toBe('Remote body');
      await expectQuiet(dir);
    });

    it('edits both ways and merges concurrent edits of different fields', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'Original');
      await sync(dir);
      const remoteId = await remoteIdOf(dir, id);
      await run(dir, ['update', id, '--title', 'Local title']);
      await svc.remoteUpdate(remoteId, { description: 'Remote description' });
      const r = await sync(dir);
      expect(r.conflicts).toBe(0);
      const t = await show(dir, id);
      expect(t.title).toBe('Local title');
      expect(t.description.trim()).toBe('Remote description');
      const remote = await svc.remoteGet(remoteId);
      expect(remote.title).toBe('Local title');
      expect(remote.description.trim()).toBe('Remote description');
      await expectQuiet(dir);
    });

    it('same field edited on both sides: the later edit wins everywhere, the other is kept in conflicts', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'Before');
      await sync(dir);
      const remoteId = await remoteIdOf(dir, id);
      await run(dir, ['update', id, '--title', 'Local loses']);
      await new Promise((r) => setTimeout(r, 1100)); // `updated` has second precision: make the order certain
      await svc.remoteUpdate(remoteId, { title: 'Remote wins' });
      const r = await sync(dir);
      expect(r.conflicts).toBe(1);
      const text = git(dir, 'show', `tack:tickets/${id}.md`);
      expect(text).toMatch(/title: Remote wins/);
      expect(text).toMatch(/conflicts:[\s\S]*field: title[\s\S]*lost: Local loses/);
      expect((await svc.remoteGet(remoteId)).title).toBe('Remote wins');
      await expectQuiet(dir);
    });

    it('syncs comments both ways without duplicating them', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'Discussed');
      await sync(dir);
      const remoteId = await remoteIdOf(dir, id);
      await run(dir, ['comment', id, 'From Tack']);
      await svc.remoteComment(remoteId, 'From the service');
      await sync(dir);
      expect((await svc.remoteGet(remoteId)).comments.map((c) => c.trim()).sort()).toEqual([
        'From Tack',
        'From the service',
      ]);
      const local = (await show(dir, id)).comments.map((c: { body: string }) => c.body).sort();
      expect(local).toEqual(['From Tack', 'From the service']);
      await expectQuiet(dir);
      expect((await svc.remoteGet(remoteId)).comments).toHaveLength(2);
    });

    /** Edit a comment's text in the ticket file, as someone editing it by hand and committing. */
    function editLocalComment(dir: string, id: string, from: string, to: string): void {
      const path = git(dir, 'ls-tree', '-r', '--name-only', 'tack')
        .split('\n')
        .find((p) => p.endsWith(`/${id}.md`))!;
      const text = `${git(dir, 'show', `tack:${path}`)}\n`;
      expect(text).toContain(`\n${from}\n`);
      commitToStore(dir, { [path]: text.replace(`\n${from}\n`, `\n${to}\n`) }, `edit a comment of ${id}`);
    }
    const remoteComments = async (id: string) => (await svc.remoteGet(id)).comments.map((c) => c.trim()).sort();
    const localComments = async (dir: string, id: string) =>
      (await show(dir, id)).comments.map((c: { body: string }) => c.body.trim()).sort();

    it.skipIf(!svc.remoteEditComment)('comment edited both ways', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'Edited comments');
      await run(dir, ['comment', id, 'Mine']);
      await sync(dir);
      const remoteId = await remoteIdOf(dir, id);
      await svc.remoteComment(remoteId, 'Theirs');
      await sync(dir);
      // Each side edits the comment the other wrote...
      editLocalComment(dir, id, 'Theirs', 'Theirs, edited in Tack');
      await svc.remoteEditComment!(remoteId, 0, 'Mine, edited there');
      await sync(dir);
      const want = ['Mine, edited there', 'Theirs, edited in Tack'];
      expect(await remoteComments(remoteId)).toEqual(want);
      expect(await localComments(dir, id)).toEqual(want);
      await expectQuiet(dir);
      // ...and its own.
      editLocalComment(dir, id, 'Mine, edited there', 'Mine, edited in Tack');
      await svc.remoteEditComment!(remoteId, 1, 'Theirs, edited there');
      await sync(dir);
      const again = ['Mine, edited in Tack', 'Theirs, edited there'];
      expect(await remoteComments(remoteId)).toEqual(again);
      expect(await localComments(dir, id)).toEqual(again);
      await expectQuiet(dir);
      expect((await svc.remoteGet(remoteId)).comments).toHaveLength(2);
    });

    it('close and reopen travel both ways by state category', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'To close');
      await sync(dir);
      const remoteId = await remoteIdOf(dir, id);
      await run(dir, ['close', id]);
      await sync(dir);
      expect((await svc.remoteGet(remoteId)).state).toBe('completed');
      await svc.remoteUpdate(remoteId, { state: 'unstarted' });
      await sync(dir);
      expect((await show(dir, id)).category).toBe('unstarted');
      await expectQuiet(dir);
    });

    it('remote delete → canceled, remote archive → archived, local delete → remote archived; never a hard delete', async () => {
      const dir = await connected();
      const [a, b, c] = [
        await createLocal(dir, 'Deleted remotely'),
        await createLocal(dir, 'Archived remotely'),
        await createLocal(dir, 'Deleted locally'),
      ];
      await sync(dir);
      const [ra, rb, rc] = [await remoteIdOf(dir, a), await remoteIdOf(dir, b), await remoteIdOf(dir, c)];
      const count = svc.remoteCount();
      await svc.remoteDelete(ra);
      await svc.remoteArchive(rb);
      await run(dir, ['delete', c]);
      await sync(dir);
      expect((await show(dir, a)).category).toBe('canceled');
      expect(git(dir, 'ls-tree', '--name-only', 'tack', 'archive/')).toContain(`archive/${b}.md`);
      expect((await svc.remoteGet(rc)).archived).toBe(true);
      expect(svc.remoteCount()).toBe(count);
      await expectQuiet(dir);
    });

    it('rides out 429s and 5xx with backoff', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'Through the storm');
      svc.failNext(2, 429);
      svc.failNext(2, 503);
      const r = await sync(dir);
      expect(r.errors).toEqual([]);
      expect(svc.pendingFailures(), 'every injected failure was met and retried').toBe(0);
      expect(await remoteIdOf(dir, id)).toBeTruthy();
      await expectQuiet(dir);
    });

    it('a crash between the remote create and the local commit does not duplicate', async () => {
      const dir = await connected();
      const id = await createLocal(dir, 'Crash test');
      const before = svc.remoteCount();
      const crashed = await tackAwait(dir, ['sync', svc.kind, '--json'], { TACK_FAULT: 'after-remote-write' });
      expect(crashed.status).not.toBe(0);
      expect(svc.remoteCount()).toBe(before + 1);
      expect(await remoteIdOf(dir, id)).toBeFalsy();
      const pending = await json(dir, 'connections');
      expect(pending.connections[0].pending).toEqual([id]);
      const r = await sync(dir);
      expect(r.errors).toEqual([]);
      expect(svc.remoteCount()).toBe(before + 1);
      expect(await remoteIdOf(dir, id)).toBeTruthy();
      await expectQuiet(dir);
      expect((await json(dir, 'connections')).connections[0].pending).toEqual([]);
    });

    it('live mode: signed webhooks sync at once; duplicates, replays, forgeries and out-of-order deliveries change nothing', async () => {
      const dir = await connected();
      await run(dir, ['connect', ...svc.connectArgs(SECRET), '--poll', '0']);
      const id = await createLocal(dir, 'Live');
      await sync(dir);
      const remoteId = await remoteIdOf(dir, id);
      const { startServe } = await import('../serverHarness.js');
      const server = await startServe(dir);
      track(() => void server.stop());
      svc.webhooks.point(`${server.url}/hooks/${svc.kind}`, SECRET);
      try {
        const first = svc.webhooks.count();
        await svc.remoteUpdate(remoteId, { title: 'Live one' });
        await svc.remoteUpdate(remoteId, { title: 'Live two' });
        await svc.webhooks.settle();
        expect((await show(dir, id)).title).toBe('Live two');
        const head = git(dir, 'rev-parse', 'tack');
        const writes = svc.apiWrites();
        expect(await svc.webhooks.resend(svc.webhooks.count() - 1, false)).toBe(200); // duplicate
        expect(await svc.webhooks.resend(first, true)).toBe(200); // older change, arriving late
        expect(await svc.webhooks.forge(first, 'signature')).toBe(401);
        const stale = await svc.webhooks.forge(first, 'stale');
        if (stale !== null) expect(stale).toBe(401);
        expect(git(dir, 'rev-parse', 'tack')).toBe(head);
        expect((await show(dir, id)).title).toBe('Live two');
        expect(svc.apiWrites()).toBe(writes);
      } finally {
        svc.webhooks.point(null, SECRET);
        await server.stop();
      }
    });

    it('live mode: the poller catches changes no webhook announced', async () => {
      const dir = await connected();
      await run(dir, ['connect', ...svc.connectArgs(SECRET), '--poll', '300ms']);
      const remoteId = await svc.remoteCreate('Polled');
      const { startServe } = await import('../serverHarness.js');
      const server = await startServe(dir);
      track(() => void server.stop());
      try {
        // Polls with the CLI while the server commits: a read that fails is retried, and the
        // last failure is shown if the wait runs out.
        let lastError = '';
        const poll = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T | undefined> => {
          for (let i = 0; i < 100; i++) {
            await new Promise((r) => setTimeout(r, 200));
            try {
              const v = await read();
              if (ok(v)) return v;
            } catch (e) {
              lastError = (e as Error).message;
            }
          }
          return undefined;
        };
        const found = await poll(
          () => ticketOf(dir, remoteId),
          (v) => !!v,
        );
        expect(found, `the poller imported the remote issue ${lastError}`).toBeTruthy();
        await svc.remoteUpdate(remoteId, { title: 'Polled, edited' });
        const title = await poll(
          async () => (await show(dir, found!)).title as string,
          (t) => t === 'Polled, edited',
        );
        expect(title, lastError).toBe('Polled, edited');
      } finally {
        await server.stop();
      }
    });

    it('two clones syncing the same tickets never create the same remote issue twice', async () => {
      const a = await connected();
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const parent = mkdtempSync(join(tmpdir(), 'tack-clone-'));
      track(() => rmSync(parent, { recursive: true, force: true }));
      const id = await createLocal(a, 'Shared before syncing');
      const b = join(parent, 'b');
      git(parent, 'clone', '-q', a, b);
      await run(b, ['connect', ...svc.connectArgs(SECRET)]);
      const remoteId = await svc.remoteCreate('Made remotely, seen by both');
      const before = svc.remoteCount();
      await sync(a);
      await sync(b); // b has not seen a's mapping commit: it must find a's remote issue, not make one
      expect(svc.remoteCount()).toBe(before + 1);
      expect(await remoteIdOf(b, id)).toBe(await remoteIdOf(a, id));
      // Both imported the remote issue under the same ticket id, so git merges them as one.
      expect(await ticketOf(b, remoteId)).toBe(await ticketOf(a, remoteId));
      await run(b, ['sync']); // git: b fetches a's commits and merges
      await expectQuiet(b);
      expect(svc.remoteCount()).toBe(before + 1);
    });

    it('tack connections reports the state of the connection', async () => {
      const dir = await connected();
      await createLocal(dir, 'Counted');
      await sync(dir);
      const c = (await json(dir, 'connections')).connections[0];
      expect(c.connection).toBe(svc.kind);
      expect(c.lastSync).toMatch(/^\d{4}-/);
      expect(c.cursor).toBeTruthy();
      expect(c.synced).toBeGreaterThanOrEqual(1);
      expect(c.pending).toEqual([]);
      expect(c.errors).toEqual([]);
      // Credentials never reach git.
      expect(git(dir, 'ls-tree', '-r', '--name-only', 'tack')).not.toMatch(/credentials/);
      expect(readFileSync(join(dir, '.git', 'tack', 'connections.json'), 'utf8')).not.toMatch(/api-key|apiKey/);
    });

    it('every request the connector sent matched the service contract', () => {
      expect(svc.contractViolations()).toEqual([]);
    });
  });
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_YAML } from '../src/model/schema.js';
import { git, revParse, storeFixture, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { startServe } from './serverHarness.js';

const track = trackCleanups();

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  return s.dir;
}

/** Run the built CLI as `user` (the human is git's author, "Test User"; agents use TACK_USER). */
function as(user: string, dir: string, ...args: string[]): any {
  const r = tackRaw(dir, [...args, '--json'], { TACK_USER: user });
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} (as ${user}) exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
function failAs(user: string, dir: string, ...args: string[]): { code: string; message: string } {
  const r = tackRaw(dir, [...args, '--json'], { TACK_USER: user });
  expect(r.status).not.toBe(0);
  return JSON.parse(
    r.stderr
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{"error"'))!,
  ).error;
}
const HUMAN = 'Test User';
const AGENT = 'agent-1';
const human = (dir: string, ...args: string[]) => as(HUMAN, dir, ...args);
const agent = (dir: string, ...args: string[]) => as(AGENT, dir, ...args);

function codeCommit(dir: string, file: string, message: string): string {
  writeFileSync(join(dir, file), `${message}\n`);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A small but realistic project: an epic with a design doc, a task for an agent under it, a blocker. */
function project(dir: string) {
  human(
    dir,
    'docs',
    'add',
    'docs/auth.md',
    '--text',
    '# Auth design\n\nSessions are signed tokens in a cookie; passwords use bcrypt.\n',
  );
  const epic = human(
    dir,
    'create',
    'Accounts',
    '-t',
    'epic',
    '-d',
    'Users need accounts so that carts survive a browser restart.',
  ).id as string;
  const task = human(
    dir,
    'create',
    'Add POST /login',
    '--parent',
    epic,
    '--audience',
    'agent',
    '--link',
    'docs/auth.md',
    '-p',
    'high',
    '-d',
    'Implement the login endpoint.\n\n## Acceptance criteria\n\n- 200 and a session cookie for a good password\n- 401 otherwise\n',
  ).id as string;
  const blocker = human(dir, 'create', 'Create the users table', '--blocks', task).id as string;
  const other = human(dir, 'create', 'Pick a logo', '--audience', 'human').id as string;
  return { epic, task, blocker, other };
}

/** The project, made once per file; each test changes a copy of its own. */
const projectStore = storeFixture(project);

describe('the agent pipeline, end to end with the built CLI', () => {
  it('ready --for, ask/answer, discovered work, submit, reject, resubmit, approve, list --reviewed', () => {
    const { dir, ...p } = projectStore();
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
    expect(ids(agent(dir, 'ready', '--for', 'agent'))).toEqual([]); // blocked
    human(dir, 'close', p.blocker);
    expect(ids(agent(dir, 'ready', '--for', 'agent'))).toEqual([p.task]);
    // The epic holds work rather than being work (a container type): never offered.
    expect(ids(agent(dir, 'ready', '--for', 'human'))).toEqual([p.other]);
    expect(ids(agent(dir, 'ready', '--for', 'human', '--type', 'epic'))).toEqual([p.epic]);
    expect(ids(agent(dir, 'ready', '--for', 'human'))).not.toContain(p.task);
    expect(agent(dir, 'ready', '--for', 'agent', '--claim').ticket).toMatchObject({ id: p.task, assignee: AGENT });

    const asked = agent(dir, 'ask', p.task, 'Which cookie name?');
    expect(asked.ticket).toMatchObject({ status: 'needs-context', assignee: HUMAN });
    expect(asked.question.text).toBe('**Question:** Which cookie name?');
    expect(ids(agent(dir, 'ready', '--for', 'agent'))).toEqual([]);
    expect(ids(human(dir, 'ready'))).not.toContain(p.task);
    expect(failAs(AGENT, dir, 'answer', p.epic, 'x').code).toBe('invalid_input');

    const answered = human(dir, 'answer', p.task, 'Call it `sid`.');
    expect(answered.ticket).toMatchObject({ status: 'todo', assignee: AGENT });

    const c1 = codeCommit(dir, 'login.js', `Add login endpoint (${p.task})`);
    codeCommit(dir, 'unrelated.js', 'Unrelated change');
    const c2 = codeCommit(dir, 'login.test.js', `${p.task.slice(0, 7)}: tests for 401`);
    const found = agent(dir, 'create', 'Rate-limit login attempts', '--discovered-from', p.task);
    expect(human(dir, 'show', found.id).relations.discovered_from).toEqual([p.task]);
    expect(human(dir, 'show', p.task).relations.discovered).toEqual([found.id]);

    const sub = agent(
      dir,
      'submit',
      p.task,
      '--criteria',
      'Both criteria hold',
      '--instructions',
      'Run npm test; curl -i localhost:3000/login',
    );
    expect(sub.ticket.status).toBe('in-review');
    expect(sub.review).toMatchObject({ type: 'review', assignee: HUMAN, audience: 'human' });
    expect(sub.branch).toBe('main');
    expect(sub.commits.map((c: { sha: string }) => c.sha)).toEqual([c2, c1]);
    expect(sub.range).toBe(`${c1.slice(0, 12)}^..${c2.slice(0, 12)}`);
    const reviewTicket = human(dir, 'show', sub.review.id);
    expect(reviewTicket.relations.reviews).toEqual([p.task]);
    expect(reviewTicket.description).toContain('## Criteria\n\nBoth criteria hold');
    expect(reviewTicket.description).toContain('curl -i localhost:3000/login');
    expect(reviewTicket.description).toContain(`git diff ${sub.range}`);
    expect(reviewTicket.description).toContain(c1.slice(0, 12));
    expect(failAs(AGENT, dir, 'submit', p.task, '-c', 'x', '-i', 'y').message).toContain(sub.review.id);

    expect(failAs(HUMAN, dir, 'review', sub.review.id, 'reject').code).toBe('invalid_input');
    const rejected = human(dir, 'review', sub.review.id, 'reject', 'No test for the 401 case');
    expect(rejected.work).toBe(p.task);
    const work = human(dir, 'show', p.task);
    expect(work).toMatchObject({ status: 'todo', verdict: 'rejected', assignee: AGENT });
    expect(work.comments.at(-1).body).toBe('**Review rejected:** No test for the 401 case');
    expect(human(dir, 'show', sub.review.id)).toMatchObject({
      category: 'completed',
      resolution: 'rejected: No test for the 401 case',
    });

    const sub2 = agent(dir, 'submit', p.task, '-c', 'The 401 test exists', '-i', 'npm test');
    human(dir, 'review', p.task, 'approve', 'Looks right');
    expect(human(dir, 'show', p.task)).toMatchObject({
      status: 'done',
      verdict: 'approved',
      resolution: 'Looks right',
    });
    expect(human(dir, 'show', sub2.review.id).status).toBe('done');
    expect(ids(human(dir, 'list', '--reviewed', 'approved'))).toEqual([p.task]);
    expect(ids(human(dir, 'list', '--reviewed', 'rejected'))).toEqual([]);
    expect(ids(human(dir, 'list', '--reviewed', 'any'))).toEqual([p.task]);
  });

  it('brief is a self-contained handoff: task, criteria, why, docs, blockers, commits, Q&A', () => {
    const { dir, ...p } = projectStore();
    agent(dir, 'ask', p.task, 'Which cookie name?');
    human(dir, 'answer', p.task, 'Call it sid.');
    agent(dir, 'ask', p.task, 'Lockout after how many tries?');
    const sha = codeCommit(dir, 'login.js', `login: first cut (${p.task})`);
    const b = agent(dir, 'brief', p.task);
    expect(b.ticket).toMatchObject({ id: p.task, title: 'Add POST /login', audience: 'agent', priority: 'high' });
    expect(b.acceptance).toBe('- 200 and a session cookie for a good password\n- 401 otherwise');
    expect(b.parents.map((x: { id: string }) => x.id)).toEqual([p.epic]);
    expect(b.docs).toEqual([
      {
        path: 'docs/auth.md',
        title: 'Auth design',
        body: expect.stringContaining('passwords use bcrypt'),
        linked_by: p.task,
      },
    ]);
    expect(b.blocked_by.map((x: { id: string }) => x.id)).toEqual([p.blocker]);
    expect(b.commits.map((c: { sha: string }) => c.sha)).toEqual([sha]);
    expect(b.questions).toHaveLength(2);
    expect(b.questions[0].answer.text).toBe('Call it sid.');
    expect(b.questions[1].answer).toBeNull();
    const md: string = b.markdown;
    const order = [
      `# ${p.task}`,
      '## The task',
      '## Acceptance criteria',
      '## Why: the parent chain',
      'carts survive a browser restart',
      '## Linked doc: docs/auth.md',
      'passwords use bcrypt',
      '## Blocked by',
      '1 still open',
      '## Code',
      sha.slice(0, 12),
      '## Questions and answers',
      'Call it sid.',
      '(not answered yet)',
      '## When done',
    ];
    let at = 0;
    for (const s of order) {
      const i = md.indexOf(s, at);
      expect(i, `"${s}" after position ${at}`).toBeGreaterThanOrEqual(0);
      at = i;
    }
    // the criteria are shown once, not again inside the task text
    expect(md.split('401 otherwise').length).toBe(2);
    const human_ = tackRaw(dir, ['brief', p.task]);
    expect(human_.stdout.trimEnd()).toBe(md.trimEnd());

    // The docs a parent links explain its children too: a task under a spec gets the spec's doc.
    human(dir, 'docs', 'add', 'docs/sessions.md', '--text', '# Sessions\n\nExpire after 30 days.\n');
    const spec = human(
      dir,
      'create',
      'Session spec',
      '-t',
      'spec',
      '--link',
      'docs/sessions.md',
      '--link',
      'docs/auth.md',
    ).id as string;
    const child = human(dir, 'create', 'Expire sessions', '--parent', spec, '--link', 'docs/auth.md').id as string;
    const cb = agent(dir, 'brief', child);
    expect(cb.docs.map((d: { path: string; linked_by: string }) => [d.path, d.linked_by])).toEqual([
      ['docs/auth.md', child],
      ['docs/sessions.md', spec],
    ]);
    expect(cb.markdown).toContain(`## Linked doc: docs/sessions.md (Sessions), linked by parent ${spec}`);
    expect(cb.markdown).toContain('Expire after 30 days.');
  });

  it('prime fits in 2 KB and shows what the agent holds and what is ready for it', () => {
    const { dir, ...p } = projectStore();
    human(dir, 'close', p.blocker);
    const items = Array.from({ length: 40 }, (_, i) => ({
      op: 'create',
      title: `Agent chore ${i} with a fairly long title to fill the lines up`,
      field: ['audience=agent'],
    }));
    const r = tackRaw(dir, ['batch', '-', '--json'], { TACK_USER: HUMAN }, JSON.stringify(items));
    expect(r.status, r.stderr).toBe(0);
    agent(dir, 'claim', p.task);
    const prime = agent(dir, 'prime');
    expect(Buffer.byteLength(prime.text)).toBeLessThanOrEqual(2048);
    // --json keys are snake_case like every other Tack answer.
    expect(Object.keys(prime)).toEqual([
      'user',
      'ready_all',
      'ready',
      'claims',
      'mine',
      'waiting_on_me',
      'responses',
      'reserved',
      'reserved_by_others',
      'text',
    ]);
    expect(prime.ready_all).toBe(false);
    expect(prime.claims.map((c: { title: string }) => c.title)).toEqual(['Add POST /login']);
    expect(prime.text).toMatch(/## You hold \(claimed\)\n- tk-\w+ \[in-progress\] Add POST \/login/);
    expect(prime.text).toContain('Agent chore');
    expect(prime.text).not.toContain('Pick a logo'); // human work is not offered to agents
    expect(prime.text).toContain('tack brief ID');
    const plain = tackRaw(dir, ['prime'], { TACK_USER: AGENT });
    expect(plain.stdout.trimEnd()).toBe(prime.text.trimEnd());
  });
});

/** schema.yaml as stores made before agent support have it. */
const OLD_SCHEMA = DEFAULT_SCHEMA_YAML.replace(/^ {2}# waiting:.*\n.*needs-context.*\n/m, '')
  .replace(/^ {2}discovered_from:.*\n {2}reviews:.*\n/m, '')
  .replace(/^fields:\n(.*\n){2}/m, 'fields: {}\n');

describe('stores made before agent support', () => {
  it('ask and friends fail with how to fix it; tack setup agents adds what is missing, once', () => {
    const dir = store();
    expect(OLD_SCHEMA).not.toContain('needs-context');
    expect(OLD_SCHEMA).toContain('fields: {}');
    expect(tackRaw(dir, ['schema', 'set', '-'], {}, OLD_SCHEMA).status).toBe(0);
    const id = human(dir, 'create', 'Old work').id;
    const head = revParse(dir, 'tack');
    for (const args of [
      ['ask', id, 'why?'],
      ['create', 'x', '--discovered-from', id],
      ['ready', '--for', 'agent'],
      ['list', '--reviewed', 'any'],
    ]) {
      const e = failAs(AGENT, dir, ...args);
      expect(e.code).toBe('invalid_schema');
      expect(e.message).toContain('run `tack setup agents`');
    }
    expect(revParse(dir, 'tack')).toBe(head); // refused before anything was written

    writeFileSync(join(dir, 'CLAUDE.md'), '# Claude notes\n\nPrefer small diffs.\n');
    const setup = human(dir, 'setup', 'agents');
    expect(setup.schema_added).toEqual(['waiting', 'discovered_from', 'reviews', 'audience', 'verdict']);
    expect(setup.files).toEqual([
      { path: 'AGENTS.md', changed: true },
      { path: 'CLAUDE.md', changed: true },
      { path: '.mcp.json', changed: true },
      { path: '.claude/settings.json', changed: true },
    ]);
    expect(git(dir, 'log', '-1', '--format=%s', 'tack')).toContain('schema: add the agent pipeline');
    const claude = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    expect(claude.startsWith('# Claude notes\n\nPrefer small diffs.\n')).toBe(true);
    expect(claude).toContain('tack prime');
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toContain('tack prime');

    const after = revParse(dir, 'tack');
    const again = human(dir, 'setup', 'agents');
    expect(again).toMatchObject({
      schema_added: [],
      commit: null,
      message: 'agents are already set up; nothing changed',
    });
    expect(again.files.every((f: { changed: boolean }) => !f.changed)).toBe(true);
    expect(revParse(dir, 'tack')).toBe(after);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe(claude);

    expect(agent(dir, 'ask', id, 'why?').ticket.status).toBe('needs-context');
    expect(existsSync(join(dir, 'AGENTS.md'))).toBe(true);
  });
});

describe('tack setup agents: harness files', () => {
  const read = (dir: string, p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8'));

  it('writes the MCP server and prime hooks, merged into what is there, and a second run changes nothing', () => {
    const dir = store();
    mkdirSync(join(dir, '.claude'));
    mkdirSync(join(dir, '.cursor'));
    // The user's own settings: other servers, hooks, keys we do not know, and a custom tack command.
    writeFileSync(
      join(dir, '.claude/settings.json'),
      JSON.stringify({
        permissions: { allow: ['Bash(npm test)'] },
        env: { TACK_USER: 'my-claude', OTHER: '1' },
        hooks: { SessionStart: [{ matcher: 'resume', hooks: [{ type: 'command', command: 'echo hi' }] }] },
      }),
    );
    writeFileSync(
      join(dir, '.cursor/mcp.json'),
      JSON.stringify({ mcpServers: { other: { command: 'x' }, tack: { command: 'npx', args: ['tack', 'mcp'] } } }),
    );
    const setup = human(dir, 'setup', 'agents');
    expect(setup.files.map((f: { path: string }) => f.path)).toEqual([
      'AGENTS.md',
      '.mcp.json',
      '.claude/settings.json',
      '.cursor/mcp.json',
    ]);
    expect(read(dir, '.mcp.json')).toEqual({
      mcpServers: { tack: { command: 'tack', args: ['mcp'], env: { TACK_USER: 'claude-code' } } },
    });
    expect(read(dir, '.claude/settings.json')).toEqual({
      permissions: { allow: ['Bash(npm test)'] },
      env: { TACK_USER: 'my-claude', OTHER: '1' },
      hooks: {
        SessionStart: [
          { matcher: 'resume', hooks: [{ type: 'command', command: 'echo hi' }] },
          { matcher: 'startup', hooks: [{ type: 'command', command: 'tack prime' }] },
          { matcher: 'compact', hooks: [{ type: 'command', command: 'tack prime' }] },
        ],
      },
    });
    expect(read(dir, '.cursor/mcp.json')).toEqual({
      mcpServers: {
        other: { command: 'x' },
        tack: { command: 'npx', args: ['tack', 'mcp'], env: { TACK_USER: 'cursor' } },
      },
    });
    expect(existsSync(join(dir, '.gemini'))).toBe(false); // not used here, not asked for

    const files = ['.mcp.json', '.claude/settings.json', '.cursor/mcp.json'].map((p) =>
      readFileSync(join(dir, p), 'utf8'),
    );
    const again = human(dir, 'setup', 'agents');
    expect(again.files.every((f: { changed: boolean }) => !f.changed)).toBe(true);
    expect(again.message).toBe('agents are already set up; nothing changed');
    expect(
      ['.mcp.json', '.claude/settings.json', '.cursor/mcp.json'].map((p) => readFileSync(join(dir, p), 'utf8')),
    ).toEqual(files);

    human(dir, 'setup', 'agents', '--harness', 'gemini', '--agent-user', 'gem-1');
    expect(read(dir, '.gemini/settings.json')).toEqual({
      mcpServers: { tack: { command: 'tack', args: ['mcp'], env: { TACK_USER: 'gem-1' } } },
    });
  });

  it('refuses a file that is not JSON, and writes nothing at all', () => {
    const dir = store();
    writeFileSync(join(dir, '.mcp.json'), '{ "mcpServers": { // my notes\n');
    const r = tackRaw(dir, ['setup', 'agents', '--json']);
    expect(r.status).not.toBe(0);
    const e = JSON.parse(r.stdout || r.stderr).error;
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('.mcp.json is not valid JSON');
    expect(e.message).toContain('nothing was written');
    expect(readFileSync(join(dir, '.mcp.json'), 'utf8')).toBe('{ "mcpServers": { // my notes\n');
    expect(existsSync(join(dir, 'AGENTS.md'))).toBe(false);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    for (const bad of ['[]', '{"mcpServers": []}']) {
      writeFileSync(join(dir, '.mcp.json'), bad);
      expect(tackRaw(dir, ['setup', 'agents']).status, bad).not.toBe(0);
      expect(readFileSync(join(dir, '.mcp.json'), 'utf8')).toBe(bad);
    }
    expect(tackRaw(dir, ['setup', 'agents', '--agent-user', 'a b; rm -rf /']).status).not.toBe(0);
  });

  it('configures Codex in .codex/config.toml when the repo uses Codex: edited in place, the rest kept', () => {
    const dir = store();
    mkdirSync(join(dir, '.codex'));
    // The user's config: a model, another server, and a string that only looks like our table.
    const mine = [
      'model = "o3"',
      'notes = """',
      '[mcp_servers.tack]',
      'command = "sh -c \'touch pwned\'"',
      '"""',
      '',
      '[mcp_servers.docs]',
      'command = "npx"',
      '',
    ].join('\n');
    writeFileSync(join(dir, '.codex/config.toml'), mine);
    const setup = human(dir, 'setup', 'agents');
    expect(setup.files.map((f: { path: string }) => f.path)).toContain('.codex/config.toml');
    const text = readFileSync(join(dir, '.codex/config.toml'), 'utf8');
    expect(text).toBe(`${mine}\n[mcp_servers.tack]\ncommand = "tack"\nargs = ["mcp"]\nenv = { TACK_USER = "codex" }\n`);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    const again = human(dir, 'setup', 'agents');
    expect(again.files.find((f: { path: string }) => f.path === '.codex/config.toml').changed).toBe(false);
    expect(readFileSync(join(dir, '.codex/config.toml'), 'utf8')).toBe(text);
    // Named explicitly, with another agent name: the user's TACK_USER stays.
    human(dir, 'setup', 'agents', '--harness', 'codex', '--agent-user', 'codex-2');
    expect(readFileSync(join(dir, '.codex/config.toml'), 'utf8')).toBe(text);
    // A config.toml that is not TOML stops the run: nothing written anywhere.
    const other = store();
    mkdirSync(join(other, '.codex'));
    writeFileSync(join(other, '.codex/config.toml'), 'model = "o3\n');
    const r = tackRaw(other, ['setup', 'agents', '--json']);
    expect(r.status).not.toBe(0);
    expect(JSON.parse(r.stdout || r.stderr).error.message).toContain('.codex/config.toml:1: a string is not closed');
    expect(readFileSync(join(other, '.codex/config.toml'), 'utf8')).toBe('model = "o3\n');
    expect(existsSync(join(other, 'AGENTS.md'))).toBe(false);
  });
});

describe('the pipeline over REST (generated routes of `tack serve`)', () => {
  it('ask, answer and brief work over HTTP; setup agents is not offered', async () => {
    const { dir, ...p } = projectStore();
    const server = await startServe(dir);
    // The agent asks through its own server: the self_answer gate refuses an answer by the asker.
    const agentServer = await startServe(dir, [], { TACK_USER: AGENT });
    try {
      const postTo = (srv: typeof server) => (path: string, body: unknown) =>
        fetch(srv.url + path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(srv.token ? { authorization: `Bearer ${srv.token}` } : {}),
          },
          body: JSON.stringify(body),
        });
      const post = postTo(server);
      const asked = await postTo(agentServer)('/api/ask', { id: p.task, question: 'Which cookie name?' });
      expect(asked.status).toBe(200);
      expect((await asked.json()).ticket).toMatchObject({ status: 'needs-context', assignee: HUMAN });
      const answered = await (await post('/api/answer', { id: p.task, answer: 'sid' })).json();
      expect(answered.ticket).toMatchObject({ status: 'todo', assignee: AGENT }); // back to the asker
      const brief = await fetch(`${server.url}/api/brief?id=${p.task}`, {
        headers: server.token ? { authorization: `Bearer ${server.token}` } : {},
      });
      expect((await brief.json()).markdown).toContain('**A** (tester');
      expect((await post('/api/setup-agents', {})).status).toBe(404);
      // `start` switches code branches in the server's work tree: not offered either.
      expect((await post('/api/start', { id: p.task })).status).toBe(404);
    } finally {
      await agentServer.stop();
      await server.stop();
    }
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackImport, tackJson, tempStore, trackCleanups } from './helpers.js';

/* `tack import markdown` and `tack export markdown`: a hand-kept TASKS.md, synced both ways. */

const FIXTURE = resolve(__dirname, 'fixtures/shared/data/markdown/TASKS.md');
const TEXT = readFileSync(FIXTURE, 'utf8');
const track = trackCleanups();

function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

const importJson = (dir: string, file: string) => tackImport(dir, 'markdown', file);

/** What the file says, read independently of the importer: key → status tag. */
function tagsInFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key = '';
  for (const line of text.split('\n')) {
    const h = /^### (\S+) — /.exec(line);
    if (h) key = h[1];
    const s = /^- Status: `(\w+)`/.exec(line);
    if (s && key) out.set(key, s[1]);
  }
  return out;
}

describe('tack import markdown', () => {
  it('imports every ### ticket with its status, milestone, goal and acceptance bullets', () => {
    const dir = store();
    const tags = tagsInFile(TEXT);
    const res = importJson(dir, FIXTURE);
    expect(res).toMatchObject({ total: tags.size, created: tags.size, updated: 0 });
    const states: Record<string, string> = {
      BACKLOG: 'backlog',
      NEXT: 'todo',
      IN_PROGRESS: 'in-progress',
      BLOCKED: 'blocked',
      DONE: 'done',
    };
    const rows = tackJson(dir, 'sql', "SELECT json_extract(fields, '$.markdown.key') AS k, status FROM tickets");
    expect(new Map(rows.map((r: any) => [r.k, r.status]))).toEqual(
      new Map([...tags].map(([k, tag]) => [k, states[tag]])),
    );
    const t = tackJson(dir, 'show', 'M0-T2');
    expect(t).toMatchObject({ title: 'Global config file (`config.toml`)', project: 'M0', status: 'done' });
    expect(t.description).toContain('Goal: Define and implement a global TOML config file with typed access.');
    expect(t.description).toContain(
      '## Acceptance\n\n- Config loads on app start; missing file falls back to defaults\n',
    );
    expect(t.description).toContain('- No secrets stored');
    const schema = tackJson(dir, 'schema');
    expect(schema.projects.map((p: any) => `${p.key}: ${p.name}`)).toEqual(
      expect.arrayContaining(['M0: Foundations', 'M4: AI streaming', 'M7: Extensions (MVP)']),
    );
    expect(schema.projects.map((p: any) => p.key)).not.toContain('status-tags');
    expect(schema.states).toContainEqual({ name: 'blocked', category: 'started' });
    // BLOCKED is not ready work; NEXT is.
    const ready = tackJson(dir, 'ready', '-n', '100').map((x: any) => x.title);
    expect(ready).toContain('Workspace on-disk spec');
    expect(ready).not.toContain('Spike: Keychain `SecretStore`');
  });

  it('round-trips: import → export → import changes nothing; an edited status updates that ticket only', () => {
    const dir = store();
    importJson(dir, FIXTURE);
    const out = join(dir, 'TASKS.md');
    tack(dir, 'export', 'markdown', '--out', out);
    const exported = readFileSync(out, 'utf8');
    expect(tagsInFile(exported)).toEqual(tagsInFile(TEXT));
    // Same tickets, same lines: only the preamble (legend, how-to) is written anew.
    const tickets = (s: string) =>
      s
        .slice(s.indexOf('## M0'))
        .split('\n')
        .filter((l) => l.trim())
        .join('\n');
    expect(tickets(exported)).toBe(tickets(TEXT));
    const head = revParse(dir, 'tack');
    expect(importJson(dir, out)).toMatchObject({ created: 0, updated: 0, commit: null });
    expect(revParse(dir, 'tack')).toBe(head);

    writeFileSync(out, exported.replace(/(### M1-T3 — [^\n]*\n- Status: )`BACKLOG`/, '$1`IN_PROGRESS`'));
    const res = importJson(dir, out);
    expect(res).toMatchObject({ created: 0, updated: 1 });
    expect(res.tickets.filter((t: any) => t.action === 'update').map((t: any) => t.key)).toEqual(['M1-T3']);
    expect(tackJson(dir, 'show', 'M1-T3').status).toBe('in-progress');
    expect(git(dir, 'diff', '--name-only', head!, 'tack').split('\n')).toHaveLength(1);
  });

  it('dependencies: "Depends on" becomes blocks on the dependency, and exports back', () => {
    const dir = store();
    const file = join(dir, 'T.md');
    writeFileSync(
      file,
      [
        '# Plan',
        '',
        '## M1 — First',
        '',
        '### M1-T1 — Schema',
        '- Status: `NEXT`',
        '',
        '### M1-T2 — API',
        '- Status: `NEXT`',
        '- Depends on: M1-T1, M9-T9',
        '- Some note the team wrote',
        '',
      ].join('\n'),
    );
    const res = importJson(dir, file);
    expect(res.warnings).toContain('M1-T2: depends on M9-T9, which is not a ticket in the file; left out');
    expect(tackJson(dir, 'show', 'M1-T1').blocks).toEqual([tackJson(dir, 'show', 'M1-T2').id]);
    const ready = tackJson(dir, 'ready').map((x: any) => x.title);
    expect(ready).toEqual(['Schema']);
    expect(tackJson(dir, 'show', 'M1-T2').description).toContain('## Notes\n\n- Some note the team wrote');
    const text = tack(dir, 'export', 'markdown');
    expect(text).toContain('### M1-T2 — API\n- Status: `NEXT`\n- Depends on: M1-T1\n- Some note the team wrote');
  });

  it('a ticket created in Tack exports under its id and imports back onto itself', () => {
    const dir = store();
    importJson(dir, FIXTURE);
    const created = tackJson(dir, 'create', 'Written in Tack', '--project', 'M2');
    const out = join(dir, 'TASKS.md');
    tack(dir, 'export', 'markdown', '--out', out);
    expect(readFileSync(out, 'utf8')).toContain(`### ${created.id} — Written in Tack\n- Status: \`NEXT\``);
    // The first import claims it for the file (it gains markdown.key); no duplicate, and then nothing to do.
    const res = importJson(dir, out);
    expect(res).toMatchObject({ created: 0 });
    expect(res.tickets.find((t: any) => t.key === created.id)).toMatchObject({ id: created.id });
    expect(importJson(dir, out)).toMatchObject({ created: 0, updated: 0, commit: null });
    expect(tackJson(dir, 'show', created.id)).toMatchObject({
      title: 'Written in Tack',
      project: 'M2',
      status: 'todo',
    });
  });

  it('works on an inline store (.tack/ on the current branch) the same way', () => {
    const r = tempStore({ inline: true });
    track(r.cleanup);
    const first = importJson(r.dir, FIXTURE);
    expect(first).toMatchObject({ created: tagsInFile(TEXT).size });
    expect(git(r.dir, 'log', '-1', '--format=%s', 'main')).toContain('import markdown');
    expect(importJson(r.dir, FIXTURE)).toMatchObject({ created: 0, updated: 0, commit: null });
    expect(git(r.dir, 'status', '--porcelain')).toBe('');
  });
});

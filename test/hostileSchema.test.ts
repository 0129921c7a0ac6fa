import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tack, tackJson, tackRaw, trackCleanups } from './helpers.js';
import { commitToStore, tackEnv } from './storeFiles.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * A collaborator pushes a broken schema.yaml with plain git. It must be a schema.yaml:LINE
 * problem: reads and writes go on under the last good schema, and a fixing commit heals it.
 */

const track = trackCleanups();

const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n`;

const cases: Array<[string, string | Buffer]> = [
  ['alias self-reference', 'x: &x [*x]\n'],
  ['alias bomb', bomb],
  ['a !!js/function tag', 'fields: !!js/function "function () { return 1 }"\n'],
  [
    'invalid UTF-8',
    Buffer.concat([Buffer.from('fields:\n  - name: '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n')]),
  ],
  ['a 9 MiB file', `# ${'x'.repeat(9 * 1024 * 1024)}\n`],
  ['valid YAML that is no schema', 'fields: 42\nstatuses: nope\n'],
];

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
}

describe('a hostile schema.yaml committed by plain git', () => {
  for (const [name, content] of cases) {
    it(`${name}: a schema.yaml:LINE problem, everything keeps working, a fix heals`, () => {
      const { first } = remoteWithStore(track);
      const good = git(first, 'show', 'tack:schema.yaml');
      const a = tackJson(first, 'create', 'healthy one').id as string;
      commitToStore(first, { 'schema.yaml': content }, 'hand edit of the schema');
      const where = /schema\.yaml:\d+/;

      const list = tackRaw(first, ['list']);
      expect(list.status).toBe(0);
      expect(list.stdout).toContain('healthy one');
      expect(list.stderr).toMatch(where);
      expect(list.stderr).toContain('last good schema');
      expectNoStack(list.stderr);
      expect(tack(first, 'show', a)).toContain('healthy one');
      expect(tack(first, 'search', 'healthy')).toContain('healthy');
      const doctor = tackRaw(first, ['doctor']);
      expect(doctor.status).not.toBe(0);
      expect(doctor.stdout + doctor.stderr).toMatch(/schema\.yaml:\d+: \[parse\]/);
      expectNoStack(doctor.stdout + doctor.stderr);
      expect(tackJson(first, 'reindex').problems).toBe(1);
      // Writes proceed under the last good schema.
      const b = tackJson(first, 'create', 'written while broken').id as string;
      expect(tack(first, 'show', b)).toContain('written while broken');
      expect(tackRaw(first, ['sync']).status).toBe(0);

      commitToStore(first, { 'schema.yaml': `${good}\n` }, 'fix the schema');
      const healed = tackRaw(first, ['list']);
      expect(healed.status).toBe(0);
      expect(healed.stderr).not.toMatch(where);
      expect(tackRaw(first, ['doctor']).status).toBe(0);
      expect(tackJson(first, 'reindex').problems).toBe(0);
    }, 120_000);
  }

  it('`tack schema edit` repairs a broken schema.yaml', () => {
    const { first } = remoteWithStore(track);
    const good = git(first, 'show', 'tack:schema.yaml');
    tackJson(first, 'create', 'kept');
    commitToStore(first, { 'schema.yaml': 'x: &x [*x]\n' }, 'break');
    const dir = mkdtempSync(join(tmpdir(), 'tack-ed-'));
    track(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'good.yaml'), good);
    const editor = join(dir, 'ed.sh');
    writeFileSync(editor, `#!/bin/sh\ncp '${join(dir, 'good.yaml')}' "$1"\n`, { mode: 0o755 });
    expect(tackEnv(first, { EDITOR: editor, VISUAL: editor }, 'schema', 'edit')).toContain('schema.yaml updated');
    expect(tackRaw(first, ['doctor']).status).toBe(0);
    expect(tack(first, 'list')).toContain('kept');
  }, 120_000);

  it('a schema broken only in an older commit never troubles reindex or --at', () => {
    const { first } = remoteWithStore(track);
    const good = git(first, 'show', 'tack:schema.yaml');
    tackJson(first, 'create', 'before');
    commitToStore(first, { 'schema.yaml': 'x: &x [*x]\n' }, 'break');
    const broken = git(first, 'rev-parse', 'tack').trim();
    commitToStore(first, { 'schema.yaml': `${good}\n` }, 'fix');
    const re = tackRaw(first, ['reindex', '--json']);
    expect(re.status).toBe(0);
    expect((JSON.parse(re.stdout) as { problems: number }).problems).toBe(0);
    expect(re.stderr).not.toMatch(/schema\.yaml:\d+/);
    expect(tack(first, 'list')).toContain('before');
    for (const rev of [`${broken}~1`, broken, 'tack']) {
      const at = tackRaw(first, ['list', '--at', rev]);
      expect(at.status).toBe(0);
      expect(at.stdout).toContain('before');
      expectNoStack(at.stderr);
    }
  }, 120_000);
});

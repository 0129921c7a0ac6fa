import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { commitToStore } from './storeFiles.js';

/*
 * A ticket whose description holds bytes that are not UTF-8 (0xff 0xfe), committed with
 * plain git. It must be that ticket's file:line problem naming the byte, never a lossy
 * U+FFFD text and never a failure of the other tickets; fixing the file heals it.
 */

const track = trackCleanups();

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
}

/** The ticket's text with `bad \xff\xfe bytes` appended; the file line and byte offset of 0xff. */
function poisoned(text: string): { bytes: Buffer; line: number; byte: number } {
  const head = Buffer.from(`${text}bad `, 'utf8');
  const bytes = Buffer.concat([head, Buffer.from([0xff, 0xfe]), Buffer.from(' bytes\n')]);
  return { bytes, line: text.split('\n').length, byte: head.length };
}

describe.each([false, true])('invalid UTF-8 in a ticket file (inline: %s)', (inline) => {
  it('show, list and doctor name the file, line and byte; other tickets work; a fix heals', () => {
    const repo = tempStore({ inline });
    track(repo.cleanup);
    const dir = repo.dir;
    const a = tackJson(dir, 'create', 'healthy').id as string;
    const b = tackJson(dir, 'create', 'to be broken', '-d', 'the description').id as string;
    const rel = `tickets/${b}.md`;
    const file = inline ? join(dir, '.tack', rel) : null;
    const original = inline ? readFileSync(file!, 'utf8') : git(dir, 'show', `tack:${rel}`) + '\n';
    const bad = poisoned(original);
    if (inline) {
      writeFileSync(file!, bad.bytes);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'hand edit');
    } else commitToStore(dir, { [rel]: bad.bytes }, 'hand edit');
    const where = `${rel}:${bad.line}: invalid UTF-8 at byte ${bad.byte}; expected a UTF-8 text file`;

    const show = tackRaw(dir, ['show', b]);
    expect(show.status).not.toBe(0);
    expect(show.stderr).toContain(where);
    expect(show.stdout + show.stderr).not.toContain('\uFFFD');
    expectNoStack(show.stderr);

    const list = tackRaw(dir, ['list', '--json']);
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((t) => t.id)).toContain(a);
    expect(list.stderr).toContain(where);
    expect(list.stdout).not.toContain('\uFFFD');
    expect(tackRaw(dir, ['show', a]).stdout).toContain('healthy');

    const doctor = tackRaw(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).toContain(`${rel}:${bad.line}: [parse] invalid UTF-8 at byte ${bad.byte}`);
    expectNoStack(doctor.stdout + doctor.stderr);

    // Fixing the file by hand heals the ticket.
    if (inline) {
      writeFileSync(file!, original);
      git(dir, 'commit', '-q', '-am', 'fix');
    } else commitToStore(dir, { [rel]: original }, 'fix');
    const healed = tackRaw(dir, ['list', '--json']);
    expect(healed.stderr).not.toContain('invalid UTF-8');
    expect((JSON.parse(healed.stdout) as Array<{ id: string }>).map((t) => t.id)).toEqual(
      expect.arrayContaining([a, b]),
    );
    expect(tackRaw(dir, ['show', b]).stdout).toContain('the description');
  });
});

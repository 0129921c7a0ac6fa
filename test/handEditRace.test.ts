import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, tack, tackJson, tempStore } from './helpers.js';
import { writerMidWrite } from './processes.js';

/*
 * A Tack write in inline mode commits, then writes the files: between the two, a new doc is
 * in the commit but not yet on disk. The hand-edit committer (`tack commit`, `tack watch`,
 * the server's idle committer) that looked at that moment saw the doc as removed by hand;
 * it then waited for the writer's lock and, once it had it, committed the removal and
 * deleted the file the writer had just written.
 */
const store = tempStore({ inline: true });
afterAll(store.cleanup);

describe('hand edits decided under the writer lock', () => {
  it('a doc committed but not yet written by another writer is not committed as removed', async () => {
    const text = '# A\n\nThe first version.\n';
    tack(store.dir, 'docs', 'add', 'specs/a.md', '--text', text);
    const file = join(store.dir, '.tack', 'docs', 'specs', 'a.md');
    const commits = git(store.dir, 'rev-list', '--count', 'HEAD');
    // The other writer's moment between its commit and its file write.
    rmSync(file);
    const writer = await writerMidWrite(join(store.dir, '.git', 'tack', 'write.lock'), { file, text });
    const res = tackJson(store.dir, 'commit', '--json');
    await writer.done;
    expect(res.commit).toBeNull();
    expect(git(store.dir, 'rev-list', '--count', 'HEAD')).toBe(commits);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(git(store.dir, 'show', 'HEAD:.tack/docs/specs/a.md')).toBe(text.trimEnd());
  });

  it('a file really removed by hand is still committed as removed', () => {
    const file = join(store.dir, '.tack', 'docs', 'specs', 'a.md');
    rmSync(file);
    const res = tackJson(store.dir, 'commit', '--json');
    expect(res.commit).not.toBeNull();
    expect(res.committed).toEqual(['.tack/docs/specs/a.md']);
    expect(existsSync(file)).toBe(false);
    expect(git(store.dir, 'ls-tree', '--name-only', 'HEAD', '.tack/docs/specs/')).toBe('');
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Repo } from '../git/repo.js';
import { firstDelivery } from './seenDeliveries.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(): Repo {
  const dir = mkdtempSync(join(tmpdir(), 'tack-seen-'));
  dirs.push(dir);
  return { workTree: dir, commonDir: join(dir, '.git') } as Repo;
}

describe('firstDelivery', () => {
  it('says a repeated id is a replay, per hook, until the id is forgotten, and survives a reload', () => {
    const r = repo();
    const t = 1_700_000_000_000;
    expect(firstDelivery(r, 'tack', 'd-1', t)).toBe(true);
    expect(firstDelivery(r, 'tack', 'd-1', t + 1000)).toBe(false);
    expect(firstDelivery(r, 'github', 'd-1', t + 1000)).toBe(true);
    expect(existsSync(join(r.commonDir, 'tack', 'webhook-deliveries.json'))).toBe(true);
    // Forgotten only once a timestamp that old is refused anyway (15 minutes by default).
    expect(firstDelivery(r, 'tack', 'd-1', t + 14 * 60_000)).toBe(false);
    expect(firstDelivery(r, 'tack', 'd-1', t + 16 * 60_000)).toBe(true);
    // A longer memory for one hook is not cut short by another hook's writes.
    expect(firstDelivery(r, 'linear', 'x', t, 7 * 24 * 3600_000)).toBe(true);
    expect(firstDelivery(r, 'tack', 'd-2', t + 60 * 60_000)).toBe(true);
    expect(firstDelivery(r, 'linear', 'x', t + 60 * 60_000)).toBe(false);
  });

  it('stays bounded under a flood of ids', () => {
    const r = repo();
    const t = 1_700_000_000_000;
    const file = join(r.commonDir, 'tack', 'webhook-deliveries.json');
    mkdirSync(join(r.commonDir, 'tack'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify(Object.fromEntries(Array.from({ length: 10_050 }, (_, i) => [`tack\u0000d-${i}`, t + i]))),
    );
    expect(firstDelivery(r, 'tack', 'new', t)).toBe(true);
    const kept = Object.keys(JSON.parse(readFileSync(join(r.commonDir, 'tack', 'webhook-deliveries.json'), 'utf8')));
    expect(kept.length).toBeLessThanOrEqual(10_000);
  });
});

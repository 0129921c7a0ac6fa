import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEASE_REF_PREFIX, ticketOfLeaseRef } from '../model/lease.js';
import { listRefs } from './refs.js';
import type { Repo } from './repo.js';

/*
 * Which claim leases exist, read from the files in .git: `ready` asks on every call, so
 * this must not spawn git or load the write path (reading and writing leases is in
 * leases.ts).
 */

function walkLoose(dir: string, rel: string, out: Map<string, string>): void {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) walkLoose(join(dir, ent.name), p, out);
    else if (ent.isFile() && !ent.name.endsWith('.lock')) {
      const sha = readFileSync(join(dir, ent.name), 'utf8').trim();
      if (/^[0-9a-f]{40,64}$/.test(sha)) out.set(p, sha);
    }
  }
}

/** Ticket id → lease commit, read from the files in .git (no process on the common path). */
export function listLeaseRefs(repo: Repo): Map<string, string> {
  const out = new Map<string, string>();
  if (existsSync(join(repo.commonDir, 'reftable'))) {
    for (const r of listRefs(repo, LEASE_REF_PREFIX)) out.set(ticketOfLeaseRef(r.name)!, r.sha);
    return out;
  }
  const packed = join(repo.commonDir, 'packed-refs');
  if (existsSync(packed)) {
    const text = readFileSync(packed, 'utf8');
    if (text.includes(` ${LEASE_REF_PREFIX}`)) {
      for (const line of text.split('\n')) {
        const sp = line.indexOf(' ');
        const id = sp > 0 && line[0] !== '#' && line[0] !== '^' ? ticketOfLeaseRef(line.slice(sp + 1)) : null;
        if (id) out.set(id, line.slice(0, sp));
      }
    }
  }
  const dir = join(repo.commonDir, LEASE_REF_PREFIX);
  if (existsSync(dir)) {
    const loose = new Map<string, string>();
    walkLoose(dir, '', loose);
    for (const [id, sha] of loose) out.set(id, sha); // loose refs win over packed ones
  }
  return out;
}

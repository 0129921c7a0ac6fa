import type { Schema } from '../../model/schema.js';

/** Human renderers for the admin commands, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  sql: renderSql,
  batch: renderBatch,
  edit: renderMessage,
  'schema-show': (out) => renderSchema(out as Schema),
  'schema-rename-state': renderMessage,
  'schema-rename-field': renderMessage,
  'schema-edit': renderMessage,
};

const MAX_CELL = 60;

function cell(v: unknown): string {
  const s = v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const one = s.replace(/\s*\n\s*/g, ' ⏎ ');
  return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
}

/** Rows as an aligned text table; columns come from the first row (SQLite names them all alike). */
export function sqlTable(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return '(no rows)';
  const cols = Object.keys(rows[0]);
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n');
}

interface SqlWrite {
  commit: string | null;
  matched: number;
  tickets: string[];
  changes: Array<{ id: string; column: string; old: unknown; new: unknown }>;
  message?: string;
}

function renderSql(out: unknown): string {
  if (Array.isArray(out)) return sqlTable(out as Array<Record<string, unknown>>);
  const w = out as SqlWrite;
  if (w.message) return w.message;
  const lines = [
    `updated ${w.tickets.length} ticket${w.tickets.length === 1 ? '' : 's'} in commit ${String(w.commit).slice(0, 10)}`,
  ];
  for (const c of w.changes) {
    const show = (v: unknown) => (c.column === 'body' ? `(${String(v ?? '').length} chars)` : cell(v));
    lines.push(`  ${c.id}  ${c.column}: ${show(c.old)} → ${show(c.new)}`);
  }
  return lines.join('\n');
}

interface BatchOut {
  commit: string | null;
  created: string[];
  updated: string[];
  refs: Record<string, string>;
}

function renderBatch(out: unknown): string {
  const b = out as BatchOut;
  const byId = new Map(Object.entries(b.refs).map(([ref, id]) => [id, ref]));
  const lines = [
    `committed ${String(b.commit).slice(0, 10)}: ${b.created.length} created, ${b.updated.length} updated`,
  ];
  for (const id of b.created) lines.push(`  created ${id}${byId.has(id) ? ` (@${byId.get(id)})` : ''}`);
  for (const id of b.updated) lines.push(`  updated ${id}`);
  return lines.join('\n');
}

function renderMessage(out: unknown): string {
  const o = out as { message?: string; commit?: string | null };
  const msg = o.message ?? JSON.stringify(out, null, 2);
  return o.commit ? `${msg} (commit ${o.commit.slice(0, 10)})` : msg;
}

function renderSchema(s: Schema): string {
  const mark = (name: string, def: string) => (name === def ? `${name} (default)` : name);
  const width = Math.max(...s.states.map((x) => x.name.length)) + 2;
  const out = [`id prefix: ${s.idPrefix}    version: ${s.version}`, '', 'States (name, category):'];
  for (const st of s.states)
    out.push(
      `  ${st.name.padEnd(width)}${st.category}${st.name === s.defaultStatus ? '  (default)' : ''}${st.waiting ? '  (waiting: never ready)' : ''}`,
    );
  out.push('', `Types:       ${s.types.map((t) => mark(t, s.defaultType)).join(', ')}`);
  out.push(`Priorities:  ${s.priorities.map((p) => mark(p, s.defaultPriority)).join(', ')}`);
  out.push('', 'Relations (stored → derived inverse):');
  for (const r of s.relations) out.push(`  ${r.name} → ${r.inverse}${r.acyclic ? '  (acyclic)' : ''}`);
  out.push('', 'Custom fields:');
  if (s.fields.length === 0) out.push('  (none)');
  for (const f of s.fields) {
    const values = f.values ? ` [${f.values.join(', ')}]` : '';
    out.push(`  ${f.name}: ${f.type}${values}${f.description ? ` — ${f.description}` : ''}`);
  }
  out.push('', 'Projects:');
  if (s.projects.length === 0) out.push('  (none)');
  for (const p of s.projects)
    out.push(`  ${p.key}${p.name !== p.key ? `  ${p.name}` : ''}${p.description ? ` — ${p.description}` : ''}`);
  return out.join('\n');
}

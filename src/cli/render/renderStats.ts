import type { ActorCount } from '../../index/actorStats.js';
import type { EpicProgress, Stats } from '../../index/reports.js';
import { n } from '../../ops/pageNote.js';
import { bold, dim } from '../render.js';

function table(title: string, head: string[], rows: Array<Array<string | number>>): string[] {
  if (rows.length === 0) return [];
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  return ['', bold(title), dim(line(head)), ...cells.slice(1).map(line)];
}

function bar(percent: number | null, size = 20): string {
  if (percent === null) return dim('·'.repeat(size));
  const full = Math.round((percent / 100) * size);
  return '█'.repeat(full) + dim('░'.repeat(size - full));
}

function epicLine(e: EpicProgress, idW: number): string {
  const pct = e.percent === null ? dim('  —') : `${String(e.percent).padStart(3)}%`;
  const counts = `${e.completed}/${e.total} done${e.canceled ? `, ${e.canceled} canceled` : ''}${e.started ? `, ${e.started} started` : ''}`;
  const title = e.title.length > 40 ? `${e.title.slice(0, 39)}…` : e.title;
  return `  ${bold(e.short_id.padEnd(idW))} ${bar(e.percent)} ${pct}  ${title} ${dim(`(${counts})`)}`;
}

/** `tack stats --by actor`: one row per human or agent, most active first. */
function renderActors({ actors, actors_total }: { actors: ActorCount[]; actors_total: number }): string {
  if (actors.length === 0) return dim('no commits');
  const commits = actors.reduce((sum, a) => sum + a.commits, 0);
  const more = actors_total - actors.length;
  return [
    more > 0
      ? `${bold(n(actors_total))} actors; the ${actors.length} most active made ${n(commits)} commits (${n(more)} more actors: all with --limit 0)`
      : `${bold(String(commits))} commits by ${actors.length} actors`,
    ...table(
      'By actor',
      ['actor', 'kind', 'commits', 'tickets', 'harness', 'last'],
      actors.map((a) => [
        a.name,
        a.kind ?? '(unrecorded)',
        a.commits,
        a.tickets,
        a.harnesses.join(', ') || '-',
        a.last.slice(0, 10),
      ]),
    ),
  ].join('\n');
}

/** `tack stats` for people: totals, one small table per grouping, a bar per epic. */
export function renderStats(out: unknown): string {
  if (out && typeof out === 'object' && 'actors' in out)
    return renderActors(out as { actors: ActorCount[]; actors_total: number });
  const s = out as Stats;
  const lines = [`${bold(String(s.total))} tickets: ${s.open} open, ${s.closed} closed`];
  lines.push(
    ...table(
      'By state',
      ['category', 'count'],
      s.by_category.map((r) => [r.category ?? '(unknown)', r.count]),
    ),
  );
  lines.push(
    ...table(
      'By status',
      ['status', 'count'],
      s.by_status.filter((r) => r.count > 0).map((r) => [r.status, r.count]),
    ),
  );
  const named = <T extends { open: number; total: number }>(rows: T[], key: (r: T) => string | null, none: string) =>
    rows.filter((r) => r.total > 0).map((r) => [key(r) ?? none, r.open, r.total]);
  lines.push(
    ...table(
      'By priority',
      ['priority', 'open', 'total'],
      named(s.by_priority, (r) => r.priority, ''),
    ),
  );
  lines.push(
    ...table(
      'By type',
      ['type', 'open', 'total'],
      named(s.by_type, (r) => r.type, ''),
    ),
  );
  if (s.by_project.some((r) => r.project !== null)) {
    lines.push(
      ...table(
        'By project',
        ['project', 'open', 'total'],
        named(s.by_project, (r) => r.project, '(none)'),
      ),
    );
  }
  lines.push(
    ...table(
      'By assignee',
      ['assignee', 'open', 'total'],
      named(s.by_assignee, (r) => r.assignee, '(unassigned)'),
    ),
  );
  if (s.epics.length) {
    const idW = s.epics.reduce((w, e) => Math.max(w, e.short_id.length), 0);
    lines.push('', bold('Epics'), ...s.epics.map((e) => epicLine(e, idW)));
  }
  const left = [
    [s.statuses_total - s.by_status.length, 'statuses'],
    [s.priorities_total - s.by_priority.length, 'priorities'],
    [s.types_total - s.by_type.length, 'types'],
    [s.projects_total - s.by_project.length, 'projects'],
    [s.assignees_total - s.by_assignee.length, 'assignees'],
    [s.epics_total - s.epics.length, 'epics'],
  ].filter(([more]) => Number(more) > 0);
  if (left.length)
    lines.push('', `${left.map(([more, what]) => `${n(Number(more))} more ${what}`).join(', ')}: all with --limit 0`);
  return lines.join('\n');
}

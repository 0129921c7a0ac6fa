/**
 * A hand-kept markdown task list (TASKS.md), both ways. The shape, as teams write it:
 *
 *     # Project — Tasks
 *     ## M0 — Foundations                 a milestone (a `##` heading with tickets under it)
 *     ### M0-T1 — Workspace on-disk spec  a ticket: KEY — title
 *     - Status: `NEXT`                    BACKLOG, NEXT, IN_PROGRESS, BLOCKED, DONE, ...
 *     - Goal: one line
 *     - Acceptance:
 *       - a binary done/not-done bullet
 *     - Depends on: M0-T2, M0-T3          also "Dependencies:", "Blocked by:"
 *     (any other lines: notes, kept verbatim)
 *
 * Pure: no I/O. The importer and `tack export markdown` share it, so the two round-trip.
 */
export interface TaskItem {
  key: string;
  title: string;
  /** The tag as written, upper case without backticks (NEXT); null when the ticket has none. */
  status: string | null;
  goal: string | null;
  acceptance: string[];
  dependsOn: string[];
  /** Other lines of the ticket's section, verbatim. */
  notes: string;
}

export interface Milestone {
  key: string;
  name: string;
  tickets: TaskItem[];
}

export interface TaskList {
  title: string | null;
  /** Tickets before the first milestone heading. */
  loose: TaskItem[];
  milestones: Milestone[];
}

const TICKET = /^###\s+(.+?)\s*$/;
const MILESTONE = /^##\s+(.+?)\s*$/;
const KEYED = /^(\S+)\s+[—–-]+\s+(.+)$/;
const FIELD = /^[-*]\s+(Status|Goal|Acceptance|Depends on|Dependencies|Blocked by)\s*:\s*(.*)$/i;
const SUB = /^\s+[-*]\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * What can be a key: anything with a digit (M0-T1), an upper-case word (API), or a
 * tracker-style id (`tk-abcdefgh`, `bd-o78`: about 7 % of Tack's ids have no digit).
 */
const KEY_LIKE = /\d|^[A-Z][A-Z0-9]*$|^[a-z][a-z0-9]{0,15}-[a-z0-9]+(?:\.[a-z0-9]+)*$/;

function keyed(text: string): { key: string; title: string } {
  const m = KEYED.exec(text);
  if (m && KEY_LIKE.test(m[1])) return { key: m[1], title: m[2].trim() };
  return { key: slug(text), title: text };
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'untitled'
  );
}

function parseTicket(heading: string, lines: string[]): TaskItem {
  const { key, title } = keyed(heading);
  const t: TaskItem = { key, title, status: null, goal: null, acceptance: [], dependsOn: [], notes: '' };
  const notes: string[] = [];
  let inAcceptance = false;
  for (const line of lines) {
    const f = FIELD.exec(line);
    if (f) {
      inAcceptance = false;
      const name = f[1].toLowerCase();
      const value = f[2].trim();
      if (name === 'status') t.status = value.replace(/`/g, '').trim().toUpperCase() || null;
      else if (name === 'goal') t.goal = value;
      else if (name === 'acceptance') {
        inAcceptance = true;
        if (value) t.acceptance.push(value);
      } else
        t.dependsOn.push(
          ...value
            .replace(/`/g, '')
            .split(/[,\s]+/)
            .map((x) => x.trim())
            .filter(Boolean),
        );
      continue;
    }
    const sub = SUB.exec(line);
    if (inAcceptance && sub) {
      t.acceptance.push(sub[1].replace(/^\[[ xX]\]\s+/, ''));
      continue;
    }
    inAcceptance = false;
    notes.push(line);
  }
  t.notes = trimBlank(notes).join('\n');
  return t;
}

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a].trim()) a++;
  while (b > a && !lines[b - 1].trim()) b--;
  return lines.slice(a, b);
}

/** Parse a task list. `##` sections without tickets (a legend, how-to) are not milestones. */
export function parseTaskList(text: string): TaskList {
  const list: TaskList = { title: null, loose: [], milestones: [] };
  let milestone: Milestone | null = null;
  let ticket: { heading: string; lines: string[]; into: TaskItem[] } | null = null;
  let fence = false;
  const flush = () => {
    if (ticket) ticket.into.push(parseTicket(ticket.heading, ticket.lines));
    ticket = null;
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (FENCE.test(line)) fence = !fence;
    const t = fence ? null : TICKET.exec(line);
    const m = fence || t ? null : MILESTONE.exec(line);
    if (t) {
      flush();
      ticket = { heading: t[1], lines: [], into: milestone ? milestone.tickets : list.loose };
    } else if (m) {
      flush();
      const { key, title } = keyed(m[1]);
      milestone = { key, name: title, tickets: [] };
      list.milestones.push(milestone);
    } else if (!fence && /^#\s+/.test(line) && list.title === null && !ticket) {
      list.title = line.replace(/^#\s+/, '').trim();
    } else if (ticket) ticket.lines.push(line);
  }
  flush();
  list.milestones = list.milestones.filter((m) => m.tickets.length > 0);
  return list;
}

/** A ticket body from the parts: `Goal: …`, an `## Acceptance` list, `## Notes`. */
export function taskBody(t: Pick<TaskItem, 'goal' | 'acceptance' | 'notes'>): string {
  const parts: string[] = [];
  if (t.goal) parts.push(`Goal: ${t.goal}`);
  if (t.acceptance.length) parts.push(`## Acceptance\n\n${t.acceptance.map((a) => `- ${a}`).join('\n')}`);
  if (t.notes) parts.push(`## Notes\n\n${t.notes}`);
  return parts.length ? `${parts.join('\n\n')}\n` : '';
}

/** The inverse of taskBody, tolerant of bodies written in Tack (anything else becomes notes). */
export function bodyParts(body: string): Pick<TaskItem, 'goal' | 'acceptance' | 'notes'> {
  const out = { goal: null as string | null, acceptance: [] as string[], notes: '' };
  const notes: string[] = [];
  let section = '';
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  let fence = false;
  // Whether a line with text came before: asked of every line, not found by rereading the
  // lines above it (a body of 100,000 lines took 17 s).
  let written = false;
  lines.forEach((line) => {
    const blankBefore = !written;
    if (line.trim()) written = true;
    if (FENCE.test(line)) fence = !fence;
    const h = fence ? null : /^##\s+(.+?)\s*$/.exec(line);
    if (h && /^(acceptance|notes)$/i.test(h[1])) {
      section = h[1].toLowerCase();
      return;
    }
    if (h) section = 'other';
    if (!section && out.goal === null && /^Goal:\s*/.test(line) && blankBefore) {
      out.goal = line.replace(/^Goal:\s*/, '');
      return;
    }
    const item = /^[-*]\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (section === 'acceptance' && item) out.acceptance.push(item[1]);
    else if (section === 'acceptance' && !line.trim()) return;
    else notes.push(h && section === 'other' ? `**${h[1]}**` : line);
  });
  out.notes = trimBlank(notes).join('\n');
  return out;
}

function formatTicket(t: TaskItem): string {
  const lines = [`### ${t.key} — ${t.title}`];
  if (t.status) lines.push(`- Status: \`${t.status}\``);
  if (t.goal) lines.push(`- Goal: ${t.goal}`);
  if (t.acceptance.length) lines.push('- Acceptance:', ...t.acceptance.map((a) => `  - ${a}`));
  if (t.dependsOn.length) lines.push(`- Depends on: ${t.dependsOn.join(', ')}`);
  if (t.notes) lines.push(...notesLines(t.notes));
  return lines.join('\n');
}

/**
 * Notes as lines of a ticket's section: a heading there would end the ticket, so it
 * becomes bold; a line that reads as a field (`- Status: …`) gets its colon escaped,
 * which markdown shows the same; code stays as it is.
 */
function notesLines(notes: string): string[] {
  let fence = false;
  return notes.split('\n').map((l) => {
    if (FENCE.test(l)) fence = !fence;
    if (fence) return l;
    if (/^#{1,3}\s/.test(l)) return `**${l.replace(/^#+\s+/, '')}**`;
    return FIELD.test(l) ? l.replace(/\s*:/, '\\:') : l;
  });
}

/**
 * Does a ticket whose body is `body` read back from a task list as `item`? Then an
 * import keeps the body as it is: the list holds the same goal, acceptance and notes,
 * in the form the list can hold (headings as bold), so nothing changed.
 */
export function sameTaskBody(body: string, item: Pick<TaskItem, 'goal' | 'acceptance' | 'notes'>): boolean {
  const exported = formatTicket({ key: 'K', title: 'T', status: null, dependsOn: [], ...bodyParts(body) });
  const reread = parseTicket('K — T', exported.split('\n').slice(1));
  return taskBody(reread) === taskBody(item);
}

export const STATUS_LEGEND = [
  '`BACKLOG` — good idea, not scheduled',
  '`NEXT` — queued up',
  '`IN_PROGRESS` — actively being built',
  '`BLOCKED` — waiting on a decision/spike',
  '`DONE` — shipped/merged',
];

/** Write a task list back: title, legend, tickets without a milestone, then each milestone. */
export function formatTaskList(list: TaskList): string {
  return [
    ...taskListPieces(list.title, [
      { milestone: null, tickets: list.loose },
      ...list.milestones.map((m) => ({ milestone: m, tickets: m.tickets })),
    ]),
  ].join('');
}

/** A part of a task list: tickets without a milestone (milestone null), or one milestone's. */
export interface TaskSection {
  milestone: Pick<Milestone, 'key' | 'name'> | null;
  tickets: Iterable<TaskItem>;
}

/** A task list's text a piece at a time (an export of 100,000 tickets holds one ticket). */
export function* taskListPieces(title: string | null, sections: Iterable<TaskSection>): Generator<string> {
  let held = `# ${title ?? 'Tasks'}\n\nStatus tags: ${STATUS_LEGEND.join('; ')}.\n\n`;
  for (const { milestone: m, tickets } of sections) {
    if (m) {
      yield held;
      held = `## ${m.key === slug(m.name) ? m.name : `${m.key} — ${m.name}`}\n\n`;
    }
    for (const t of tickets) {
      yield held;
      held = `${formatTicket(t)}\n\n`;
    }
  }
  // The list ends with one line break, however many its last piece has.
  yield held.replace(/\n+$/, '\n');
}

/** The sections of a task list: loose tickets, then the schema's projects in order; tickets in natural key order. */
export function taskSections<T extends { key: string; project: string | null }>(
  tickets: readonly T[],
  projects: Array<{ key: string; name: string }>,
): Array<{ milestone: { key: string; name: string } | null; tickets: T[] }> {
  const sorted = [...tickets].sort((a, b) => naturally(a.key, b.key));
  const known = new Set(projects.map((p) => p.key));
  return [
    { milestone: null, tickets: sorted.filter((t) => !t.project || !known.has(t.project)) },
    ...projects.map((p) => ({ milestone: p, tickets: sorted.filter((t) => t.project === p.key) })),
  ].filter((s, i) => i === 0 || s.tickets.length);
}

/** State → status tag: the five known tags by state name, else the name (IN_REVIEW for in-review), which imports back to it. */
const TAG_OF_STATE: Record<string, string> = {
  backlog: 'BACKLOG',
  todo: 'NEXT',
  'in-progress': 'IN_PROGRESS',
  blocked: 'BLOCKED',
  done: 'DONE',
};

export function statusTag(status: string): string {
  return TAG_OF_STATE[status] ?? status.toUpperCase().replace(/-/g, '_');
}

/** Natural order of keys: M0-T2 before M0-T10. */
// One collator, made when first needed: localeCompare with options makes one a call (a sort
// of 100,000 keys took seconds).
let collator: Intl.Collator | undefined;
const naturally = (a: string, b: string) => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a, b);

export interface TaskTicket {
  key: string;
  title: string;
  status: string;
  project: string | null;
  body: string;
  dependsOn: string[];
}

/** A ticket as a task list item. */
export function taskItem(t: TaskTicket): TaskItem {
  return {
    key: t.key,
    title: t.title,
    status: statusTag(t.status),
    dependsOn: [...t.dependsOn].sort(naturally),
    ...bodyParts(t.body),
  };
}

/** Tickets → a task list: grouped by project in the schema's order, tickets in key order. */
export function tasksFromTickets(
  tickets: TaskTicket[],
  projects: Array<{ key: string; name: string }>,
  title: string | null = null,
): TaskList {
  const [loose, ...milestones] = taskSections(tickets, projects);
  return {
    title,
    loose: loose.tickets.map(taskItem),
    milestones: milestones.map((m) => ({ ...m.milestone!, tickets: m.tickets.map(taskItem) })),
  };
}

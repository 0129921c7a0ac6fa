import type { MentionCommit } from '../git/mentions.js';
import { cutText } from '../model/textCut.js';

/** The shape of `tack brief --json` (without `markdown`, which is made from it). */
export interface BriefRef {
  id: string;
  title: string;
  status: string;
  category: string | null;
  type: string;
}

const DONE = new Set<string | null>(['completed', 'canceled']);
export interface BriefNote {
  author: string;
  created: string;
  text: string;
}
export interface Brief {
  ticket: BriefRef & {
    priority: string;
    assignee: string | null;
    audience: string | null;
    labels: string[];
    description: string;
  };
  acceptance: string | null;
  parents: Array<BriefRef & { description: string }>;
  /** `linked_by`: the ticket itself or the parent that links the doc. */
  docs: Array<{ path: string; title: string | null; body: string | null; linked_by: string }>;
  blocked_by: BriefRef[];
  blocks: BriefRef[];
  children: BriefRef[];
  discovered_from: BriefRef[];
  discovered: BriefRef[];
  branch: string | null;
  commits: MentionCommit[];
  range: string | null;
  questions: Array<{ question: BriefNote; answer: BriefNote | null }>;
  /** Live file reservations for this ticket or its relatives, on paths it names, or yours. */
  reservations?: Array<{ pattern: string; owner: string; ticket: string | null; expires: string; mine: boolean }>;
  reviews: BriefNote[];
  comments: BriefNote[];
}

const ACCEPTANCE = /^#{1,6}\s*(acceptance( criteria)?|criteria|done when|definition of done)\b.*$/im;

/** Where the "## Acceptance criteria" section is: its heading to the next heading of the same or higher level. */
function findAcceptance(body: string): { start: number; end: number; text: string } | null {
  const m = ACCEPTANCE.exec(body);
  if (!m) return null;
  const level = /^#+/.exec(m[0])![0].length;
  const from = m.index + m[0].length;
  const next = new RegExp(`^#{1,${level}}\\s`, 'm').exec(body.slice(from));
  const end = next ? from + next.index : body.length;
  return { start: m.index, end, text: body.slice(from, end).trim() };
}

export function acceptanceSection(body: string): string | null {
  return findAcceptance(body)?.text || null;
}

/** The description without its acceptance section (the brief shows that on its own). */
export function withoutAcceptance(body: string): string {
  const a = findAcceptance(body);
  return a ? (body.slice(0, a.start) + body.slice(a.end)).trim() : body;
}

/** Headings inside embedded text move down so the brief keeps one outline. */
function nest(text: string, by: number): string {
  let fenced = false;
  return text
    .trim()
    .split('\n')
    .map((l) => {
      if (/^(```|~~~)/.test(l)) fenced = !fenced;
      return !fenced && /^#{1,6}\s/.test(l) ? '#'.repeat(by) + l : l;
    })
    .join('\n');
}

const ref = (r: BriefRef): string => `${r.id} (${r.type}, ${r.status}): ${r.title}`;
const when = (iso: string): string => iso.slice(0, 10);

function refSection(out: string[], title: string, refs: BriefRef[], empty?: string): void {
  if (refs.length === 0 && !empty) return;
  out.push(`## ${title}`, '');
  out.push(...(refs.length ? refs.map((r) => `- ${ref(r)}`) : [empty!]), '');
}

/**
 * The brief as one markdown handoff, read top to bottom by an agent new to the repo. With a
 * budget (bytes), linked docs — the part that can be any size — share what the rest leaves,
 * each cut with where to read on, so a 60 KB spec does not fill an agent's context.
 */
export function briefMarkdown(b: Brief, budget = 0): string {
  const whole = renderBrief(b);
  const docs = b.docs.filter((d) => d.body);
  if (!budget || Buffer.byteLength(whole) <= budget || docs.length === 0) return whole;
  const base = Buffer.byteLength(renderBrief({ ...b, docs: b.docs.map((d) => ({ ...d, body: d.body && '' })) }));
  const share = Math.max(MIN_DOC_SHARE, Math.floor((budget - base) / docs.length));
  return renderBrief({ ...b, docs: b.docs.map((d) => (d.body ? { ...d, body: cutDoc(d.path, d.body, share) } : d)) });
}

/** A linked doc shown in the brief gets at least this much, however long the rest. */
const MIN_DOC_SHARE = 1500;

function cutDoc(path: string, body: string, bytes: number): string {
  const part = cutText(body, bytes);
  if (!part.cut) return body;
  return `${part.text}\n\n[… cut: ${part.shown} of ${body.length} characters shown; read on with the docs tool {path: "${path}", offset: ${part.shown}} or \`tack docs show ${path} --offset ${part.shown}\`]`;
}

function renderBrief(b: Brief): string {
  const t = b.ticket;
  const out = [
    `# ${t.id}: ${t.title}`,
    '',
    `${t.type} · ${t.status} · priority ${t.priority}${t.assignee ? ` · assigned to ${t.assignee}` : ''}${t.audience ? ` · for ${t.audience}` : ''}${t.labels.length ? ` · labels ${t.labels.join(', ')}` : ''}`,
    '',
  ];
  const task = withoutAcceptance(t.description);
  out.push('## The task', '', task.trim() ? nest(task, 1) : '(no description)', '');
  out.push(
    '## Acceptance criteria',
    '',
    b.acceptance ?? '(none written: ask with `tack ask` if "done" is unclear)',
    '',
  );
  if (b.parents.length) {
    out.push('## Why: the parent chain', '');
    for (const p of b.parents)
      out.push(`### ${ref(p)}`, '', p.description.trim() ? nest(p.description, 3) : '(no description)', '');
  }
  for (const d of b.docs) {
    const via = d.linked_by === b.ticket.id ? '' : `, linked by parent ${d.linked_by}`;
    out.push(
      `## Linked doc: ${d.path}${d.title ? ` (${d.title})` : ''}${via}`,
      '',
      d.body === null ? '(linked but not written yet)' : nest(d.body, 2),
      '',
    );
  }
  const open = b.blocked_by.filter((r) => !DONE.has(r.category));
  refSection(out, 'Blocked by', b.blocked_by, '- nothing');
  if (b.blocked_by.length)
    out.splice(
      out.length - 1,
      0,
      open.length ? `- ${open.length} still open: finish them first` : '- all finished: it can start now',
    );
  refSection(out, 'Blocks (waiting for this)', b.blocks);
  refSection(out, 'Subtasks', b.children);
  refSection(out, 'Discovered while working on', b.discovered_from);
  refSection(out, 'Work found while doing this', b.discovered);
  out.push('## Code', '', `- branch: ${b.branch ?? '(none)'}`);
  if (b.range) out.push(`- diff: \`git diff ${b.range}\``);
  out.push(
    ...(b.commits.length
      ? b.commits.map((c) => `- ${c.sha.slice(0, 12)} ${c.subject} (${c.author}, ${when(c.time)})`)
      : ['- no commits mention this ticket yet (mention its id in commit messages)']),
    '',
  );
  if (b.reservations?.length) {
    out.push('## Reservations', '');
    for (const r of b.reservations)
      out.push(
        `- ${r.pattern}: ${r.mine ? 'you' : r.owner} until ${r.expires}${r.ticket ? ` (${r.ticket})` : ''}${r.mine ? '' : ': keep off, or ask them'}`,
      );
    out.push('');
  }
  if (b.questions.length) {
    out.push('## Questions and answers', '');
    for (const q of b.questions) {
      out.push(`- **Q** (${q.question.author}, ${when(q.question.created)}): ${q.question.text}`);
      out.push(
        q.answer ? `  **A** (${q.answer.author}, ${when(q.answer.created)}): ${q.answer.text}` : '  (not answered yet)',
      );
    }
    out.push('');
  }
  if (b.reviews.length)
    out.push('## Review outcomes', '', ...b.reviews.map((r) => `- ${r.author}, ${when(r.created)}: ${r.text}`), '');
  if (b.comments.length)
    out.push(
      '## Other comments',
      '',
      ...b.comments.map((c) => `- ${c.author}, ${when(c.created)}: ${c.text.replace(/\n/g, '\n  ')}`),
      '',
    );
  out.push(
    '## When done',
    '',
    `Reserve the files you edit (\`tack reserve PATH --ticket ${t.id}\`), commit with the id in the message, then \`tack submit ${t.id} --criteria "..." --instructions "..."\`; stuck: \`tack ask ${t.id} "question"\`.`,
  );
  return `${out.join('\n')}\n`;
}

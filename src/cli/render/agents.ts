import type { TicketSummary } from '../../index/queries.js';

/** Human renderers for the agent pipeline, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  ask: message,
  answer: message,
  submit: renderSubmit,
  review: message,
  brief: (out) => (out as { markdown: string }).markdown.trimEnd(),
  prime: (out) => (out as { text: string }).text.trimEnd(),
  'setup-agents': message,
};

function message(out: unknown): string {
  const o = out as { message: string; commit?: string | null };
  return o.commit ? `${o.message} (commit ${o.commit.slice(0, 10)})` : o.message;
}

function renderSubmit(out: unknown): string {
  const o = out as {
    message: string;
    commit: string | null;
    review: TicketSummary;
    range: string | null;
    commits: Array<{ sha: string; subject: string }>;
  };
  const lines = [message(o)];
  for (const c of o.commits.slice(0, 10)) lines.push(`  ${c.sha.slice(0, 10)} ${c.subject}`);
  if (o.range) lines.push(`  diff: git diff ${o.range}`);
  return lines.join('\n');
}

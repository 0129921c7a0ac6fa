import type { LinkOutcome } from '../../ops/commitsScan.js';
import type { ReviewRow } from '../../ops/reviews.js';

/** Human renderers for commit links and notes, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  'commits-scan': (out) => {
    const o = out as { default_branch: string | null; scanned: number; linked: LinkOutcome[] };
    const head = `read ${o.scanned} commit${o.scanned === 1 ? '' : 's'} mentioning tickets (default branch: ${o.default_branch ?? 'none found'})`;
    if (o.linked.length === 0) return `${head}; nothing new to link`;
    return [
      head,
      ...o.linked.map((l) => {
        const parts = [
          l.commits.length ? `commits ${l.commits.join(', ')}` : '',
          l.branches.length ? `branches ${l.branches.join(', ')}` : '',
          l.completed ? `completed at ${l.completed.commit} on ${l.completed.branch}` : '',
        ].filter(Boolean);
        return `  ${l.ticket}: ${parts.join('; ')}`;
      }),
    ].join('\n');
  },
  note: (out) => {
    const o = out as { commit: string; ref: string; line: string };
    return `noted on ${o.commit.slice(0, 12)} (${o.ref}): ${o.line}`;
  },
  reviews: (out) => {
    const rows = out as ReviewRow[];
    if (rows.length === 0) return 'no reviews (add one with `tack note COMMIT --review approve --ticket ID "text"`)';
    return rows
      .map((r) => {
        const meta = Object.entries(r.meta)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        const what = [r.review ?? 'note', r.ticket ?? '', meta].filter(Boolean).join(' ');
        const text = r.text ? `: ${r.text.split('\n').join('\n    ')}` : '';
        return `${r.commit.slice(0, 12)} ${r.time} ${r.author} ${what}${text}`;
      })
      .join('\n');
  },
};

import type { TreeNode, TreeResult } from '../../index/treeQuery.js';

/** Styles for the pieces of a line; identity functions when colour is off. */
export interface TreePaint {
  dim(s: string): string;
  bold(s: string): string;
  red(s: string): string;
  category(cat: string | null, s: string): string;
}

export const PLAIN: TreePaint = { dim: (s) => s, bold: (s) => s, red: (s) => s, category: (_c, s) => s };

export interface DrawOptions {
  /** Terminal columns; 0: no limit (leaf titles are never cut). */
  width: number;
  /** Note blocks edges after titles (kind "both"). */
  notes: boolean;
  paint: TreePaint;
}

const GLYPH: Record<string, string> = {
  triage: '?',
  backlog: '◌',
  unstarted: '○',
  started: '◐',
  completed: '●',
  canceled: '✕',
};

type Seg = [text: string, style: (s: string) => string];

function width(s: string): number {
  return [...s].length;
}

function cut(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, Math.max(1, max - 1))
        .join('')
        .trimEnd()}…`;
}

/** Levels of nodes that have something to their right: those titles must stay short. */
function innerDepth(nodes: readonly TreeNode[]): number {
  let d = 0;
  for (const n of nodes) if (n.children.length) d = Math.max(d, 1 + innerDepth(n.children));
  return d;
}

function collectShort(nodes: readonly TreeNode[], out: Map<string, string>): Map<string, string> {
  for (const n of nodes) {
    out.set(n.id, n.short_id);
    collectShort(n.children, out);
  }
  return out;
}

/**
 * The tree drawn left to right: a root on the left, its children to its right, one leaf
 * per line, so a few hundred tickets stay a screenful of short lines:
 *
 *     tk-aaaa ○ Epic ─┬─ tk-bbbb ● Parser ─── tk-dddd ○ Fixtures
 *                     ├─ tk-cccc ◐ Lexer
 *                     └─ tk-eeee ○ Docs
 */
export function drawTree(result: TreeResult, opts: DrawOptions): string[] {
  const p = opts.paint;
  const shortOf = collectShort(result.roots, new Map());
  const short = (ids: string[]) => ids.map((id) => shortOf.get(id) || id).join(', ');
  const levels = innerDepth(result.roots);
  const innerTitle =
    opts.width > 0 ? Math.max(12, Math.min(40, Math.floor((opts.width - 30) / Math.max(1, levels)) - 14)) : 32;

  const label = (n: TreeNode, col: number): { text: string; width: number } => {
    const segs: Seg[] = [];
    if (n.repeated && !n.cycle) segs.push([' (see above)', p.dim]);
    if (n.cycle) segs.push([' ↺ cycle', p.red]);
    if (n.hidden_children) segs.push([` (+${n.hidden_children} more)`, p.dim]);
    if (opts.notes && !n.repeated) {
      if (n.waiting_on.length) segs.push([` ⊘ blocked by ${short(n.waiting_on)}`, p.red]);
      if (n.blocks.length) segs.push([` → blocks ${short(n.blocks)}`, p.dim]);
      if (n.hidden_edges) segs.push([` (+${n.hidden_edges} more edges)`, p.dim]);
    }
    const head = `${n.short_id} ${GLYPH[n.category ?? ''] ?? '·'} `;
    const tail = segs.reduce((w, s) => w + width(s[0]), 0);
    const room = n.children.length
      ? innerTitle
      : opts.width > 0
        ? Math.max(16, opts.width - col - width(head) - tail)
        : Infinity;
    const title = Number.isFinite(room) ? cut(n.title, room) : n.title.replace(/\s+/g, ' ');
    segs.unshift(
      [n.short_id, p.bold],
      [' ', String],
      [GLYPH[n.category ?? ''] ?? '·', (s) => p.category(n.category, s)],
      [' ', String],
      [title, String],
    );
    return { text: segs.map(([t, style]) => style(t)).join(''), width: segs.reduce((w, s) => w + width(s[0]), 0) };
  };

  const draw = (n: TreeNode, col: number): string[] => {
    const l = label(n, col);
    if (!n.children.length) return [l.text];
    const pad = ' '.repeat(l.width + 1);
    const out: string[] = [];
    n.children.forEach((child, i) => {
      const only = n.children.length === 1;
      const last = i === n.children.length - 1;
      const head = only ? '───' : i === 0 ? '─┬─' : last ? ' └─' : ' ├─';
      const cont = last ? '   ' : ' │ ';
      draw(child, col + l.width + 5).forEach((line, j) => {
        if (i === 0 && j === 0) out.push(`${l.text} ${p.dim(head)} ${line}`);
        else out.push(`${pad}${p.dim(j === 0 ? head : cont)} ${line}`);
      });
    });
    return out;
  };

  const out: string[] = [];
  let prevTall = false;
  for (const root of result.roots) {
    const lines = draw(root, 0);
    const tall = lines.length > 1;
    if (out.length && (tall || prevTall)) out.push('');
    out.push(...lines);
    prevTall = tall;
  }
  return out;
}

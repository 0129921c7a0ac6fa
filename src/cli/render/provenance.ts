import type { Provenance } from '../../model/provenance.js';
import { dim } from '../render.js';

/**
 * How human output marks a change made by an agent: " [agent NAME via HARNESS, MODEL]".
 * Human changes and commits that record nothing get no mark, so a plain history reads as before.
 */
export function actorMark(p: Provenance | null | undefined): string {
  if (!p || p.actor !== 'agent') return '';
  const parts = ['agent'];
  if (p.agent) parts.push(p.agent);
  if (p.harness) parts.push(`via ${p.harness}`);
  const text = parts.join(' ') + (p.model ? `, ${p.model}` : '');
  return ` ${dim(`[${text}]`)}`;
}

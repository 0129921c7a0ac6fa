import { isMap, isSeq, type Document } from 'yaml';
import type { Schema } from '../model/schema.js';
import { missingAgentSchema, type AgentNeed } from './agentShared.js';
import { schemaDocument } from './schemaWrite.js';

type Node = ReturnType<Document['createNode']>;

function flow(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  (node as { flow?: boolean }).flow = true;
  return node;
}

/** Insert a state after the last state of its category (or at the end). */
function addState(doc: Document, state: Record<string, unknown>, after: string): void {
  const states = doc.get('states');
  if (!isSeq(states)) return;
  let at = states.items.length;
  states.items.forEach((s, i) => {
    if (isMap(s) && s.get('category') === after) at = i + 1;
  });
  states.items.splice(at, 0, flow(doc, state));
}

function addToMap(doc: Document, key: string, name: string, value: unknown): void {
  const found = doc.get(key);
  const m = isMap(found) ? found : doc.createNode({});
  if (m !== found) doc.set(key, m);
  m.flow = false;
  m.set(name, flow(doc, value));
}

/**
 * schema.yaml with what the agent pipeline needs added (stores made before it), or null
 * when nothing is missing. Comments and everything already there are kept.
 */
export function agentSchemaText(text: string, schema: Schema): { text: string; added: AgentNeed[] } | null {
  const missing = missingAgentSchema(schema);
  if (missing.length === 0) return null;
  const doc = schemaDocument(text);
  for (const need of missing) {
    if (need === 'waiting') addState(doc, { name: 'needs-context', category: 'unstarted', waiting: true }, 'unstarted');
    if (need === 'in-review') addState(doc, { name: 'in-review', category: 'started' }, 'started');
    if (need === 'review-type') {
      const types = doc.get('types');
      if (isSeq(types)) types.add(doc.createNode('review'));
    }
    if (need === 'discovered_from' || need === 'reviews') {
      if (!isMap(doc.get('relations'))) addToMap(doc, 'relations', 'blocks', { inverse: 'blocked_by', acyclic: true });
      addToMap(doc, 'relations', need, { inverse: need === 'reviews' ? 'reviewed_by' : 'discovered' });
    }
    if (need === 'audience')
      addToMap(doc, 'fields', 'audience', {
        type: 'enum',
        values: ['agent', 'human'],
        description: 'Who the work is for (ready --for)',
      });
    if (need === 'verdict')
      addToMap(doc, 'fields', 'verdict', {
        type: 'enum',
        values: ['approved', 'rejected'],
        description: 'Outcome of tack review',
      });
  }
  return { text: doc.toString(), added: missing };
}

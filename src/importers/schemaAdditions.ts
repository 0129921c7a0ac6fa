import { isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Schema } from '../model/schema.js';
import { schemaDocument } from '../ops/schemaWrite.js';
import type { SchemaNeeds } from './importRecord.js';

export interface SchemaChange {
  /** The new schema.yaml text, or null when the schema already has everything. */
  text: string | null;
  /** One line per addition, for the summary ("added type chore"). */
  notes: string[];
}

/**
 * Add the types, states, priorities and relation kinds the records need and the schema
 * lacks, editing the YAML document so the user's comments and order survive. Nothing is
 * ever removed or renamed: an import only widens the schema.
 */
export function addToSchema(text: string, schema: Schema, needs: SchemaNeeds, path = 'schema.yaml'): SchemaChange {
  const doc = schemaDocument(text, path);
  const notes: string[] = [];
  const seq = (key: string): YAMLSeq => {
    let node = doc.get(key, true);
    if (!isSeq(node)) {
      node = doc.createNode([]) as YAMLSeq;
      doc.set(key, node);
    }
    return node as YAMLSeq;
  };
  for (const t of needs.types) {
    if (schema.types.includes(t) || notes.includes(`added type ${t}`)) continue;
    seq('types').add(t);
    notes.push(`added type ${t}`);
  }
  const states = new Set(schema.states.map((s) => s.name));
  for (const s of needs.states) {
    if (states.has(s.name)) continue;
    states.add(s.name);
    const node = doc.createNode({ name: s.name, category: s.category }, { flow: true });
    seq('states').add(node);
    notes.push(`added state ${s.name} (category ${s.category})`);
  }
  const priorities = new Set(schema.priorities);
  for (const p of needs.priorities) {
    if (priorities.has(p)) continue;
    priorities.add(p);
    seq('priorities').add(p);
    notes.push(`added priority ${p}`);
  }
  const relations = new Set(schema.relations.map((r) => r.name));
  for (const r of needs.relations) {
    if (relations.has(r.name)) continue;
    relations.add(r.name);
    let map = doc.get('relations', true);
    if (!isMap(map)) {
      map = doc.createNode({}) as YAMLMap;
      doc.set('relations', map);
    }
    const def = doc.createNode(r.acyclic ? { inverse: r.inverse, acyclic: true } : { inverse: r.inverse }, {
      flow: true,
    });
    (map as YAMLMap).set(r.name, def);
    notes.push(`added relation ${r.name} (inverse ${r.inverse})`);
  }
  const projects = new Set(schema.projects.map((x) => x.key));
  for (const pr of needs.projects) {
    if (projects.has(pr.key)) continue;
    projects.add(pr.key);
    const def = pr.description
      ? { key: pr.key, name: pr.name, description: pr.description }
      : { key: pr.key, name: pr.name };
    const list = seq('projects');
    // `projects: []` is a flow list; entries of their own lines read better (and may be multi-line).
    list.flow = false;
    list.add(doc.createNode(def, { flow: !pr.description }));
    notes.push(`added project ${pr.key} (${pr.name})`);
  }
  if (notes.length === 0) return { text: null, notes };
  return { text: doc.toString({ flowCollectionPadding: false, lineWidth: 0 }), notes };
}

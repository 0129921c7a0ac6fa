import {
  Kind,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Linear's published complexity score of a GraphQL request (developers docs, "Rate
 * limiting"): each property 0.1 point, each object 1 point, a connection multiplies the
 * cost of its nodes by its page size (`first`/`last`, 50 when absent), the total rounded
 * up, at least 1. Linear refuses a request scoring over 10,000 and charges each one's
 * score against an hourly budget, so the connector scores every request before sending it.
 *
 * Worked without the schema: a field with a selection is an object, one without is a
 * property, and a field taking `first`/`last` or selecting `nodes`/`edges` is a connection
 * (its `pageInfo` counted once, not per node).
 */
export const LINEAR_MAX_COMPLEXITY = 10_000;
const DEFAULT_PAGE = 50;

export function linearComplexity(query: string, variables: Record<string, unknown> = {}): number {
  const doc = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let total = 0;
  for (const d of doc.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION) total += selectionCost(d.selectionSet, fragments, variables);
  return Math.max(1, Math.ceil(total - 1e-9));
}

function selectionCost(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  vars: Record<string, unknown>,
): number {
  let cost = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) cost += fieldCost(s, fragments, vars);
    else if (s.kind === Kind.INLINE_FRAGMENT) cost += selectionCost(s.selectionSet, fragments, vars);
    else {
      const f = fragments.get(s.name.value);
      if (f) cost += selectionCost(f.selectionSet, fragments, vars);
    }
  }
  return cost;
}

function fieldCost(
  f: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
  vars: Record<string, unknown>,
): number {
  if (!f.selectionSet) return 0.1;
  const page = pageSize(f, vars);
  const children = f.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const isConnection = page !== undefined || children.some((c) => c.name.value === 'nodes' || c.name.value === 'edges');
  if (!isConnection) return 1 + selectionCost(f.selectionSet, fragments, vars);
  const n = page ?? DEFAULT_PAGE;
  let cost = 1;
  for (const c of children) {
    const each = fieldCost(c, fragments, vars);
    cost += c.name.value === 'nodes' || c.name.value === 'edges' ? n * each : each;
  }
  return cost;
}

function pageSize(f: FieldNode, vars: Record<string, unknown>): number | undefined {
  const arg = f.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  return arg ? intValue(arg.value, vars) : undefined;
}

function intValue(v: ValueNode, vars: Record<string, unknown>): number | undefined {
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === 'number' ? x : undefined;
  }
  return undefined;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Validates requests against Trello's published OpenAPI document
 * (test/fixtures/shared/specs/trello-openapi.json): the path must match a path template,
 * the method an operation of it, every parameter must be one the operation declares, the
 * required ones present, and values must fit their schema (type, enum, TrelloID pattern).
 * Trello reads parameters from the query string or a JSON body alike, so both are checked
 * as one parameter set.
 */

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  pattern?: string;
  nullable?: boolean;
  items?: Schema;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}
interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Param[];
}
type PathItem = { parameters?: Param[] } & Partial<Record<'get' | 'put' | 'post' | 'delete', Operation>>;
interface Spec {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

export const TRELLO_SPEC_FILE = join(__dirname, '..', 'fixtures', 'shared', 'specs', 'trello-openapi.json');

export interface Matched {
  template: string;
  operationId: string;
  path: Record<string, string>;
}

export class TrelloSpec {
  private readonly spec: Spec;
  private readonly templates: { template: string; re: RegExp; names: string[]; literals: number }[];

  constructor(file = TRELLO_SPEC_FILE) {
    this.spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    this.templates = Object.keys(this.spec.paths).map((template) => {
      const names: string[] = [];
      const parts = template.replace(/\/$/, '').split('/');
      const re = parts
        .map((p) =>
          /^\{.+\}$/.test(p) ? (names.push(p.slice(1, -1)), '([^/]+)') : p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
        )
        .join('/');
      return {
        template,
        re: new RegExp(`^${re}/?$`),
        names,
        literals: parts.filter((p) => p && !p.startsWith('{')).length,
      };
    });
    // The most literal template wins: /actions/{id}/text before /actions/{id}/{field}.
    this.templates.sort((a, b) => b.literals - a.literals);
  }

  /** Problems with one request; `matched` is set when path and method exist in the spec. */
  check(
    method: string,
    pathname: string,
    params: Record<string, string>,
  ): { problems: string[]; matched?: Matched; status: number } {
    const hit = this.templates.map((t) => ({ t, m: t.re.exec(pathname) })).find((x) => x.m);
    if (!hit) return { problems: [`no path in Trello's API matches ${pathname}`], status: 404 };
    const item = this.spec.paths[hit.t.template];
    const op = item[method.toLowerCase() as 'get'];
    if (!op) return { problems: [`${method} is not an operation of ${hit.t.template}`], status: 404 };
    const path = Object.fromEntries(hit.t.names.map((n, i) => [n, decodeURIComponent(hit.m![i + 1])]));
    const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])];
    const problems: string[] = [];
    for (const p of declared.filter((d) => d.in === 'path')) {
      const v = path[p.name];
      const bad = v === undefined ? `missing path parameter ${p.name}` : this.checkValue(p.name, v, p.schema);
      if (bad) problems.push(bad);
    }
    const query = declared.filter((d) => d.in === 'query');
    for (const [name, value] of Object.entries(params)) {
      if (name === 'key' || name === 'token') continue; // the security schemes
      const p = query.find((q) => q.name === name);
      if (!p)
        problems.push(
          `${op.operationId}: unknown parameter "${name}" (declared: ${query.map((q) => q.name).join(', ') || 'none'})`,
        );
      else {
        const bad = this.checkValue(name, value, p.schema);
        if (bad) problems.push(`${op.operationId}: ${bad}`);
      }
    }
    for (const p of query)
      if (p.required && params[p.name] === undefined)
        problems.push(`${op.operationId}: missing required parameter "${p.name}"`);
    return { problems, matched: { template: hit.t.template, operationId: op.operationId ?? '', path }, status: 400 };
  }

  private resolve(s: Schema | undefined): Schema {
    let cur = s ?? {};
    for (let i = 0; cur.$ref && i < 5; i++)
      cur = {
        ...this.spec.components.schemas[cur.$ref.split('/').pop()!],
        ...(cur.nullable ? { nullable: true } : {}),
      };
    return cur;
  }

  /** Query values are text: booleans are "true"/"false", arrays comma-separated. */
  private checkValue(name: string, value: string, raw: Schema | undefined): string | null {
    const s = this.resolve(raw);
    if (s.nullable && value === 'null') return null;
    if (s.enum && !s.enum.includes(value)) return `"${name}" must be one of ${s.enum.join(', ')}, got "${value}"`;
    if (s.pattern && !new RegExp(s.pattern).test(value)) {
      // Parameters typed TrelloID also accept comma-separated lists of ids (idMembers...).
      if (!value.split(',').every((v) => v === '' || new RegExp(s.pattern!).test(v)))
        return `"${name}" must match ${s.pattern}, got "${value}"`;
    }
    switch (s.type) {
      case 'boolean':
        return value === 'true' || value === 'false' ? null : `"${name}" must be true or false, got "${value}"`;
      case 'number':
      case 'integer': {
        const n = Number(value);
        if (!Number.isFinite(n)) return `"${name}" must be a number, got "${value}"`;
        if ((s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum))
          return `"${name}" must be between ${s.minimum ?? '-∞'} and ${s.maximum ?? '∞'}, got ${value}`;
        return null;
      }
      case 'array': {
        const item = this.resolve(s.items);
        if (item.pattern && !value.split(',').every((v) => v === '' || new RegExp(item.pattern!).test(v)))
          return `"${name}" must be a comma-separated list of ids, got "${value}"`;
        return null;
      }
      default:
        if (s.maxLength !== undefined && value.length > s.maxLength) return `"${name}" is longer than ${s.maxLength}`;
        return null;
    }
  }
}

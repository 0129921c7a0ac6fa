import { z } from 'zod';

/**
 * Long answers come one page at a time, so that one call never floods a terminal or an
 * agent's context. The page is the answer (an array, the stable `--json` shape); how many
 * there are in all rides along out of band, for each surface to say in its own way (a
 * footer, HTTP headers, an MCP note).
 */
export interface PageInfo {
  /** Items in the whole answer. */
  total: number;
  offset: number;
  /** The page size asked for; null: no limit. */
  limit: number | null;
  shown: number;
}

const PAGE = Symbol('tack.page');

/** A bound a read takes (a page size, cards a column, tickets a commit): `0` asks for all. */
export function boundInput(description: string) {
  return z.number().int().nonnegative().optional().describe(description);
}

/** The bound asked for, or the default; undefined when `0` asked for all. */
export function boundOf(asked: number | undefined, defaultBound: number): number | undefined {
  return asked === 0 ? undefined : (asked ?? defaultBound);
}

/** The inputs of a paged read, with its default page size. */
export function pageInputs(defaultLimit: number) {
  return {
    limit: boundInput(`at most this many (default ${defaultLimit}; 0: no limit)`),
    offset: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('skip this many first (the next page starts where this one ended)'),
  };
}

export interface PageRequest {
  limit?: number;
  offset?: number;
}

/**
 * One page of an answer: `readRows` reads up to `limit` items from `offset` (no limit when
 * undefined); `count` is asked only when there is more than the page, so a short answer
 * costs one query.
 */
export function page<T>(
  req: PageRequest,
  defaultLimit: number,
  readRows: (limit: number | undefined, offset: number) => T[],
  count: () => number,
): T[] {
  const limit = boundOf(req.limit, defaultLimit);
  const offset = req.offset ?? 0;
  const rows = readRows(limit === undefined ? undefined : limit + 1, offset);
  const more = limit !== undefined && rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const total = more || (items.length === 0 && offset > 0) ? count() : offset + items.length;
  return withPage(items, { total, offset, limit: limit ?? null, shown: items.length });
}

/**
 * The rows of a paged read, for `page` to cut a page from or for a surface to write as they
 * come when the whole answer is asked for (`limit 0`: see OpDef.rows).
 */
export interface RowSource<T> {
  /** Up to `limit` rows from `offset` (every one after it when undefined), read as they are used. */
  read(limit: number | undefined, offset: number): Iterable<T>;
  count(): number;
}

/** A page of the rows of `source`. */
export function pageFrom<T>(req: PageRequest, defaultLimit: number, source: RowSource<T>): T[] {
  return page(
    req,
    defaultLimit,
    (limit, offset) => [...source.read(limit, offset)],
    () => source.count(),
  );
}

/** The rows of an answer already held whole (a workspace merges its stores in memory). */
export function heldRows<T>(all: T[]): RowSource<T> {
  return {
    read: (limit, offset) => all.slice(offset, limit === undefined ? undefined : offset + limit),
    count: () => all.length,
  };
}

/** A page of an answer already held whole. */
export function pageOfAll<T>(all: T[], req: PageRequest, defaultLimit: number): T[] {
  return pageFrom(req, defaultLimit, heldRows(all));
}

/**
 * A page of a list held whole that an answer carries among other fields (doctor's findings,
 * validate's problems, a dry run's moves): the items as a plain array, the page, and where
 * the next one starts (null after the last).
 */
export function pageOfList<T>(
  all: T[],
  req: PageRequest,
  defaultLimit: number,
): { items: T[]; info: PageInfo; next: { more: number; offset: number } | null } {
  const page = pageOfAll(all, req, defaultLimit);
  const info = pageInfo(page)!;
  return { items: [...page], info, next: nextPage(info) };
}

export function withPage<T>(items: T[], info: PageInfo): T[] {
  Object.defineProperty(items, PAGE, { value: info, enumerable: false });
  return items;
}

/** The page an answer is, if it is one. */
export function pageInfo(result: unknown): PageInfo | undefined {
  return Array.isArray(result) ? (result as unknown as Record<symbol, PageInfo | undefined>)[PAGE] : undefined;
}

/** How many are left after this page, and where the next one starts; null when none. */
export function nextPage(info: PageInfo | undefined): { more: number; offset: number } | null {
  if (!info) return null;
  const end = info.offset + info.shown;
  return end < info.total ? { more: info.total - end, offset: end } : null;
}

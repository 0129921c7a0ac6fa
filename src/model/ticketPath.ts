/**
 * Where a ticket's file lives in the store. `flat`: `tickets/<id>.md` (DESIGN.md's layout).
 * `fanout`: `tickets/<shard>/<id>.md`, so that a write rewrites one small shard tree
 * instead of a `tickets/` tree listing every ticket (docs/decisions.md). Readers accept
 * both layouts at once, whatever the schema declares: a branch still in the other layout
 * must keep reading.
 */
export const LAYOUTS = ['flat', 'fanout'] as const;
export type TicketLayout = (typeof LAYOUTS)[number];

/** A live ticket sits under tickets/, an archived one under archive/ (the same layout). */
export type TicketDir = 'tickets' | 'archive';
export const TICKET_DIRS: readonly TicketDir[] = ['tickets', 'archive'];

/** The placeholder for a shard character the id does not have (`tk-a` → `a_`). */
const PAD = '_';

/**
 * The shard of an id: the first two characters after the prefix dash, lower-cased, so
 * random ids spread evenly over at most 36² folders. A random part shorter than two
 * characters (or an id with no dash: all of it) is padded with `_`, a character no id
 * holds; any character outside [0-9a-z] becomes `_` too, so a shard is always a plain
 * folder name.
 */
export function shardOf(id: string): string {
  const random = id.slice(id.indexOf('-') + 1).toLowerCase();
  return `${random}${PAD}${PAD}`.slice(0, 2).replace(/[^0-9a-z]/g, PAD);
}

/** The store-relative path of a ticket's file in `layout` (`tickets/3f/tk-3fa9.md`). */
export function ticketPath(id: string, layout: TicketLayout = 'flat', dir: TicketDir = 'tickets'): string {
  // Joined, not a template: one flat string instead of a chain of pieces (~80 bytes less a
  // path, which an import of 100,000 holds until its commit is written).
  return (layout === 'fanout' ? [dir, '/', shardOf(id), '/', id, '.md'] : [dir, '/', id, '.md']).join('');
}

/** Both places a ticket's file may be, the layout's own first. */
export function ticketPaths(id: string, layout: TicketLayout = 'flat', dir: TicketDir = 'tickets'): [string, string] {
  const other: TicketLayout = layout === 'fanout' ? 'flat' : 'fanout';
  return [ticketPath(id, layout, dir), ticketPath(id, other, dir)];
}

export interface TicketLocation {
  id: string;
  dir: TicketDir;
  layout: TicketLayout;
}

/**
 * The ticket a store-relative path holds, or null when it holds none: not under
 * tickets/ or archive/, nested deeper than a shard, or in a shard that is not its id's
 * (`tickets/aa/tk-3fa9.md`; see `misplacedTicket`). A file name that can be a ticket's is
 * `<name>.md`, no dot first (never `.` or `..`), no separator.
 *
 * Read without splitting: a full build asks it of every path of history several times
 * (at 100,000 tickets its arrays, shard strings and matches were a tenth of what a build
 * allocates). Only the id is a new string.
 */
export function ticketIdFromPath(rel: string): TicketLocation | null {
  const dir: TicketDir | null = rel.startsWith('tickets/') ? 'tickets' : rel.startsWith('archive/') ? 'archive' : null;
  if (dir === null) return null;
  const start = dir.length + 1;
  const slash = rel.indexOf('/', start);
  if (slash >= 0 && rel.indexOf('/', slash + 1) >= 0) return null;
  const file = slash < 0 ? start : slash + 1;
  if (!rel.endsWith('.md') || rel.length - 3 <= file) return null;
  const first = rel.charCodeAt(file);
  if (first === DOT || rel.indexOf('\\', file) >= 0) return null;
  const id = rel.slice(file, rel.length - 3);
  if (slash < 0) return { id, dir, layout: 'flat' };
  return isShardOf(rel, start, slash, id) ? { id, dir, layout: 'fanout' } : null;
}

const DOT = 46;

/** A file name that can be a ticket's (as ticketIdFromPath reads it), for saying why one is not. */
const FILE = /^([^/\\.][^/\\]*)\.md$/;

/** Whether rel[from, to) is `id`'s shard; compared in place when the id's shard characters are plain ASCII. */
function isShardOf(rel: string, from: number, to: number, id: string): boolean {
  if (to - from !== 2) return false;
  const random = id.indexOf('-') + 1;
  for (let k = 0; k < 2; k++) {
    const c = random + k < id.length ? id.charCodeAt(random + k) : PAD.charCodeAt(0);
    // Outside ASCII, lower-casing can change a character's length or make it ASCII: the slow way.
    if (c > 127) return rel.slice(from, to) === shardOf(id);
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    const plain = (lower >= 48 && lower <= 57) || (lower >= 97 && lower <= 122);
    if (rel.charCodeAt(from + k) !== (plain ? lower : PAD.charCodeAt(0))) return false;
  }
  return true;
}

/**
 * Why a file under tickets/ or archive/ is not read as a ticket, or null when it is one
 * or is no business of ours (a `.gitkeep`, a file outside both folders).
 */
export function misplacedTicket(rel: string): string | null {
  const parts = rel.split('/');
  if ((parts[0] !== 'tickets' && parts[0] !== 'archive') || ticketIdFromPath(rel)) return null;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    return name.endsWith('.md') ? `not read as a ticket: expected ${parts[0]}/<id>.md with a plain id` : null;
  }
  if (parts.length > 3) {
    return `not read as a ticket: nested too deep; expected ${parts[0]}/<id>.md or ${parts[0]}/<shard>/<id>.md`;
  }
  const m = FILE.exec(name);
  if (!m) return `not read as a ticket: expected only <id>.md files in the shard folder ${parts[0]}/${parts[1]}/`;
  return `not read as a ticket: ${m[1]} belongs in shard "${shardOf(m[1])}" (${ticketPath(m[1], 'fanout', parts[0] as TicketDir)}), not "${parts[1]}"`;
}

/** Parse a layout name from a flag or schema.yaml; null when it is none. */
export function parseLayout(v: unknown): TicketLayout | null {
  return typeof v === 'string' && (LAYOUTS as readonly string[]).includes(v) ? (v as TicketLayout) : null;
}

/**
 * The path prefixes under which files of ids starting with `needle` sit, in both layouts
 * (a prefix lookup in sorted paths). A needle too short to fix its shard finds flat files only.
 */
export function ticketPathPrefixes(needle: string, dir: TicketDir = 'tickets'): string[] {
  const random = needle.slice(needle.indexOf('-') + 1);
  const flat = `${dir}/${needle}`;
  return needle.includes('-') && random.length >= 2 ? [flat, `${dir}/${shardOf(needle)}/${needle}`] : [flat];
}

/** Every path a ticket's file may have: both folders, both layouts. */
export function allTicketPaths(id: string): string[] {
  return TICKET_DIRS.flatMap((dir) => ticketPaths(id, 'flat', dir));
}

const LAYOUT_LINE = /^layout:.*$/m;

/**
 * schema.yaml's text declaring `layout`, everything else kept (comments included). A
 * top-level key sits at column 0, so the one `layout:` line there is the key.
 */
export function schemaTextWithLayout(text: string, layout: TicketLayout): string {
  if (LAYOUT_LINE.test(text)) return text.replace(LAYOUT_LINE, `layout: ${layout}`);
  const head = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return `${head}# Where ticket files go: flat (tickets/<id>.md) or fanout (tickets/<shard>/<id>.md).\n# Change it with \`tack migrate layout\`, which moves the files too.\nlayout: ${layout}\n`;
}

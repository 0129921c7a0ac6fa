import { TackError } from './errors.js';

/**
 * Whether git accepts a path as a tree entry: the rules of git's `verify_path` and of the
 * tree checks `git fsck --strict` (and a remote with `receive.fsckObjects`) applies. A path
 * git refuses would make the whole branch unpushable, so every path Tack writes into a tree
 * passes here first. Rule names are fsck's message ids where fsck has one.
 */
export type GitPathRule =
  | 'emptyPath'
  | 'fullPathname'
  | 'emptyName'
  | 'hasDot'
  | 'hasDotdot'
  | 'hasDotgit'
  | 'gitmodulesName'
  | 'gitattributesName'
  | 'nulInPath'
  | 'backslash'
  | 'largePathname'
  | 'badUtf8';

/** Code points HFS+ ignores when it compares names: `.g\u200cit` is `.git` there. */
const HFS_IGNORED = new Set([
  0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x206a, 0x206b, 0x206c, 0x206d, 0x206e,
  0x206f, 0xfeff,
]);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** fsck's largePathname limit for one tree entry name, in bytes. */
const MAX_NAME_BYTES = 4096;

/** `.<needle>` as HFS+ reads the name: ignorable code points dropped, ASCII case folded. */
function isHfsDot(name: string, needle: string): boolean {
  let folded = '';
  for (const ch of name) {
    if (!HFS_IGNORED.has(ch.codePointAt(0)!)) folded += ch;
  }
  return asciiLower(folded) === `.${needle}`;
}

/** Git folds ASCII letters only (the Kelvin sign is not a "k" to it). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Only spaces and dots up to the end or an NTFS stream separator (`:`): NTFS trims them. */
function ntfsTail(rest: string): boolean {
  for (const c of rest) {
    if (c === ':') return true;
    if (c !== ' ' && c !== '.') return false;
  }
  return true;
}

/**
 * `.<needle>` as NTFS reads the name: trailing spaces and dots, alternate data streams
 * (`.git::$INDEX_ALLOCATION`), the 8.3 short name (`git~1`, `gitmod~3`) and git's
 * fallback short names (`gi7eba~1` for .gitmodules).
 */
function isNtfsDot(name: string, needle: string, shortPrefix: string): boolean {
  const lower = asciiLower(name);
  if (lower.startsWith(`.${needle}`) && ntfsTail(name.slice(needle.length + 1))) return true;
  if (needle === 'git') return /^git~1/.test(lower) && ntfsTail(name.slice(5));
  if (lower.startsWith(needle.slice(0, 6)) && /^~[1-4]/.test(name.slice(6, 8)) && ntfsTail(name.slice(8))) return true;
  return ntfsFallbackShortName(lower, shortPrefix);
}

/** Git's own short name for names NTFS could not shorten plainly: `gi7eba~1`, `gi7eb~12`. */
function ntfsFallbackShortName(lower: string, prefix: string): boolean {
  let sawTilde = false;
  for (let i = 0; i < 8; i++) {
    const c = lower[i];
    if (c === undefined) return false;
    if (sawTilde) {
      if (c < '0' || c > '9') return false;
    } else if (c === '~') {
      i++;
      if (!(lower[i] >= '1' && lower[i] <= '9')) return false;
      sawTilde = true;
    } else if (i >= 6 || c !== prefix[i]) return false;
  }
  return ntfsTail(lower.slice(8));
}

function segmentRule(seg: string, last: boolean): GitPathRule | null {
  if (seg === '') return 'emptyName';
  if (seg === '.') return 'hasDot';
  if (seg === '..') return 'hasDotdot';
  if (isHfsDot(seg, 'git') || isNtfsDot(seg, 'git', '')) return 'hasDotgit';
  // fsck parses any entry it reads as .gitmodules (Tack never writes one) and wants any
  // .gitattributes to be a blob (Tack's own, at the top, is one): so never a directory.
  if (isHfsDot(seg, 'gitmodules') || isNtfsDot(seg, 'gitmodules', 'gi7eba')) return 'gitmodulesName';
  if (!last && (isHfsDot(seg, 'gitattributes') || isNtfsDot(seg, 'gitattributes', 'gi7d29')))
    return 'gitattributesName';
  if (Buffer.byteLength(seg, 'utf8') > MAX_NAME_BYTES) return 'largePathname';
  return null;
}

/** The first rule `path` breaks, or null when git accepts it as a tree entry path. */
export function gitPathRule(path: string): GitPathRule | null {
  if (path === '') return 'emptyPath';
  if (path.includes('\0')) return 'nulInPath';
  if (LONE_SURROGATE.test(path)) return 'badUtf8';
  // git on Windows (and fsck's NTFS checks everywhere) reads a backslash as a separator.
  if (path.includes('\\')) return 'backslash';
  if (path.startsWith('/')) return 'fullPathname';
  const segs = path.split('/');
  for (let i = 0; i < segs.length; i++) {
    const rule = segmentRule(segs[i], i === segs.length - 1);
    if (rule) return rule;
  }
  return null;
}

const EXPLAIN: Record<GitPathRule, string> = {
  emptyPath: 'is empty',
  fullPathname: 'starts with "/"',
  emptyName: 'has an empty segment ("//" or a trailing "/")',
  hasDot: 'has a "." segment',
  hasDotdot: 'has a ".." segment',
  hasDotgit:
    'has a segment git reads as ".git" (any case, NTFS short names like git~1, trailing dots or spaces, ":" streams, HFS+ ignorable characters)',
  gitmodulesName: 'has a segment git reads as ".gitmodules"',
  gitattributesName: 'has a directory git reads as ".gitattributes"',
  nulInPath: 'contains a NUL character',
  backslash: 'contains a backslash (a directory separator on Windows)',
  largePathname: `has a segment longer than ${MAX_NAME_BYTES} bytes`,
  badUtf8: 'is not valid Unicode (a lone surrogate)',
};

/** Refuse a path git would refuse, naming the path and the rule. */
export function assertGitPath(path: string, field = 'path'): void {
  const rule = gitPathRule(path);
  if (!rule) return;
  throw new TackError(
    'invalid_input',
    `path ${JSON.stringify(path)} ${EXPLAIN[rule]} (git rule ${rule}); nothing written: expected a path git accepts in a tree, like docs/specs/parser.md`,
    {
      field,
      received: path,
      rule,
    },
  );
}

/**
 * A path written as a file while another written path lives below it (`a.md` and
 * `a.md/x.md`): a tree cannot hold both. Returns the pair, or null.
 */
export function fileDirClash(paths: readonly string[]): { file: string; under: string } | null {
  const files = new Set(paths);
  for (const p of paths) {
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
      const dir = p.slice(0, i);
      if (files.has(dir)) return { file: dir, under: p };
    }
  }
  return null;
}

/** The typed error for a file/directory collision, for every tree writer alike. */
export function clashError(file: string, under: string, existing: 'file' | 'directory' | 'change'): TackError {
  const why =
    existing === 'directory'
      ? `"${file}" is a directory in the tree, so it cannot also be a file`
      : existing === 'file'
        ? `"${file}" is a file in the tree, so "${under}" cannot be written below it`
        : `the same change writes "${file}" as a file and "${under}" below it`;
  return new TackError(
    'conflict',
    `file/directory collision: ${why}; nothing written: expected a path that is not also a directory (or a file) there`,
    {
      field: 'path',
      received: under,
      path: file,
      rule: 'fileDirectoryCollision',
    },
  );
}

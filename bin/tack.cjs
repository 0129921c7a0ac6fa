#!/usr/bin/env node
'use strict';
// Loads the bundle through a V8 code cache: compiling the bundle is most of a cold
// start, and the cache turns it into a read. A missing or stale cache is rebuilt.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const os = require('node:os');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 16)) {
  process.stderr.write(`tack: needs Node 22.16 or later (its built-in node:sqlite); this is Node ${process.version}\n`);
  process.exit(70);
}
const file = path.join(__dirname, '..', 'dist', 'tack.cjs');
let source;
try {
  source = fs.readFileSync(file, 'utf8');
} catch {
  process.stderr.write('tack: dist/tack.cjs is missing; run `npm run build` in the tack package\n');
  process.exit(70);
}
const key = `${process.version}-${fs.statSync(file).mtimeMs}`;
const cacheFile = codeCacheFile();
// A cache holds the code that the runs which wrote it compiled; code it lacks is compiled
// again by every run. Its first line names the commands it has seen, and a command not yet
// among them writes the cache again at exit (what was read plus its own code), once.
const word = commandWord(process.argv.slice(2));
let cached;
let seen = [];
if (cacheFile) {
  try {
    const buf = fs.readFileSync(cacheFile);
    const nl = buf.indexOf(10);
    const [k, words = ''] = buf.toString('utf8', 0, nl).split(' ');
    if (k === key) {
      cached = buf.subarray(nl + 1);
      seen = words ? words.split(',') : [];
    }
  } catch {}
}
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData: cached,
  importModuleDynamically: undefined,
});
const stale = !cached || script.cachedDataRejected;
if (cacheFile && (stale || (!seen.includes(word) && seen.length < 64))) {
  process.once('exit', () => {
    const words = stale ? [word] : [...seen, word];
    const data = Buffer.concat([Buffer.from(`${key} ${words.join(',')}\n`), script.createCachedData()]);
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, data, { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
    } catch {}
  });
}
/** The command's first word (`list`, `show`…), skipping global flags and their values; `-` for none. */
function commandWord(argv) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-C' || a === '--branch' || a === '--color') i++;
    else if (!a.startsWith('-')) return /^[a-z][a-z-]{0,23}$/.test(a) ? a : '-';
  }
  return '-';
}
/**
 * The cache is code V8 runs, so it is read only from a directory no one else can write:
 * $XDG_CACHE_HOME/tack or ~/.cache/tack, created 0700, and skipped (slower start, never
 * someone else's code) if it belongs to another user or others may write to it. One file
 * per Node version and bundle path, so two Node versions never rewrite one file.
 */
function codeCacheFile() {
  try {
    if (typeof process.getuid !== 'function') return null;
    const xdg = process.env.XDG_CACHE_HOME;
    const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'tack');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return null;
    // FNV-1a of the bundle's path (crypto would cost start-up time): installs apart.
    let h = 0x811c9dc5;
    for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193) >>> 0;
    return path.join(dir, `code-${process.version}-${h.toString(16)}.cache`);
  } catch {
    return null;
  }
}
const mod = { exports: {}, filename: file, id: file, paths: Module._nodeModulePaths(path.dirname(file)) };
const req = Module.createRequire(file);
script.runInThisContext()(mod.exports, req, mod, file, path.dirname(file));
mod.exports.runCli();

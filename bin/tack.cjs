#!/usr/bin/env node
'use strict';
// Loads the bundle through a V8 code cache: compiling the bundle is most of a cold
// start, and the cache turns it into a read. A missing or stale cache is rebuilt.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const os = require('os');

const file = path.join(__dirname, '..', 'dist', 'tack.cjs');
let source;
try {
  source = fs.readFileSync(file, 'utf8');
} catch {
  process.stderr.write('tack: dist/tack.cjs is missing; run `npm run build` in the tack package\n');
  process.exit(70);
}
const key = `${process.version}-${fs.statSync(file).mtimeMs}`;
const candidates = [file + '.cache', path.join(os.tmpdir(), `tack-${Buffer.from(file).toString('hex').slice(-24)}.cache`)];
let cached;
for (const c of candidates) {
  try {
    const buf = fs.readFileSync(c);
    const nl = buf.indexOf(10);
    if (buf.toString('utf8', 0, nl) === key) {
      cached = buf.subarray(nl + 1);
      break;
    }
  } catch {}
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached, importModuleDynamically: undefined });
if (!cached || script.cachedDataRejected) {
  process.once('exit', () => {
    const data = Buffer.concat([Buffer.from(key + '\n'), script.createCachedData()]);
    for (const c of candidates) {
      try {
        const tmp = `${c}.${process.pid}`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, c);
        return;
      } catch {}
    }
  });
}
const mod = { exports: {}, filename: file, id: file, paths: Module._nodeModulePaths(path.dirname(file)) };
const req = Module.createRequire(file);
script.runInThisContext()(mod.exports, req, mod, file, path.dirname(file));

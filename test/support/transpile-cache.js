// The transpile cache of the test suite's child processes (ts-register.js is their require hook): each .ts file is
// transpiled by swc with the options of .swcrc, the same ones jest's transformer (@swc/jest) reads, without source
// maps, and the output is kept in .jest-cache/keyless-from-source/ under a hash of swc's version, .swcrc, the file
// name and its text. A changed source gets a new hash, so a stale output is never used.
//
// `warm` fills the cache for a list of files; the suite's globalSetup (global-setup.js) runs it over lib/ once before
// the workers start. On a fresh checkout the cache is empty, and without that the first CLI processes of each test
// file (the CLI tests start up to three at once, on both workers) each loaded the compiler and transpiled lib/ again.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const cacheDir = path.join(root, '.jest-cache', 'keyless-from-source');
const swcrc = fs.readFileSync(path.join(root, '.swcrc'), 'utf8');
// parsed once: every transpile of the process uses the same options
const swcOptions = JSON.parse(swcrc);

// swc's native binding is loaded only when a file is not in the cache yet.
let swc;
function compiler() {
  return (swc ??= require('@swc/core'));
}

// The cache key covers what the output depends on: the compiler's version, .swcrc, this file's overrides.
const optionsKey = [require('@swc/core/package.json').version, swcrc, transpileAndStore.toString()].join('\n');

function cachePath(source, fileName) {
  const key = crypto.createHash('sha256').update(optionsKey).update('\n').update(fileName).update('\n').update(source).digest('hex');
  return path.join(cacheDir, `${key}.js`);
}

function transpileAndStore(source, fileName, cached) {
  // .swcrc is passed as read above (swcrc: false keeps swc from looking for one again), without source maps
  const { code } = compiler().transformSync(source, { ...swcOptions, filename: fileName, swcrc: false, configFile: false, sourceMaps: false });
  try {
    // written under a unique name and renamed: concurrent starts never read a half-written file
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  } catch {
    // a read-only checkout still runs, uncached
  }
  return code;
}

/** The JavaScript for one TypeScript file, from the cache or transpiled now (and stored). */
function transpile(source, fileName) {
  const cached = cachePath(source, fileName);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not transpiled yet
  }
  return transpileAndStore(source, fileName, cached);
}

/**
 * Puts every file of `fileNames` that is not in the cache yet into it, and returns how many that were. A file that does
 * not transpile is left out: the process that loads it reports the error, as it would without the warm-up.
 */
function warm(fileNames) {
  let transpiled = 0;
  for (const fileName of fileNames) {
    const source = fs.readFileSync(fileName, 'utf8');
    const cached = cachePath(source, fileName);
    if (fs.existsSync(cached)) continue;
    try {
      transpileAndStore(source, fileName, cached);
      transpiled++;
    } catch {
      // reported when the file is loaded
    }
  }
  return transpiled;
}

module.exports = { root, transpile, warm };

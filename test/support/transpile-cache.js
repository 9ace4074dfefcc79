// The transpile cache of the test suite's child processes (ts-register.js is their require hook): each .ts file is
// transpiled as ts-node --transpile-only would (TypeScript's transpileModule with tsconfig.json's options, CommonJS,
// no source maps), and the output is kept in .jest-cache/keyless-from-source/ under a hash of the compiler version,
// the options, the file name and its text. A changed source gets a new hash, so a stale output is never used.
//
// `warm` fills the cache for a list of files; the suite's globalSetup (global-setup.js) runs it over lib/ once before
// the workers start. On a fresh checkout the cache is empty, and without that the first CLI processes of each test
// file (the CLI tests start up to three at once, on both workers) each loaded TypeScript and transpiled lib/ again:
// about 300 transpiles for 120 files in one cold `npm test`.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const cacheDir = path.join(root, '.jest-cache', 'keyless-from-source');

// TypeScript itself (a third of a process start) is loaded only when a file is not in the cache yet.
let ts;
function typescript() {
  return (ts ??= require('typescript'));
}

function compilerOptions() {
  const ts = typescript();
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  return { ...options, module: ts.ModuleKind.CommonJS, rootDir: root, sourceMap: false, inlineSourceMap: false, inlineSources: false, declaration: false };
}

// The cache key covers what the output depends on: the compiler's version, tsconfig.json, this file's overrides.
const optionsKey = [
  require('typescript/package.json').version,
  fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'),
  compilerOptions.toString(),
].join('\n');
let options;

function cachePath(source, fileName) {
  const key = crypto.createHash('sha256').update(optionsKey).update('\n').update(fileName).update('\n').update(source).digest('hex');
  return path.join(cacheDir, `${key}.js`);
}

function transpileAndStore(source, fileName, cached) {
  const ts = typescript();
  options ??= compilerOptions();
  const out = ts.transpileModule(source, { fileName, compilerOptions: options, reportDiagnostics: true });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
  }
  try {
    // written under a unique name and renamed: concurrent starts never read a half-written file
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, out.outputText);
    fs.renameSync(partial, cached);
  } catch {
    // a read-only checkout still runs, uncached
  }
  return out.outputText;
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

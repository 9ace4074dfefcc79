// A require hook for the TypeScript sources, for the test suite's child processes (test/support/keyless-from-source.js,
// and any test that starts `node -r <this file>` to check what a plain `require` of lib/ does): after it is loaded,
// `require('…/lib/x.ts')` and `require('…/lib/x')` load the TypeScript source, never a stale compiled lib/x.js.
//
// Each .ts file is transpiled as ts-node --transpile-only would (TypeScript's transpileModule with tsconfig.json's
// options, CommonJS, no source maps), and the output is kept in .jest-cache/keyless-from-source/ under a hash of
// the compiler version, the options, the file name and its text: transpiling lib/ took two thirds of every
// start's CPU time, and the suite starts such processes dozens of times. A changed source gets a new hash, so a
// stale output is never used.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const cacheDir = path.join(root, '.jest-cache', 'keyless-from-source');

// TypeScript itself (a third of a start) is loaded only when a file is not in the cache yet.
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

function transpile(source, fileName) {
  const key = crypto.createHash('sha256').update(optionsKey).update('\n').update(fileName).update('\n').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not transpiled yet
  }
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

Module._extensions['.ts'] = (module, fileName) => {
  module._compile(transpile(fs.readFileSync(fileName, 'utf8'), fileName), fileName);
};
// `.ts` first, as ts-node's preferTsExts: lib/x.ts wins over a stale compiled lib/x.js beside it.
for (const ext of Object.keys(Module._extensions)) {
  if (ext === '.ts') continue;
  const handler = Module._extensions[ext];
  delete Module._extensions[ext];
  Module._extensions[ext] = handler;
}

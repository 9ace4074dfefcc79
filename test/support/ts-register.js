// A require hook for the TypeScript sources, for the test suite's child processes (test/support/keyless-from-source.js,
// and any test that starts `node -r <this file>` to check what a plain `require` of lib/ does): after it is loaded,
// `require('…/lib/x.ts')` and `require('…/lib/x')` load the TypeScript source, never a stale compiled lib/x.js.
//
// The JavaScript comes from transpile-cache.js: transpiling lib/ took two thirds of every start's CPU time, and the
// suite starts such processes dozens of times.
'use strict';
const fs = require('fs');
const Module = require('module');
const { transpile } = require('./transpile-cache');

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

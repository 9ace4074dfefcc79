#!/usr/bin/env node
// The `keyless` CLI from the TypeScript sources, for the test suite: the same entry point as bin/keyless
// (lib/cli/main's `run`), loaded through ts-node so a test never runs a stale build. Users run bin/keyless,
// which loads only the compiled JavaScript; the consumer test (scripts/consumer-test.sh) runs that one.
'use strict';
const path = require('path');

const root = path.join(__dirname, '..', '..');
require('ts-node').register({
  transpileOnly: true,
  preferTsExts: true,
  project: path.join(root, 'tsconfig.json'),
  compilerOptions: { module: 'commonjs', rootDir: root, sourceMap: false, inlineSourceMap: false },
});
require(path.join(root, 'lib', 'cli', 'main.ts')).run(process.argv.slice(2));

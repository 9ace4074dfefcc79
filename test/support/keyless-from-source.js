#!/usr/bin/env node
// The `keyless` CLI from the TypeScript sources, for the test suite: the same entry point as bin/keyless
// (lib/cli/main's `run`), so a test never runs a stale build. Users run bin/keyless, which loads only the compiled
// JavaScript; the consumer test (scripts/consumer-test.sh) runs that one. The sources are loaded through
// ts-register.js (transpiled once, cached in .jest-cache/keyless-from-source/).
'use strict';
const path = require('path');

require('./ts-register');

require(path.join(__dirname, '..', '..', 'lib', 'cli', 'main.ts')).run(process.argv.slice(2));

// Jest globalSetup: runs once in jest's own process before the workers start.
// - the run's temporary directory (temp-dir-setup.js);
// - the transpile cache of the CLI processes the tests start (transpile-cache.js), filled for every file of lib/ at
//   once instead of by the first processes of each test file, concurrently and each on its own.
'use strict';
const fs = require('fs');
const path = require('path');
const setUpTempDir = require('./temp-dir-setup');
const { root, warm } = require('./transpile-cache');

module.exports = async function setup() {
  await setUpTempDir();
  const lib = path.join(root, 'lib');
  const sources = fs.readdirSync(lib, { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(lib, f));
  warm(sources);
};

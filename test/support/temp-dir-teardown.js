// Jest globalTeardown: removes the run's temporary directory (see temp-dir-setup.js).
'use strict';
const fs = require('fs');

module.exports = async function teardown() {
  const dir = process.env.KEYLESS_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const previous = process.env.KEYLESS_TEST_PREVIOUS_TMPDIR;
  if (previous) process.env.TMPDIR = previous;
  else delete process.env.TMPDIR;
};

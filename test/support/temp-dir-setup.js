// Jest globalSetup: the whole run gets one temporary directory as TMPDIR, set in the real process environment
// before the workers start, so os.tmpdir() in every test, the cdk.out folders aws-cdk-lib creates for apps
// without an outdir, and every subprocess a test starts write there. temp-dir-teardown.js removes it:
// `npm test` leaves nothing in the system temp dir. (A test file's process.env is a copy, so setting
// TMPDIR from inside a test would not reach os.tmpdir().)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-test-'));
  process.env.KEYLESS_TEST_PREVIOUS_TMPDIR = process.env.TMPDIR === undefined ? '' : process.env.TMPDIR;
  process.env.KEYLESS_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};

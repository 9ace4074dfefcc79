// Run time without @cdktf/provider-google: cdk-keyless loads, everything but a pool works, and building a pool fails
// with one clear error (rule gcp.provider-package, the npm install line), not a module-not-found stack.
'use strict';
const assert = require('assert');

assert.throws(() => require.resolve('@cdktf/provider-google/package.json'), /Cannot find module/, '@cdktf/provider-google is resolvable here');
const keyless = require('cdk-keyless');
assert.throws(() => require.resolve('@cdktf/provider-google/package.json', { paths: [require.resolve('cdk-keyless')] }), /Cannot find module/,
  '@cdktf/provider-google is resolvable from the installed package');
const { App, TerraformStack } = require('cdktf');
const plan = new keyless.FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws',
  workloads: [{ name: 'exporter', roleName: 'exporter', targets: [{ name: 'bigquery', kind: keyless.TargetKind.GCP, audience: 'https://iam.googleapis.com/aws-workloads' }] }],
});
assert.strictEqual(typeof keyless.KubernetesAuthentication.fromPlan, 'function');
let error;
try {
  keyless.GcpWorkloadIdentityPool.fromPlan(new TerraformStack(new App(), 'gcp'), 'Pool', plan, { poolId: 'aws-workloads' });
} catch (e) {
  error = e;
}
assert.ok(error, 'building a pool without @cdktf/provider-google did not fail');
assert.strictEqual(error.rule, 'gcp.provider-package', `unexpected error: ${error.stack}`);
assert.match(error.message, /npm install @cdktf\/provider-google/);
process.stdout.write('require works; a pool fails with rule gcp.provider-package\n');

// Plain JavaScript (no TypeScript, no ts-node): require('cdk-keyless') as a user's JS project does.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const keyless = require('cdk-keyless');

// It resolves to the installed package, not to a checkout.
const resolved = require.resolve('cdk-keyless');
assert.strictEqual(resolved, path.join(__dirname, 'node_modules', 'cdk-keyless', 'lib', 'index.js'), `require('cdk-keyless') resolved to ${resolved}`);

// Loading it pulls in only the provider submodules it uses, never a provider's (very large) index.
const indexes = Object.keys(require.cache).filter((f) => /@cdktf[\\/]provider-[a-z]+[\\/]lib[\\/]index\.js$/.test(f));
assert.deepStrictEqual(indexes, [], `require('cdk-keyless') loaded provider indexes: ${indexes.join(', ')}`);

// The public API.
const expected = {
  FederationPlan: 'function',
  FederatedWorkloadRole: 'function',
  OutboundWebIdentityFederation: 'function',
  OidcTrustRole: 'function',
  SubjectFilter: 'function',
  TrustManifest: 'function',
  SnowflakeWorkloadUser: 'function',
  SnowflakeWorkloadIdentity: 'function',
  EntraWorkloadApplication: 'function',
  KeylessGuardrails: 'function',
  KeylessTerraformGuardrails: 'function',
  TargetKind: 'object',
  WorkloadCompute: 'object',
  SigningAlgorithm: 'object',
  EntraCloud: 'object',
};
for (const [name, type] of Object.entries(expected)) {
  assert.strictEqual(typeof keyless[name], type, `export ${name} is ${typeof keyless[name]}, expected ${type}`);
}

// One plan, read from the same plan.json the TypeScript apps read: the role ARN and the token request.
const plan = keyless.FederationPlan.fromJson(fs.readFileSync(path.join(__dirname, 'plan.json'), 'utf8'));
assert.strictEqual(plan.workload('orders-etl').roleArn, 'arn:aws:iam::111122223333:role/workloads/orders-etl');
assert.deepStrictEqual(plan.target('orders-etl', 'warehouse').tokenRequest,
  { audience: 'snowflakecomputing.com', signingAlgorithm: 'ES384', durationSeconds: 300 });
assert.strictEqual(plan.target('orders-etl', 'graph').tokenRequest.audience, 'api://AzureADTokenExchange');

// A trust manifest for a target that has no Terraform provider.
const aiPlan = new keyless.FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws',
  workloads: [{
    name: 'assistant', roleName: 'assistant', compute: keyless.WorkloadCompute.ECS_TASK,
    targets: [{ name: 'openai', kind: keyless.TargetKind.OPENAI }],
  }],
});
const manifests = keyless.TrustManifest.fromPlan(aiPlan);
assert.strictEqual(manifests.length, 1, `expected 1 trust manifest, got ${manifests.length}`);
assert.ok(manifests[0].toJson().includes('arn:aws:iam::111122223333:role/assistant'), 'trust manifest JSON names the role ARN');

// Bad input throws the documented error type with the rule id (the README's subpath import).
const { KeylessValidationError } = require('cdk-keyless/lib/core/errors');
assert.throws(
  () => new keyless.FederationPlan({ account: '1234', issuerUrl: plan.issuerUrl, workloads: [] }),
  (e) => e instanceof KeylessValidationError && e.rule === 'account.format' && /\[rule account\.format\]/.test(e.message),
  'a 4-digit account is refused with KeylessValidationError [rule account.format]',
);

// The peer dependencies are the project's own single copies (not a second aws-cdk-lib under cdk-keyless).
const pkgDir = path.dirname(require.resolve('cdk-keyless/package.json'));
for (const peer of ['aws-cdk-lib', 'constructs', 'cdktf']) {
  const fromPackage = require.resolve(`${peer}/package.json`, { paths: [pkgDir] });
  const fromProject = require.resolve(`${peer}/package.json`);
  assert.strictEqual(fromPackage, fromProject, `cdk-keyless resolves ${peer} to ${fromPackage}, the project to ${fromProject}`);
}

console.log(`require('cdk-keyless') from JavaScript: ${Object.keys(expected).length} exports, role ARN ${plan.workload('orders-etl').roleArn}`);

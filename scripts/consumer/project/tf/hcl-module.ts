// The cdktf aspect over a local module written in HCL: the installed package parses it with its bundled
// @cdktf/hcl2json in a worker thread while the synchronous validation waits. The module's Snowflake user logs in
// with a password, so the synth fails with KL-SF-01 at the module address.
import * as path from 'path';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { App, TerraformHclModule, TerraformStack } from 'cdktf';
import { KeylessTerraformGuardrails } from 'cdk-keyless';

const app = new App({ outdir: path.join(__dirname, '..', 'cdktf.hcl-module.out') });
const stack = new TerraformStack(app, 'legacy-module');
new SnowflakeProvider(stack, 'snowflake', {
  organizationName: 'ACME',
  accountName: 'ORDERS',
  user: 'TERRAFORM_DEPLOY',
  authenticator: 'WORKLOAD_IDENTITY',
  workloadIdentityProvider: 'AWS',
});
new TerraformHclModule(stack, 'legacy', {
  source: path.join(__dirname, '..', 'inputs', 'legacy-hcl'),
  variables: { legacy_password: 'typed-in-at-deploy' },
});
KeylessTerraformGuardrails.enable(app);
app.synth();

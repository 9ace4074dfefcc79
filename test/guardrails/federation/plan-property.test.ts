/**
 * Property: any valid FederationPlan, synthesized by the constructs on both engines (the CDK app's roles and
 * federation switch, the CDKTF app's Snowflake users and Entra applications), yields a federation graph in which
 * every workload -> target pair is reachable, with no KL-FED finding.
 */
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App as TerraformApp, TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { EntraWorkloadApplication, FederatedWorkloadRole, FederationPlan, OutboundWebIdentityFederation, SnowflakeWorkloadUser, TargetKind, WorkloadCompute } from '../../../lib';
import { CheckAnalysis } from '../../../lib/guardrails/analysis';
import { checkFederation } from '../../../lib/guardrails/federation/check';
import type { FederationInput } from '../../../lib/guardrails/federation/workloads';
import type { ResourceSet } from '../../../lib/guardrails/model';
import { normalizeCloudFormation } from '../../../lib/guardrails/normalize/cloudformation';
import { normalizeTerraformJson } from '../../../lib/guardrails/normalize/terraform-json';


/** One check's analysis contexts for the sets, each deploying to `account` when given. */
function ctx(items: readonly { set: ResourceSet; account?: string }[]): FederationInput[] {
  const analysis = new CheckAnalysis();
  return items.map(({ set, account }) => analysis.of(account !== undefined ? { ...set, account } : set));
}

const ACCOUNT = '111122223333';
const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{2,12}$/);
const target = fc.record({ kind: fc.constantFrom(TargetKind.SNOWFLAKE, TargetKind.ENTRA), lifetimeSeconds: fc.constantFrom(undefined, 300, 900) });
const plans = fc.uniqueArray(
  fc.record({ name, compute: fc.constantFrom(WorkloadCompute.LAMBDA, WorkloadCompute.ECS_TASK), path: fc.constantFrom('/', '/workloads/', '/apps/etl/'), targets: fc.array(target, { minLength: 1, maxLength: 2 }) }),
  { minLength: 1, maxLength: 2, selector: (w) => w.name },
).map((workloads) => new FederationPlan({
  account: ACCOUNT,
  issuerUrl: ISSUER,
  workloads: workloads.map((w, i) => ({
    name: w.name,
    roleName: `${w.name}-role`,
    compute: w.compute,
    rolePath: w.path,
    targets: w.targets.map((t, j) => ({
      name: `t${j}`,
      kind: t.kind,
      ...(t.lifetimeSeconds !== undefined ? { lifetimeSeconds: t.lifetimeSeconds } : {}),
      ...(t.kind === TargetKind.SNOWFLAKE ? { snowflakeUser: `SVC_${i}_${j}` } : { entraApplication: `app-${i}-${j}` }),
    })),
  })),
}));

function synthesize(plan: FederationPlan) {
  const cdk = new CdkApp();
  const stack = new Stack(cdk, 'Workloads', { env: { account: plan.account, region: 'eu-west-1' } });
  const federation = new OutboundWebIdentityFederation(stack, 'OutboundFederation', { expectedIssuerUrl: plan.issuerUrl });
  for (const w of plan.workloads) FederatedWorkloadRole.fromPlan(stack, `Role-${w.name}`, plan, w.name, { federation });
  const template = cdk.synth().getStackByName('Workloads').template;

  const tfApp = Testing.app();
  const tfStack = new TerraformStack(tfApp as unknown as TerraformApp, 'trusts');
  SnowflakeWorkloadUser.enablePreviewFeatures(new SnowflakeProvider(tfStack, 'snowflake', { organizationName: 'ACME', accountName: 'ORDERS', user: 'DEPLOY', authenticator: 'WORKLOAD_IDENTITY' }));
  for (const w of plan.workloads) {
    for (const t of w.targets) {
      if (t.kind === TargetKind.SNOWFLAKE) SnowflakeWorkloadUser.fromPlan(tfStack, `User-${w.name}-${t.name}`, plan, w.name, t.name, { policyDatabase: 'SECURITY', policySchema: 'POLICIES' });
    }
  }
  for (const app of new Set(plan.targetsOfKind(TargetKind.ENTRA).map((t) => t.entraApplication!))) EntraWorkloadApplication.fromPlan(tfStack, `App-${app}`, plan, app);
  const terraform = JSON.parse(Testing.synth(tfStack));
  return [
    { set: normalizeCloudFormation(template, 'Workloads.template.json'), account: plan.account },
    { set: normalizeTerraformJson(terraform, 'cdk.tf.json') },
  ];
}

test('every pair of a plan synthesized on both engines is reachable, with no KL-FED finding', () => {
  fc.assert(fc.property(plans, (plan) => {
    const graph = checkFederation(ctx(synthesize(plan)));
    expect(graph.hits).toEqual([]);
    const expected = plan.workloads.flatMap((w) => w.targets.map((t) => `${w.roleArn} ${t.kind}`)).sort();
    expect(graph.pairs.map((p) => `${p.workload} ${p.targetKind}`).sort()).toEqual(expected);
    expect(graph.pairs.filter((p) => !p.reachable)).toEqual([]);
  }), { numRuns: 6 });
});

import { FederationPlan } from '../../lib/core/plan';
import { TargetKind } from '../../lib/core/target';
import { EntraWorkloadApplication } from '../../lib/terraform/entra/workload-application';
import { SnowflakeWorkloadUser } from '../../lib/terraform/snowflake/workload-user';
import { newStack, only, synth } from './support/harness';
import { lexSql } from './support/sql';

/**
 * One plan, two apps (DESIGN §2): the role ARN the CDK app gives the workload role is `plan.workload(...).roleArn`;
 * the CDKTF side must trust exactly that string (Entra subject, Snowflake ARN) and exactly the plan's issuer.
 */
describe('the Terraform side reads the same FederationPlan as the CDK side', () => {
  const plan = FederationPlan.fromJson(
    JSON.stringify({
      account: '444455556666',
      issuerUrl: 'https://9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f.tokens.sts.global.api.aws',
      partition: 'aws',
      workloads: [
        {
          name: 'ingest',
          roleName: 'Ingest.Role@prod',
          rolePath: '/data/pipelines/',
          targets: [
            { name: 'sf', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'INGEST_SVC' },
            { name: 'entra', kind: TargetKind.ENTRA, entraApplication: 'ingest-app' },
          ],
        },
      ],
    }),
  );
  // The string the CDK app's role ARN (and so every token's `sub`) is computed from.
  const cdkRoleArn = plan.workload('ingest').roleArn;

  test('the ARN is the full role ARN with path, in the plan partition and account', () => {
    expect(cdkRoleArn).toBe('arn:aws:iam::444455556666:role/data/pipelines/Ingest.Role@prod');
  });

  test('Entra credential subject and Snowflake SQL ARN equal the CDK role ARN; both trust the plan issuer', () => {
    const { stack } = newStack();
    SnowflakeWorkloadUser.fromPlan(stack, 'Sf', plan, 'ingest', 'sf', { policyDatabase: 'SEC', policySchema: 'POL' });
    EntraWorkloadApplication.fromPlan(stack, 'Entra', plan, 'ingest-app');
    const json = synth(stack);
    const fic = only(json, 'azuread_application_federated_identity_credential');
    const sql = lexSql(only(json, 'snowflake_execute').execute.replace(/^ALTER USER \$\{[^}]+\}/, 'ALTER USER U'));
    expect(fic.subject).toBe(cdkRoleArn);
    expect(sql.literals[0]).toBe(cdkRoleArn);
    expect(fic.issuer).toBe(plan.issuerUrl);
    expect(sql.literals[1]).toBe(plan.issuerUrl);
    expect(only(json, 'snowflake_authentication_policy').workload_identity_policy.allowed_aws_accounts).toEqual([plan.account]);
  });
});

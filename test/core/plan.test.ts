import { KeylessValidationError } from '../../lib/core/errors';
import { FederationPlan, FederationPlanProps, WorkloadCompute } from '../../lib/core/plan';
import { EntraCloud, TargetKind } from '../../lib/core/target';
import { SigningAlgorithm } from '../../lib/core/token';

const ISSUER = 'https://a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d.tokens.sts.global.api.aws';

function props(overrides: Partial<FederationPlanProps> = {}): FederationPlanProps {
  return {
    account: '111122223333',
    issuerUrl: ISSUER,
    workloads: [
      {
        name: 'etl',
        roleName: 'etl-job',
        rolePath: '/workloads/',
        compute: WorkloadCompute.LAMBDA,
        targets: [
          { name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_SVC' },
          { name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'etl-graph-reader' },
        ],
      },
      {
        name: 'assistant',
        roleName: 'assistant',
        compute: WorkloadCompute.ECS_TASK,
        targets: [
          { name: 'openai', kind: TargetKind.OPENAI, lifetimeSeconds: 600 },
          { name: 'anthropic', kind: TargetKind.ANTHROPIC },
          { name: 'partner', kind: TargetKind.OIDC, audience: 'https://partner.example.com', signingAlgorithm: SigningAlgorithm.ES384 },
        ],
      },
    ],
    ...overrides,
  };
}

function planError(p: unknown): KeylessValidationError {
  try {
    new FederationPlan(p as FederationPlanProps);
  } catch (e) {
    expect(e).toBeInstanceOf(KeylessValidationError);
    return e as KeylessValidationError;
  }
  throw new Error('expected a KeylessValidationError');
}

describe('FederationPlan', () => {
  const plan = new FederationPlan(props());

  test('computes each role ARN, path included: the sub every target trusts', () => {
    expect(plan.workload('etl').roleArn).toBe('arn:aws:iam::111122223333:role/workloads/etl-job');
    expect(plan.workload('assistant').roleArn).toBe('arn:aws:iam::111122223333:role/assistant');
    expect(plan.workload('assistant').rolePath).toBe('/');
    expect(plan.target('etl', 'graph').subject).toBe(plan.workload('etl').roleArn);
  });

  test('resolves the token each target needs', () => {
    expect(plan.target('etl', 'warehouse')).toEqual({
      workloadName: 'etl',
      name: 'warehouse',
      kind: TargetKind.SNOWFLAKE,
      issuerUrl: ISSUER,
      subject: 'arn:aws:iam::111122223333:role/workloads/etl-job',
      account: '111122223333',
      tokenRequest: { audience: 'snowflakecomputing.com', signingAlgorithm: SigningAlgorithm.ES384, durationSeconds: 300 },
      snowflakeUser: 'ETL_SVC',
    });
    expect(plan.target('etl', 'graph').tokenRequest).toEqual({ audience: 'api://AzureADTokenExchange', signingAlgorithm: 'RS256', durationSeconds: 300 });
    expect(plan.target('etl', 'graph').entraCloud).toBe(EntraCloud.PUBLIC);
    expect(plan.target('assistant', 'openai').tokenRequest).toEqual({ audience: 'https://api.openai.com/v1', signingAlgorithm: 'RS256', durationSeconds: 600 });
    expect(plan.target('assistant', 'anthropic').tokenRequest.audience).toBe('https://api.anthropic.com');
    expect(plan.target('assistant', 'partner').tokenRequest).toEqual({ audience: 'https://partner.example.com', signingAlgorithm: 'ES384', durationSeconds: 300 });
  });

  test('sovereign Entra clouds get their own audience', () => {
    const p = props();
    const gov = new FederationPlan({
      ...p,
      workloads: [{ name: 'w', roleName: 'w', targets: [{ name: 'g', kind: TargetKind.ENTRA, entraApplication: 'app', entraCloud: EntraCloud.US_GOVERNMENT }] }],
    });
    expect(gov.target('w', 'g').tokenRequest.audience).toBe('api://AzureADTokenExchangeUSGov');
  });

  test('targetsOfKind and the JSON round trip', () => {
    expect(plan.targetsOfKind(TargetKind.ENTRA).map((t) => t.workloadName)).toEqual(['etl']);
    const again = FederationPlan.fromJson(JSON.stringify(props()));
    expect(again.workloads).toEqual(plan.workloads);
  });

  test('partition shapes the ARN', () => {
    const cn = new FederationPlan({ ...props(), partition: 'aws-cn' });
    expect(cn.workload('etl').roleArn).toBe('arn:aws-cn:iam::111122223333:role/workloads/etl-job');
  });

  test('unknown workload or target names are explained', () => {
    expect(() => plan.workload('nope')).toThrow('FederationPlan: invalid workload "nope": the plan has workloads ["etl","assistant"] [rule plan.workload-exists]');
    expect(() => plan.target('etl', 'nope')).toThrow(/rule plan.target-exists/);
  });

  const w0 = props().workloads[0];
  const t0 = w0.targets[0];
  test.each<[string, unknown, string, string]>([
    ['bad account', { ...props(), account: '123' }, 'account', 'account.format'],
    ['http issuer', { ...props(), issuerUrl: 'http://example.com' }, 'issuerUrl', 'issuer.https'],
    ['issuer with trailing slash', { ...props(), issuerUrl: `${ISSUER}/` }, 'issuerUrl', 'issuer.trailing-slash'],
    ['no targets', { ...props(), workloads: [{ ...w0, targets: [] }] }, 'workloads[0].targets', 'plan.targets'],
    ['bad role name', { ...props(), workloads: [{ ...w0, roleName: 'etl job' }] }, 'workloads[0].roleName', 'role.name'],
    ['bad role path', { ...props(), workloads: [{ ...w0, rolePath: 'workloads' }] }, 'workloads[0].rolePath', 'role.path'],
    ['duplicate workload', { ...props(), workloads: [w0, { ...w0, roleName: 'other' }] }, 'workloads[1].name', 'plan.unique-workload'],
    ['duplicate role', { ...props(), workloads: [w0, { ...w0, name: 'other' }] }, 'workloads[1].roleName', 'plan.unique-role'],
    ['duplicate target', { ...props(), workloads: [{ ...w0, targets: [t0, t0] }] }, 'workloads[0].targets[1].name', 'plan.unique-target'],
    ['lifetime 59', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, lifetimeSeconds: 59 }] }] }, 'workloads[0].targets[0].lifetimeSeconds', 'lifetime.range'],
    ['lifetime 3601', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, lifetimeSeconds: 3601 }] }] }, 'workloads[0].targets[0].lifetimeSeconds', 'lifetime.range'],
    ['Snowflake with RS256', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, signingAlgorithm: 'RS256' }] }] }, 'workloads[0].targets[0].signingAlgorithm', 'target.algorithm'],
    ['unknown algorithm', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, signingAlgorithm: 'HS256' }] }] }, 'workloads[0].targets[0].signingAlgorithm', 'signing-algorithm.known'],
    ['Snowflake audience changed', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, audience: 'x' }] }] }, 'workloads[0].targets[0].audience', 'target.snowflake-audience'],
    ['Entra audience changed', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'entra', entraApplication: 'a', audience: 'api://other' }] }] }, 'workloads[0].targets[0].audience', 'target.entra-audience'],
    ['OIDC without audience', { ...props(), workloads: [{ ...w0, targets: [{ name: 'o', kind: 'oidc' }] }] }, 'workloads[0].targets[0].audience', 'target.audience-required'],
    ['Snowflake without user', { ...props(), workloads: [{ ...w0, targets: [{ name: 's', kind: 'snowflake' }] }] }, 'workloads[0].targets[0].snowflakeUser', 'target.snowflake-user'],
    ['Snowflake user with a quote', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, snowflakeUser: 'A"B' }] }] }, 'workloads[0].targets[0].snowflakeUser', 'snowflake.identifier'],
    ['Entra without application', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'entra' }] }] }, 'workloads[0].targets[0].entraApplication', 'target.entra-application'],
    ['unknown kind', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'azure-storage' }] }] }, 'workloads[0].targets[0].kind', 'target.kind'],
    ['GCP without audience', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'gcp' }] }] }, 'workloads[0].targets[0].audience', 'target.audience-required'],
    ['GCP with ES384 (Google verifies RS256 or ES256)', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'gcp', audience: 'gcp', signingAlgorithm: 'ES384' }] }] }, 'workloads[0].targets[0].signingAlgorithm', 'target.algorithm'],
    ['GCP with a role ARN over 127 bytes', { ...props(), workloads: [{ ...w0, rolePath: `/${'p'.repeat(100)}/`, targets: [{ name: 'g', kind: 'gcp', audience: 'gcp' }] }] }, 'workloads[0].targets[0]', 'target.gcp-subject-length'],
    ['GCP service account that is not an email', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'gcp', audience: 'gcp', gcpServiceAccount: 'etl' }] }] }, 'workloads[0].targets[0].gcpServiceAccount', 'target.gcp-service-account'],
    ['a GCP field on an Entra target', { ...props(), workloads: [{ ...w0, targets: [{ name: 'g', kind: 'entra', entraApplication: 'a', gcpServiceAccount: 'etl-loader@data-platform.iam.gserviceaccount.com' }] }] }, 'workloads[0].targets[0].gcpServiceAccount', 'target.field-kind'],
    ['Kubernetes without audience', { ...props(), workloads: [{ ...w0, targets: [{ name: 'k', kind: 'kubernetes', kubernetesClusterRole: 'view' }] }] }, 'workloads[0].targets[0].audience', 'target.audience-required'],
    ['Kubernetes without a ClusterRole', { ...props(), workloads: [{ ...w0, targets: [{ name: 'k', kind: 'kubernetes', audience: 'k8s' }] }] }, 'workloads[0].targets[0].kubernetesClusterRole', 'target.kubernetes-role'],
    ['Kubernetes ClusterRole with capitals', { ...props(), workloads: [{ ...w0, targets: [{ name: 'k', kind: 'kubernetes', audience: 'k8s', kubernetesClusterRole: 'View' }] }] }, 'workloads[0].targets[0].kubernetesClusterRole', 'target.kubernetes-role'],
    ['Kubernetes namespace with an underscore', { ...props(), workloads: [{ ...w0, targets: [{ name: 'k', kind: 'kubernetes', audience: 'k8s', kubernetesClusterRole: 'view', kubernetesNamespace: 'etl_jobs' }] }] }, 'workloads[0].targets[0].kubernetesNamespace', 'target.kubernetes-namespace'],
    ['a Kubernetes field on an OIDC target', { ...props(), workloads: [{ ...w0, targets: [{ name: 'o', kind: 'oidc', audience: 'x', kubernetesNamespace: 'etl' }] }] }, 'workloads[0].targets[0].kubernetesNamespace', 'target.field-kind'],
    ['target name with a space', { ...props(), workloads: [{ ...w0, targets: [{ ...t0, name: 'a b' }] }] }, 'workloads[0].targets[0].name', 'name.format'],
  ])('%s is refused at its plan location', (_what, input, property, rule) => {
    const e = planError(input);
    expect(e.path).toBe('FederationPlan');
    expect(e.property).toBe(property);
    expect(e.rule).toBe(rule);
    expect(e.message).toContain(`FederationPlan: invalid ${property} `);
  });

  test('GCP and Kubernetes targets carry their fields and RS256 by default', () => {
    const plan = new FederationPlan({
      account: '111122223333',
      issuerUrl: ISSUER,
      workloads: [{
        name: 'etl', roleName: 'etl-job', targets: [
          { name: 'bq', kind: TargetKind.GCP, audience: 'https://gcp.example.com', gcpServiceAccount: 'etl-loader@data-platform.iam.gserviceaccount.com' },
          { name: 'k8s', kind: TargetKind.KUBERNETES, audience: 'https://k8s.example.com', kubernetesClusterRole: 'edit', kubernetesNamespace: 'etl' },
        ],
      }],
    });
    expect(plan.target('etl', 'bq')).toEqual({
      workloadName: 'etl', name: 'bq', kind: 'gcp', issuerUrl: ISSUER, subject: 'arn:aws:iam::111122223333:role/etl-job', account: '111122223333',
      tokenRequest: { audience: 'https://gcp.example.com', signingAlgorithm: 'RS256', durationSeconds: 300 },
      gcpServiceAccount: 'etl-loader@data-platform.iam.gserviceaccount.com',
    });
    expect(plan.target('etl', 'k8s')).toMatchObject({ kind: 'kubernetes', kubernetesClusterRole: 'edit', kubernetesNamespace: 'etl', tokenRequest: { signingAlgorithm: 'RS256' } });
    expect(FederationPlan.fromJson(JSON.stringify({
      account: '111122223333', issuerUrl: ISSUER,
      workloads: [{ name: 'etl', roleName: 'etl-job', targets: [{ name: 'k8s', kind: 'kubernetes', audience: 'k8s', kubernetesClusterRole: 'view' }] }],
    })).target('etl', 'k8s').kubernetesClusterRole).toBe('view');
  });

  test('malformed JSON is a named error, not a SyntaxError', () => {
    expect(() => FederationPlan.fromJson('{')).toThrow(/FederationPlan: invalid json .*not valid JSON/);
  });

  test('JSON nested 100,000 levels deep is a named error, not a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => FederationPlan.fromJson(`{"account": ${deep}}`)).toThrow(/FederationPlan: invalid json .*nested deeper than 512 levels \[rule plan\.json\]/);
  });

  function jsonError(mutate: (plan: any) => void): KeylessValidationError {
    const plan = JSON.parse(JSON.stringify(props()));
    mutate(plan);
    try {
      FederationPlan.fromJson(JSON.stringify(plan));
    } catch (e) {
      if (e instanceof KeylessValidationError) return e;
      throw e;
    }
    throw new Error('expected a KeylessValidationError');
  }

  test.each([
    ['a misspelt target field', (p: any) => { p.workloads[0].targets[0].lifetimeSecond = 900; }, 'workloads[0].targets[0].lifetimeSecond', '900'],
    ['a misspelt workload field', (p: any) => { p.workloads[0].role_name = 'x'; }, 'workloads[0].role_name', '"x"'],
    ['an unknown top-level field', (p: any) => { p.region = 'eu-west-1'; }, 'region', '"eu-west-1"'],
  ])('plan.json: %s is refused (plan.unknown-field), not silently ignored', (_what, mutate, property, value) => {
    const e = jsonError(mutate);
    expect([e.property, e.value, e.rule]).toEqual([property, value, 'plan.unknown-field']);
    expect(e.message).toContain(`FederationPlan: invalid ${property} ${value}: unknown field;`);
  });

  test('plan.json: keys starting with $ or // are comments', () => {
    const plan: any = { $schema: './plan.schema.json', '//': 'owned by the platform team', ...props() };
    plan.workloads[0]['// why'] = 'the nightly ETL';
    expect(FederationPlan.fromJson(JSON.stringify(plan)).account).toBe(props().account);
  });

  test('fromJson of something other than text is a named error, not a TypeError', () => {
    expect(() => FederationPlan.fromJson(props() as any)).toThrow(/FederationPlan: invalid json .*fromJson reads JSON text.*\[rule plan.json\]/);
  });
});

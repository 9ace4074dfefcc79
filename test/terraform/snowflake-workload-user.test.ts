import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { AnnotationMetadataEntryType, TerraformVariable, Testing } from 'cdktf';
import { SnowflakeWorkloadIdentityType } from '../../lib/core/snowflake-sql';
import { SnowflakeWorkloadIdentity } from '../../lib/terraform/snowflake/workload-identity';
import { SnowflakeAwsAuthMode, SnowflakeWorkloadUser } from '../../lib/terraform/snowflake/workload-user';
import { ACCOUNT, expectKeylessError, expectNoResources, ISSUER, newStack, only, resourcesOf, samplePlan, synth } from './support/harness';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/etl-role`;
const POLICY = { policyDatabase: 'SECURITY', policySchema: 'POLICIES' };
const SNOWFLAKE_TYPES = ['snowflake_authentication_policy', 'snowflake_execute', 'snowflake_grant_account_role', 'snowflake_service_user', 'snowflake_user_authentication_policy_attachment'];

describe('SnowflakeWorkloadUser.fromPlan', () => {
  const build = (extra: object = {}) => {
    const { stack } = newStack();
    const user = SnowflakeWorkloadUser.fromPlan(stack, 'EtlUser', samplePlan(), 'etl', 'warehouse', { ...POLICY, defaultRole: 'ETL_ROLE', defaultWarehouse: 'ETL_WH', ...extra });
    return { stack, user, json: synth(stack) };
  };

  test('creates exactly a service user, its workload identity, a policy, its attachment and the role grant', () => {
    const { json } = build();
    expect(Object.keys(json.resource).sort()).toEqual(SNOWFLAKE_TYPES);
    expect(json.resource.snowflake_legacy_service_user).toBeUndefined();
    expect(json.resource.snowflake_user).toBeUndefined();
  });

  test('the service user carries no credential of any kind', () => {
    const { json } = build();
    expect(only(json, 'snowflake_service_user')).toEqual({
      name: 'ETL_USER',
      comment: 'Managed by cdk-keyless: logs in with workload identity only',
      default_role: 'ETL_ROLE',
      default_warehouse: 'ETL_WH',
    });
    expect(JSON.stringify(json)).not.toMatch(/password|rsa_public_key|programmatic_access_token/i);
  });

  test('snowflake_execute sets the role ARN and the plan issuer on the fully qualified name; revert unsets it', () => {
    const { json } = build();
    const [userId] = resourcesOf(json, 'snowflake_service_user')[0];
    const fqn = `\${snowflake_service_user.${userId}.fully_qualified_name}`;
    expect(only(json, 'snowflake_execute')).toEqual({
      execute: `ALTER USER ${fqn} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE_ARN}' ISSUER = '${ISSUER}')`,
      revert: `ALTER USER IF EXISTS ${fqn} UNSET WORKLOAD_IDENTITY`,
      lifecycle: { replace_triggered_by: [`snowflake_service_user.${userId}`] },
    });
  });

  test('signed GetCallerIdentity mode leaves ISSUER out', () => {
    const { json } = build({ awsAuthMode: SnowflakeAwsAuthMode.SIGNED_CALLER_IDENTITY });
    const [userId] = resourcesOf(json, 'snowflake_service_user')[0];
    expect(only(json, 'snowflake_execute').execute).toBe(`ALTER USER \${snowflake_service_user.${userId}.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE_ARN}')`);
  });

  test('the policy allows only WORKLOAD_IDENTITY, only AWS, only the plan account', () => {
    const { json } = build();
    expect(only(json, 'snowflake_authentication_policy')).toEqual({
      database: 'SECURITY',
      schema: 'POLICIES',
      name: 'ETL_USER_AUTH_POLICY',
      authentication_methods: ['WORKLOAD_IDENTITY'],
      workload_identity_policy: { allowed_providers: ['AWS'], allowed_aws_accounts: [ACCOUNT] },
      comment: 'Managed by cdk-keyless: workload identity only',
    });
  });

  test('attachment and grant name the user and are replaced with it', () => {
    const { json } = build();
    const [userId] = resourcesOf(json, 'snowflake_service_user')[0];
    const [policyId] = resourcesOf(json, 'snowflake_authentication_policy')[0];
    const replace = { replace_triggered_by: [`snowflake_service_user.${userId}`] };
    expect(only(json, 'snowflake_user_authentication_policy_attachment')).toEqual({
      user_name: `\${snowflake_service_user.${userId}.name}`,
      authentication_policy_name: `\${snowflake_authentication_policy.${policyId}.fully_qualified_name}`,
      lifecycle: replace,
    });
    expect(only(json, 'snowflake_grant_account_role')).toEqual({ role_name: 'ETL_ROLE', user_name: `\${snowflake_service_user.${userId}.name}`, lifecycle: replace });
  });

  test('nothing is create-before-destroy', () => {
    const { json } = build();
    expect(JSON.stringify(json)).not.toContain('create_before_destroy');
  });

  test('grantDefaultRole false, no default role, custom policy name', () => {
    const { stack } = newStack();
    SnowflakeWorkloadUser.fromPlan(stack, 'A', samplePlan(), 'etl', 'warehouse', { ...POLICY, defaultRole: 'R', grantDefaultRole: false, policyName: 'ETL_ONLY' });
    const json = synth(stack);
    expect(json.resource.snowflake_grant_account_role).toBeUndefined();
    expect(only(json, 'snowflake_authentication_policy').name).toBe('ETL_ONLY');
    const { stack: s2 } = newStack();
    SnowflakeWorkloadUser.fromPlan(s2, 'A', samplePlan(), 'etl', 'warehouse', POLICY);
    const j2 = synth(s2);
    expect(j2.resource.snowflake_grant_account_role).toBeUndefined();
    expect(only(j2, 'snowflake_service_user')).toEqual({ name: 'ETL_USER', comment: 'Managed by cdk-keyless: logs in with workload identity only' });
  });

  test('exposes the statements and names', () => {
    const { user } = build();
    expect(user.userName).toBe('ETL_USER');
    expect(user.identityType).toBe(SnowflakeWorkloadIdentityType.AWS);
    expect(user.setStatement).toMatch(new RegExp(`^ALTER USER \\$\\{TfToken\\[TOKEN\\.\\d+\\]\\} SET WORKLOAD_IDENTITY = \\(TYPE = AWS ARN = '${ROLE_ARN}' ISSUER = '${ISSUER}'\\)$`));
  });

  describe('plan errors name the construct path', () => {
    test.each([
      ['nope', 'warehouse', 'plan.workload-exists', 'workloadName'],
      ['etl', 'nope', 'plan.target-exists', 'targetName'],
      ['etl', 'graph', 'snowflake.target-kind', 'targetName'],
    ])('%s/%s', (workload, target, rule, property) => {
      const { stack } = newStack();
      expectKeylessError(() => SnowflakeWorkloadUser.fromPlan(stack, 'EtlUser', samplePlan(), workload, target, POLICY), { rule, property, path: 'Keyless/EtlUser' });
      expectNoResources(stack);
    });

    test('missing options or policy location', () => {
      const { stack } = newStack();
      expectKeylessError(() => SnowflakeWorkloadUser.fromPlan(stack, 'U', samplePlan(), 'etl', 'warehouse', undefined as any), { rule: 'snowflake.policy-location', property: 'options', path: 'Keyless/U' });
      expectKeylessError(() => SnowflakeWorkloadUser.fromPlan(stack, 'U', samplePlan(), 'etl', 'warehouse', { policyDatabase: 'DB' } as any), { rule: 'snowflake.policy-location', property: 'policySchema', path: 'Keyless/U' });
      expectKeylessError(() => SnowflakeWorkloadUser.fromPlan(stack, 'U', samplePlan(), 'etl', 'warehouse', { ...POLICY, awsAuthMode: 'x' as any }), { rule: 'snowflake.aws-auth-mode', property: 'awsAuthMode', path: 'Keyless/U' });
      expectNoResources(stack);
    });

    test('an IAM-legal role path that cannot be written into SQL', () => {
      const plan = new (samplePlan().constructor as any)({
        account: ACCOUNT,
        issuerUrl: ISSUER,
        workloads: [{ name: 'etl', roleName: 'etl', rolePath: "/a'b/", targets: [{ name: 'sf', kind: 'snowflake', snowflakeUser: 'ETL' }] }],
      });
      const { stack } = newStack();
      expectKeylessError(() => SnowflakeWorkloadUser.fromPlan(stack, 'U', plan, 'etl', 'sf', POLICY), { rule: 'snowflake.sql-literal', property: 'workloadIdentity.roleArn', path: 'Keyless/U' });
      expectNoResources(stack);
    });
  });
});

describe('SnowflakeWorkloadUser from props', () => {
  const props = (identity: SnowflakeWorkloadIdentity, extra: object = {}) => ({ userName: 'SVC', workloadIdentity: identity, ...POLICY, ...extra });

  test('OIDC: the policy allows exactly the issuer', () => {
    const { stack } = newStack();
    new SnowflakeWorkloadUser(stack, 'Gh', props(SnowflakeWorkloadIdentity.oidc({ issuerUrl: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/etl:environment:prod', audiences: ['snowflakecomputing.com'] })));
    const json = synth(stack);
    const [userId] = resourcesOf(json, 'snowflake_service_user')[0];
    expect(only(json, 'snowflake_execute').execute).toBe(
      `ALTER USER \${snowflake_service_user.${userId}.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://token.actions.githubusercontent.com' SUBJECT = 'repo:acme/etl:environment:prod' OIDC_AUDIENCE_LIST = ('snowflakecomputing.com'))`,
    );
    expect(only(json, 'snowflake_authentication_policy').workload_identity_policy).toEqual({ allowed_providers: ['OIDC'], allowed_oidc_issuers: ['https://token.actions.githubusercontent.com'] });
  });

  test('Azure and GCP', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const principal = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    const { stack } = newStack();
    new SnowflakeWorkloadUser(stack, 'Az', props(SnowflakeWorkloadIdentity.azure({ tenantId: tenant, principalId: principal }), { userName: 'AZ' }));
    new SnowflakeWorkloadUser(stack, 'Gcp', props(SnowflakeWorkloadIdentity.gcp({ subject: '110123456789012345678' }), { userName: 'GCP' }));
    const json = synth(stack);
    const executes = resourcesOf(json, 'snowflake_execute').map(([, r]) => r.execute.replace(/\$\{[^}]+\}/, 'U'));
    expect(executes.sort()).toEqual([
      `ALTER USER U SET WORKLOAD_IDENTITY = (TYPE = AZURE ISSUER = 'https://login.microsoftonline.com/${tenant}/v2.0' SUBJECT = '${principal}')`,
      "ALTER USER U SET WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = '110123456789012345678')",
    ]);
    const policies = resourcesOf(json, 'snowflake_authentication_policy').map(([, r]) => r.workload_identity_policy);
    expect(policies).toContainEqual({ allowed_providers: ['AZURE'], allowed_azure_issuers: [`https://login.microsoftonline.com/${tenant}/v2.0`] });
    expect(policies).toContainEqual({ allowed_providers: ['GCP'] });
  });

  describe('invalid input: KeylessValidationError with path and property, nothing emitted', () => {
    const cases: [string, () => any, string, string][] = [
      ['bad ARN', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: 'arn:aws:iam::111122223333:user/etl' })), 'role-arn.format', 'workloadIdentity.roleArn'],
      ['session ARN', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: 'arn:aws:sts::111122223333:assumed-role/etl/s' })), 'role-arn.format', 'workloadIdentity.roleArn'],
      ['issuer with trailing slash', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN, issuerUrl: `${ISSUER}/` })), 'issuer.trailing-slash', 'workloadIdentity.issuerUrl'],
      ['quote in role path', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: `arn:aws:iam::${ACCOUNT}:role/a'b/etl` })), 'snowflake.sql-literal', 'workloadIdentity.roleArn'],
      ['backslash in role path', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: `arn:aws:iam::${ACCOUNT}:role/a\\b/etl` })), 'snowflake.sql-literal', 'workloadIdentity.roleArn'],
      ['semicolon in role path', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: `arn:aws:iam::${ACCOUNT}:role/a;b/etl` })), 'snowflake.sql-literal', 'workloadIdentity.roleArn'],
      ['newline in role ARN', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: `${ROLE_ARN}\n` })), 'role-arn.format', 'workloadIdentity.roleArn'],
      ['semicolon in issuer', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN, issuerUrl: 'https://x.example.com/a;b' })), 'snowflake.sql-literal', 'workloadIdentity.issuerUrl'],
      ['quote in OIDC subject', () => props(SnowflakeWorkloadIdentity.oidc({ issuerUrl: ISSUER, subject: "x' RSA_PUBLIC_KEY = 'k" })), 'snowflake.sql-literal', 'workloadIdentity.subject'],
      ['newline in OIDC audience', () => props(SnowflakeWorkloadIdentity.oidc({ issuerUrl: ISSUER, subject: 's', audiences: ['a\nb'] })), 'snowflake.sql-literal', 'workloadIdentity.audiences[0]'],
      ['Azure tenant', () => props(SnowflakeWorkloadIdentity.azure({ tenantId: "x'", principalId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e' })), 'snowflake.azure-tenant', 'workloadIdentity.tenantId'],
      ['Azure principal', () => props(SnowflakeWorkloadIdentity.azure({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', principalId: 'p;' })), 'snowflake.azure-subject', 'workloadIdentity.principalId'],
      ['Azure authority', () => props(SnowflakeWorkloadIdentity.azure({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', principalId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', authorityHost: 'evil.example' })), 'snowflake.azure-authority', 'workloadIdentity.authorityHost'],
      ['GCP subject', () => props(SnowflakeWorkloadIdentity.gcp({ subject: '1;' })), 'snowflake.gcp-subject', 'workloadIdentity.subject'],
      ['user name with a quote', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { userName: 'A"B' }), 'snowflake.identifier', 'userName'],
      ['user name with a semicolon', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { userName: 'A;DROP' }), 'snowflake.identifier', 'userName'],
      ['policy database with a dot', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { policyDatabase: 'A.B' }), 'snowflake.identifier', 'policyDatabase'],
      ['policy schema with a newline', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { policySchema: 'A\n' }), 'snowflake.identifier', 'policySchema'],
      ['policy name with a space', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { policyName: 'A B' }), 'snowflake.identifier', 'policyName'],
      ['default role with a backslash', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { defaultRole: 'R\\' }), 'snowflake.identifier', 'defaultRole'],
      ['default warehouse with a quote', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { defaultWarehouse: "W'" }), 'snowflake.identifier', 'defaultWarehouse'],
      ['default policy name too long', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { userName: 'U'.repeat(250) }), 'snowflake.identifier', 'policyName'],
      ['grant without role', () => props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { grantDefaultRole: true }), 'snowflake.default-role', 'grantDefaultRole'],
      ['not an identity', () => props({ type: 'AWS' } as any), 'snowflake.identity-type', 'workloadIdentity'],
      ['missing policy database', () => ({ userName: 'U', workloadIdentity: SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), policySchema: 'S' }), 'snowflake.policy-location', 'policyDatabase'],
    ];
    test.each(cases)('%s', (_name, makeProps, rule, property) => {
      const { stack } = newStack();
      expectKeylessError(() => new SnowflakeWorkloadUser(stack, 'Svc', makeProps()), { rule, property, path: 'Keyless/Svc' });
      expectNoResources(stack);
      expect(stack.node.tryFindChild('Svc')).toBeUndefined();
    });
  });

  test('a token-shaped name this app never made (another CDK app\'s token, forged text) is a validation error, not cdktf\'s', () => {
    const { stack } = newStack();
    const forged = 'POLICIES_${TfToken[TOKEN.987654321]}';
    expectKeylessError(() => new SnowflakeWorkloadUser(stack, 'Svc', props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { policySchema: forged })), {
      rule: 'keyless.token',
      property: 'policySchema',
      path: 'Keyless/Svc',
    });
    expectNoResources(stack);
  });

  test('a token in a SQL value is refused; a token in a name is passed through with a warning', () => {
    const { stack } = newStack();
    const arn = new TerraformVariable(stack, 'arn', { type: 'string' });
    expectKeylessError(() => new SnowflakeWorkloadUser(stack, 'Svc', props(SnowflakeWorkloadIdentity.aws({ roleArn: arn.stringValue }))), {
      rule: 'keyless.token',
      property: 'workloadIdentity.roleArn',
      path: 'Keyless/Svc',
    });
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    const user = new SnowflakeWorkloadUser(stack, 'Svc', props(SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), { userName: name.stringValue, policyName: 'P' }));
    const warnings = user.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
    expect(warnings).toEqual(['cdk-keyless could not check userName at synth time because they are tokens; resolve them to literals to have them validated']);
    expect(only(synth(stack), 'snowflake_service_user').name).toBe('${var.name}');
  });
});

describe('provider preview features', () => {
  const add = (stack: any, provider?: SnowflakeProvider) =>
    new SnowflakeWorkloadUser(stack, 'Svc', { userName: 'SVC', workloadIdentity: SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), ...POLICY, ...(provider ? { provider } : {}) });

  test('synth fails when the provider does not enable them', () => {
    const { stack } = newStack({ previewFeatures: false });
    add(stack);
    expect(() => Testing.synth(stack, true)).toThrow(
      'Keyless/Svc: invalid provider(Keyless/snowflake).previewFeaturesEnabled []: the snowflake provider must enable ["snowflake_authentication_policy_resource","snowflake_user_authentication_policy_attachment_resource"]',
    );
    expect(() => Testing.synth(stack, true)).toThrow('[rule snowflake.preview-features]');
  });

  test('one check per stack reports every user of the stack once, under its own path', () => {
    const { stack } = newStack({ previewFeatures: false });
    const other = new SnowflakeProvider(stack, 'other', { alias: 'other', previewFeaturesEnabled: ['snowflake_authentication_policy_resource'] });
    const good = new SnowflakeProvider(stack, 'good', { alias: 'good', previewFeaturesEnabled: SnowflakeWorkloadUser.REQUIRED_PREVIEW_FEATURES });
    const users = [
      new SnowflakeWorkloadUser(stack, 'A', { userName: 'A', workloadIdentity: SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), ...POLICY }),
      new SnowflakeWorkloadUser(stack, 'B', { userName: 'B', workloadIdentity: SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), ...POLICY, provider: other }),
      new SnowflakeWorkloadUser(stack, 'C', { userName: 'C', workloadIdentity: SnowflakeWorkloadIdentity.aws({ roleArn: ROLE_ARN }), ...POLICY, provider: good }),
    ];
    for (const user of users) {
      expect(user.node.validate()).toEqual([]);
    }
    const errors = stack.node.validate().filter((e) => e.includes('snowflake.preview-features'));
    expect(errors).toEqual([
      'Keyless/A: invalid provider(Keyless/snowflake).previewFeaturesEnabled []: the snowflake provider must enable ["snowflake_authentication_policy_resource","snowflake_user_authentication_policy_attachment_resource"] for the authentication policy and its attachment (call SnowflakeWorkloadUser.enablePreviewFeatures(provider)) [rule snowflake.preview-features]',
      'Keyless/B: invalid provider(Keyless/other).previewFeaturesEnabled ["snowflake_authentication_policy_resource"]: the snowflake provider must enable ["snowflake_user_authentication_policy_attachment_resource"] for the authentication policy and its attachment (call SnowflakeWorkloadUser.enablePreviewFeatures(provider)) [rule snowflake.preview-features]',
    ]);
    // Fixing the providers after the users exist is seen by the next validation.
    SnowflakeWorkloadUser.enablePreviewFeatures(other);
    expect(stack.node.validate().filter((e) => e.includes('snowflake.preview-features')).map((e) => e.split(':')[0])).toEqual(['Keyless/A']);
  });

  test('enablePreviewFeatures keeps existing entries and adds the missing ones once', () => {
    const { stack, snowflake } = newStack({ previewFeatures: false });
    snowflake.previewFeaturesEnabled = ['snowflake_table_resource', 'snowflake_authentication_policy_resource'];
    SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
    SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
    add(stack);
    expect(synth(stack).provider.snowflake[0].preview_features_enabled).toEqual([
      'snowflake_table_resource',
      'snowflake_authentication_policy_resource',
      'snowflake_user_authentication_policy_attachment_resource',
    ]);
  });

  test('an explicit aliased provider is the one checked and used', () => {
    const { stack } = newStack({ previewFeatures: false });
    const other = new SnowflakeProvider(stack, 'other', { alias: 'other', previewFeaturesEnabled: SnowflakeWorkloadUser.REQUIRED_PREVIEW_FEATURES });
    add(stack, other);
    const json = synth(stack);
    for (const type of ['snowflake_service_user', 'snowflake_execute', 'snowflake_authentication_policy', 'snowflake_user_authentication_policy_attachment']) {
      expect(only(json, type).provider).toBe('snowflake.other');
    }
  });
});

import * as path from 'path';
import { evaluate, EvaluateOptions } from '../../lib/guardrails/evaluate';
import { Exemption, FederatedTrust, NormalizedResource, ResourceSet, Rule } from '../../lib/guardrails/model';
import { loadPath } from '../../lib/guardrails/normalize/load';
import { NormalizedSet } from '../../lib/guardrails/normalize/set';

const NOW = new Date('2026-03-15T12:00:00Z');

const ACCESS_KEY: Rule = {
  id: 'KL-AWS-01',
  severity: 'error',
  category: 'credential',
  title: 'IAM access key',
  fix: 'Use a role.',
  appliesTo: ['AWS::IAM::AccessKey', 'aws_iam_access_key'],
  reads: {},
  check: (r) => [{ message: `access key ${r.address}.`, identity: String(r.properties.user ?? r.properties.UserName) }],
};

const PROVIDER_LOGIN: Rule = {
  id: 'KL-SF-07',
  severity: 'warning',
  category: 'credential',
  title: 'provider login',
  fix: 'Use workload identity.',
  appliesTo: ['*'],
  reads: {},
  check: (r) => (r.kind === 'provider' && r.properties.password !== undefined
    ? [{ message: `${r.address} logs in with a password.`, identity: String(r.properties.user) }]
    : []),
};

const MIXED_SEVERITY: Rule = {
  id: 'KL-SF-05',
  severity: 'error',
  category: 'trust',
  title: 'policy',
  fix: 'Attach a policy.',
  appliesTo: ['snowflake_service_user'],
  reads: {},
  check: (r) => [{ message: `${r.address} has no authentication policy.`, severity: 'warning' }],
};

function tfResource(type: string, name: string, properties: Record<string, unknown> = {}, extra: Partial<NormalizedResource> = {}): NormalizedResource {
  return { engine: 'terraform', kind: 'resource', type, address: `${type}.${name}`, properties, file: 'main.tf', ...extra };
}

const SET: NormalizedSet = {
  file: 'infra',
  engine: 'terraform',
  resources: [
    tfResource('aws_iam_user', 'ci'),
    tfResource('aws_iam_access_key', 'ci', { user: 'aws_iam_user.ci' }, { constructPath: 'stack/ci-key', file: 'iam.tf' }),
    tfResource('snowflake_service_user', 'etl'),
    { engine: 'terraform', kind: 'provider', type: 'snowflake', address: 'provider.snowflake', properties: { password: '${var.p}', user: 'snowflake_service_user.etl' }, file: 'providers.tf' },
  ],
  notes: ['main.tf: module.net is a module call and is not expanded'],
};

const exemption = (over: Partial<Exemption> = {}): Exemption => ({
  ruleId: 'KL-AWS-01',
  resource: 'aws_iam_access_key.ci',
  justification: 'The vendor SFTP bridge needs a key until its OIDC release in Q2',
  owner: 'data-platform@example.com',
  expires: '2026-03-31',
  ...over,
});

const noFederation = () => new Map<string, string>();
const run = (sets: readonly ResourceSet[], options: EvaluateOptions = {}) => evaluate(sets, {
  rules: [ACCESS_KEY, PROVIDER_LOGIN, MIXED_SEVERITY], now: NOW, federatedIdentities: noFederation, findTrusts: () => [], ...options,
});

describe('evaluate with stub rules', () => {
  test('rule hits become findings with file, resource, type, engine, construct path and identity', () => {
    const result = run([SET]);
    expect(result.findings).toEqual([
      {
        ruleId: 'KL-AWS-01', severity: 'error', file: 'iam.tf', resource: 'aws_iam_access_key.ci', resourceType: 'aws_iam_access_key',
        engine: 'terraform', constructPath: 'stack/ci-key', identity: 'aws_iam_user.ci', message: 'access key aws_iam_access_key.ci.',
      },
      {
        ruleId: 'KL-SF-05', severity: 'warning', file: 'main.tf', resource: 'snowflake_service_user.etl', resourceType: 'snowflake_service_user',
        engine: 'terraform', message: 'snowflake_service_user.etl has no authentication policy.',
      },
      {
        ruleId: 'KL-SF-07', severity: 'warning', file: 'providers.tf', resource: 'provider.snowflake', resourceType: 'snowflake',
        engine: 'terraform', identity: 'snowflake_service_user.etl', message: 'provider.snowflake logs in with a password.',
      },
    ]);
    expect(result.resourceCount).toBe(4);
    expect(result.notes).toEqual(['main.tf: module.net is a module call and is not expanded']);
  });

  test('the same note from two sets (one module file two roots call) is listed once, in first-seen order', () => {
    const other: NormalizedSet = { ...SET, file: 'other', notes: ['other.tf: data.x is not read', SET.notes![0]] };
    expect(run([SET, other]).notes).toEqual(['main.tf: module.net is a module call and is not expanded', 'other.tf: data.x is not read']);
  });

  test('a rule runs only on the types it applies to, or on everything with "*"', () => {
    const specific = jest.fn(() => []);
    const any = jest.fn(() => []);
    run([SET], { rules: [{ ...ACCESS_KEY, check: specific }, { ...PROVIDER_LOGIN, check: any }] });
    expect(specific.mock.calls.map((c: unknown[]) => (c[0] as NormalizedResource).address)).toEqual(['aws_iam_access_key.ci']);
    expect(any).toHaveBeenCalledTimes(4);
  });

  test('a pattern ending in * applies to every type with that prefix (custom resources are named by their authors)', () => {
    const seen = jest.fn((r: NormalizedResource) => { void r; return []; });
    const cfnSet: ResourceSet = {
      file: 'Stack.template.json',
      engine: 'cloudformation',
      resources: ['Custom::AWS', 'Custom::SnowflakeUser', 'AWS::CloudFormation::CustomResource', 'AWS::IAM::User', 'Customer::Thing'].map((type, i) => ({
        engine: 'cloudformation' as const, kind: 'resource' as const, type, address: `R${i}`, properties: {}, file: 'Stack.template.json',
      })),
    };
    run([cfnSet], { rules: [{ ...ACCESS_KEY, appliesTo: ['Custom::*', 'AWS::CloudFormation::CustomResource'], check: seen }] });
    expect(seen.mock.calls.map((c) => c[0].type)).toEqual(['Custom::AWS', 'Custom::SnowflakeUser', 'AWS::CloudFormation::CustomResource']);
  });

  test('rules see the set and the rule options (defaults merged with overrides)', () => {
    const seen: unknown[] = [];
    const probe: Rule = { ...PROVIDER_LOGIN, id: 'KL-TR-04', check: (_r, ctx) => { seen.push([ctx.set.file, ctx.options.maxTokenLifetimeSeconds]); return []; } };
    run([SET], { rules: [probe] });
    run([SET], { rules: [probe], ruleOptions: { maxTokenLifetimeSeconds: 900 } });
    expect(seen).toEqual([...Array(4).fill(['infra', 3600]), ...Array(4).fill(['infra', 900])]);
  });

  test('an active exemption turns an error into a warning and says so', () => {
    const [finding] = run([SET], { exemptions: [exemption()] }).findings;
    expect(finding).toMatchObject({
      ruleId: 'KL-AWS-01',
      severity: 'warning',
      message: 'access key aws_iam_access_key.ci. Exempted until 2026-03-31 (owner data-platform@example.com): The vendor SFTP bridge needs a key until its OIDC release in Q2',
      exemption: { ...exemption(), status: 'active' },
    });
  });

  test('an exemption by construct path matches too', () => {
    expect(run([SET], { exemptions: [exemption({ resource: 'stack/ci-key' })] }).findings[0].severity).toBe('warning');
  });

  test('the last day is still exempt; the next day the finding is an error saying the exemption expired', () => {
    const onLastDay = run([SET], { exemptions: [exemption()], now: new Date('2026-03-31T23:59:59.999Z') }).findings[0];
    expect(onLastDay.severity).toBe('warning');
    const dayAfter = run([SET], { exemptions: [exemption()], now: new Date('2026-04-01T00:00:00Z') }).findings[0];
    expect(dayAfter).toMatchObject({
      severity: 'error',
      message: 'access key aws_iam_access_key.ci. The exemption expired on 2026-03-31 (owner data-platform@example.com): remove the credential or renew the exemption with a new justification.',
      exemption: { ...exemption(), status: 'expired' },
    });
  });

  test('an expired exemption on a warning-level finding makes it an error', () => {
    const result = run([SET], { exemptions: [exemption({ ruleId: 'KL-SF-05', resource: 'snowflake_service_user.etl', expires: '2026-01-31' })] });
    expect(result.findings.find((f) => f.ruleId === 'KL-SF-05')).toMatchObject({ severity: 'error', exemption: { status: 'expired' } });
  });

  test('when an active and an expired exemption both match, the active one applies', () => {
    const result = run([SET], { exemptions: [exemption({ expires: '2026-01-01' }), exemption({ owner: 'sec@example.com' })] });
    expect(result.findings[0]).toMatchObject({ severity: 'warning', exemption: { owner: 'sec@example.com', status: 'active' } });
    expect(result.notes).toEqual(['main.tf: module.net is a module call and is not expanded']);
  });

  test('a fallback credential on a federated identity is an error that names both and refuses the exemption', () => {
    const federated = () => new Map([['aws_iam_user.ci', 'azuread_application_federated_identity_credential.ci trusts it']]);
    const [finding] = run([SET], { exemptions: [exemption()], federatedIdentities: federated }).findings;
    expect(finding).toEqual({
      ruleId: 'KL-AWS-01',
      severity: 'error',
      file: 'iam.tf',
      resource: 'aws_iam_access_key.ci',
      resourceType: 'aws_iam_access_key',
      engine: 'terraform',
      constructPath: 'stack/ci-key',
      identity: 'aws_iam_user.ci',
      federatedIdentity: true,
      message: 'access key aws_iam_access_key.ci. aws_iam_user.ci is federated (azuread_application_federated_identity_credential.ci trusts it), '
        + 'so this fallback credential defeats the federation: remove it. The exemption for it is refused: a fallback next to federation is never exempt.',
      exemption: { ...exemption(), status: 'refused' },
    });
  });

  test('a finding lists its fields in one order (what --format json prints), exempted, expired, refused or not', () => {
    const keys = (options: EvaluateOptions) => Object.keys(run([SET], options).findings[0]);
    const base = ['ruleId', 'file', 'resource', 'resourceType', 'engine', 'constructPath', 'identity'];
    expect(keys({})).toEqual([...base, 'severity', 'message']);
    expect(keys({ exemptions: [exemption()] })).toEqual([...base, 'severity', 'message', 'exemption']);
    expect(keys({ exemptions: [exemption()], now: new Date('2026-04-01T00:00:00Z') })).toEqual([...base, 'severity', 'message', 'exemption']);
    const federated = () => new Map([['aws_iam_user.ci', 'a federated credential']]);
    expect(keys({ exemptions: [exemption()], federatedIdentities: federated })).toEqual([...base, 'severity', 'federatedIdentity', 'message', 'exemption']);
    expect(keys({ federatedIdentities: federated })).toEqual([...base, 'severity', 'federatedIdentity', 'message']);
    expect(Object.keys(run([SET]).findings[1])).toEqual(['ruleId', 'file', 'resource', 'resourceType', 'engine', 'severity', 'message']);
  });

  test('a warning-level hit on a federated identity is an error too', () => {
    const federated = () => new Map([['snowflake_service_user.etl', 'WORKLOAD_IDENTITY set by snowflake_execute.wif']]);
    const finding = run([SET], { federatedIdentities: federated }).findings.find((f) => f.ruleId === 'KL-SF-07')!;
    expect(finding).toMatchObject({ severity: 'error', federatedIdentity: true });
    expect(finding.message).toBe('provider.snowflake logs in with a password. snowflake_service_user.etl is federated (WORKLOAD_IDENTITY set by snowflake_execute.wif), so this fallback credential defeats the federation: remove it.');
    expect(finding.exemption).toBeUndefined();
  });

  test('exemptions that match nothing are listed as notes', () => {
    const result = run([SET], { exemptions: [exemption({ resource: 'aws_iam_access_key.old' }), exemption({ ruleId: 'KL-AZ-01' })] });
    expect(result.notes).toEqual([
      'main.tf: module.net is a module call and is not expanded',
      'exemption KL-AWS-01 on aws_iam_access_key.old (owner data-platform@example.com, expires 2026-03-31) matched no finding; remove it',
      'exemption KL-AZ-01 on aws_iam_access_key.ci (owner data-platform@example.com, expires 2026-03-31) matched no finding; remove it',
    ]);
    expect(result.findings[0].severity).toBe('error');
  });

  test('an exemption scoped to another stack matches nothing there, and its note names the stack', () => {
    const result = run([SET], { exemptions: [exemption({ stack: 'prod' })] });
    expect(result.findings[0]).toMatchObject({ ruleId: 'KL-AWS-01', severity: 'error' });
    expect(result.findings[0].exemption).toBeUndefined();
    expect(result.notes).toContain('exemption KL-AWS-01 on aws_iam_access_key.ci in stack prod (owner data-platform@example.com, expires 2026-03-31) matched no finding; remove it');
  });

  test('a rule that throws fails closed: an error finding on that resource, the rest still evaluated', () => {
    const broken: Rule = { ...ACCESS_KEY, id: 'KL-AWS-03', check: () => { throw new TypeError('cannot read properties of undefined'); } };
    const result = run([SET], { rules: [broken, ACCESS_KEY] });
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ['KL-AWS-03', 'error', 'aws_iam_access_key.ci could not be checked by KL-AWS-03 (cannot read properties of undefined); treated as a finding so that an unreadable resource never passes silently'],
      ['KL-AWS-01', 'error', 'access key aws_iam_access_key.ci.'],
    ]);
  });

  test('trusts and resource counts are collected over all sets; identities are looked up per set', () => {
    const trust: FederatedTrust = { workload: 'aws_iam_role.etl', target: 'snowflakecomputing.com', targetKind: 'snowflake', file: 'infra', resource: 'aws_iam_role_policy.mint' };
    const other: ResourceSet = { file: 'cfn.json', engine: 'cloudformation', resources: [{ engine: 'cloudformation', kind: 'resource', type: 'AWS::IAM::AccessKey', address: 'Key', properties: { UserName: { Ref: 'U' } }, file: 'cfn.json' }] };
    const asked: string[] = [];
    const result = run([SET, other], {
      findTrusts: (context) => (context.set === SET ? [trust] : []),
      federatedIdentities: (context) => { asked.push(context.set.file); return new Map(); },
    });
    expect(result.trusts).toEqual([trust]);
    expect(result.resourceCount).toBe(5);
    expect(asked).toEqual(['infra', 'cfn.json']);
    expect(result.findings.map((f) => [f.file, f.resource, f.engine])).toContainEqual(['cfn.json', 'Key', 'cloudformation']);
  });

  test('no sets: an empty evaluation', () => {
    expect(run([])).toEqual({ findings: [], trusts: [], resourceCount: 0, notes: [] });
  });
});

describe('evaluate with the real catalog on synthesized fixtures', () => {
  const INPUTS = path.join(__dirname, '..', 'fixtures', 'inputs');

  test('cdktf: a client secret on an Entra app that has a federated credential is refused, keeping KL-AZ-01', async () => {
    const sets = await loadPath(path.join(INPUTS, 'synth-cdktf'));
    const result = evaluate(sets, {
      now: NOW,
      exemptions: [exemption({ ruleId: 'KL-AZ-01', resource: 'entra/etl/app' })],
    });
    const finding = result.findings.find((f) => f.ruleId === 'KL-AZ-01')!;
    expect(finding).toMatchObject({
      severity: 'error',
      resource: 'azuread_application.etl',
      identity: 'azuread_application.etl',
      federatedIdentity: true,
      exemption: { status: 'refused' },
    });
    expect(finding.message).toContain('azuread_application.etl is federated (');
    expect(result.trusts.map((t) => [t.targetKind, t.resource])).toEqual([
      ['snowflake', 'aws_iam_role_policy.mint'],
      ['entra', 'azuread_application_federated_identity_credential.etl'],
    ]);
    expect(result.resourceCount).toBe(10);
  });

  test('KL-TR-05 on a federated application is a trust fault: exemptable, never "a fallback credential"', () => {
    const issuer = 'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws';
    const entra: ResourceSet = {
      file: 'entra.tf.json',
      engine: 'terraform',
      resources: [
        tfResource('azuread_application', 'etl', { display_name: 'etl' }),
        tfResource('azuread_application_federated_identity_credential', 'etl', {
          application_id: '${azuread_application.etl.id}', display_name: 'aws-etl', issuer: `${issuer}/`,
          subject: 'arn:aws:iam::111122223333:role/etl', audiences: ['api://AzureADTokenExchange'],
        }),
      ],
    };
    const unexempted = evaluate([entra], { now: NOW }).findings;
    expect(unexempted.map((f) => [f.ruleId, f.severity, f.identity, f.federatedIdentity])).toEqual([
      ['KL-TR-05', 'error', 'azuread_application.etl', undefined],
    ]);
    expect(unexempted[0].message).not.toContain('defeats the federation');
    const [finding] = evaluate([entra], {
      now: NOW,
      exemptions: [exemption({ ruleId: 'KL-TR-05', resource: 'azuread_application_federated_identity_credential.etl' })],
    }).findings;
    expect(finding).toMatchObject({ ruleId: 'KL-TR-05', severity: 'warning', exemption: { status: 'active' } });
    expect(finding.federatedIdentity).toBeUndefined();
    expect(finding.message).toMatch(/Exempted until 2026-03-31 \(owner data-platform@example.com\): The vendor SFTP bridge/);
    expect(finding.message).not.toContain('refused');
  });

  describe('a policy built with Fn::Join: messages and trusts show the original expression, never a placeholder', () => {
    const trustJoin = (subjectPart: unknown, audiencePart: unknown): ResourceSet => ({
      file: 'cfn.json',
      engine: 'cloudformation',
      resources: [{
        engine: 'cloudformation', kind: 'resource', type: 'AWS::IAM::Role', address: 'Deploy', file: 'cfn.json',
        properties: {
          AssumeRolePolicyDocument: {
            'Fn::Join': ['', [
              '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity",'
                + '"Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},'
                + '"Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:', subjectPart,
              '/*","token.actions.githubusercontent.com:aud":"', audiencePart, '"}}}]}',
            ]],
          },
        },
      }],
    });
    const kltr02 = (set: ResourceSet) => evaluate([set], { now: NOW }).findings.find((f) => f.ruleId === 'KL-TR-02')!.message;

    test('Ref and Fn::GetAtt are written as Fn::Sub writes them', () => {
      const set = trustJoin({ Ref: 'GitHubOrg' }, { 'Fn::GetAtt': ['Audience', 'Value'] });
      const message = kltr02(set);
      expect(message).toContain('"repo:${GitHubOrg}/*" has a wildcard in the repository, so it matches every repository of "${GitHubOrg}"');
      expect(message).not.toMatch(/keyless_unresolved/i);
      expect(evaluate([set], { now: NOW }).trusts).toEqual([
        expect.objectContaining({ workload: 'repo:${GitHubOrg}/*', subject: 'repo:${GitHubOrg}/*', audience: '${Audience.Value}', target: 'Deploy' }),
      ]);
    });

    test('another intrinsic is shown as written; a long one as "a value known only at deploy time"', () => {
      expect(kltr02(trustJoin({ 'Fn::ImportValue': 'SharedOrg' }, 'sts.amazonaws.com')))
        .toContain('"repo:{"Fn::ImportValue":"SharedOrg"}/*" has a wildcard in the repository');
      const long = { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::ImportValue': 'OrganizationsOfTheWholeCompanyExportedByTheNetworkStack' }] }] };
      expect(kltr02(trustJoin(long, 'sts.amazonaws.com')))
        .toContain('"repo:a value known only at deploy time/*" has a wildcard in the repository');
    });
  });

  test('cdk.out: an access key exempted by its construct path is a warning; the nested stack password stays an error', async () => {
    const sets = await loadPath(path.join(INPUTS, 'synth-cdk'));
    const result = evaluate(sets, { now: NOW, exemptions: [exemption({ resource: 'Top/Key' })] });
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.resource, f.constructPath, f.exemption?.status])).toEqual([
      ['KL-AWS-01', 'warning', 'Key', 'Top/Key', 'active'],
      ['KL-AWS-02', 'error', 'Legacy', 'Top/Inner/Legacy', undefined],
    ]);
    expect(result.notes).toEqual([]);
  });
});

import { checkFederation, checkFederationWithTokens } from '../../../lib/guardrails/federation/check';
import { trustFromManifest, TrustManifestError } from '../../../lib/guardrails/federation/manifest';
import { RelyingPartyTrust } from '../../../lib/guardrails/federation/model';
import { pinnedSubjects } from '../../../lib/guardrails/federation/trusts';
import { simulatePairs } from '../../../lib/guardrails/federation/simulate';
import { FederationInput } from '../../../lib/guardrails/federation/workloads';
import { CheckAnalysis } from '../../../lib/guardrails/analysis';
import { NormalizedResource, ResourceSet } from '../../../lib/guardrails/model';
import { cfn, doc, setOf, strictMint, tf } from '../rules/helpers';


/** One check's analysis contexts for the sets, each deploying to `account` when given. */
function ctx(items: readonly { set: ResourceSet; account?: string }[]): FederationInput[] {
  const analysis = new CheckAnalysis();
  return items.map(({ set, account }) => analysis.of(account !== undefined ? { ...set, account } : set));
}

const ACCOUNT = '111122223333';
const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
const OTHER_ISSUER = 'https://9f8e7d6c-5b4a-4321-8fed-cba987654321.tokens.sts.global.api.aws';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/orders-etl`;
const ENTRA_AUDIENCE = 'api://AzureADTokenExchange';

interface AwsSide {
  readonly path?: string;
  readonly snowflakeAlgorithm?: string;
  readonly withEntraGrant?: boolean;
  readonly extraStatements?: Record<string, unknown>[];
  readonly issuer?: string | null;
}

/** The AWS side as the CDK app synthesizes it: the federation switch and a plan-driven workload role. */
function awsSide(o: AwsSide = {}): ResourceSet {
  const statements = [
    strictMint('snowflakecomputing.com', { StringEquals: { 'sts:SigningAlgorithm': o.snowflakeAlgorithm ?? 'ES384' } }),
    ...(o.withEntraGrant === false ? [] : [{ ...strictMint(ENTRA_AUDIENCE, { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintEntra' }]),
    ...(o.extraStatements ?? []),
  ];
  const resources: NormalizedResource[] = [
    cfn('AWS::IAM::Role', 'Role1ABCC5F0', {
      RoleName: 'orders-etl',
      Path: o.path ?? '/workloads/',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      Policies: [{ PolicyName: 'Mint', PolicyDocument: doc(...statements) }],
    }),
  ];
  if (o.issuer !== null) {
    resources.unshift(cfn('Custom::KeylessOutboundWebIdentityFederation', 'OutboundFederation2D354D08', { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] }, ExpectedIssuerUrl: o.issuer ?? ISSUER }));
  }
  return setOf(...resources);
}

interface TrustSide {
  readonly ficSubject?: string;
  readonly ficIssuer?: string;
  readonly sfArn?: string;
  readonly sfIssuer?: string;
  readonly allowedAccounts?: string[];
}

/** The relying-party side as the CDKTF app synthesizes it: an Entra FIC and a Snowflake service user. */
function trustSide(o: TrustSide = {}): ResourceSet {
  return setOf(
    tf('azuread_application', 'graph', { display_name: 'orders-etl-graph' }),
    tf('azuread_application_federated_identity_credential', 'graph', {
      application_id: '${azuread_application.graph.id}',
      audiences: [ENTRA_AUDIENCE],
      display_name: 'orders-etl-graph',
      issuer: o.ficIssuer ?? ISSUER,
      subject: o.ficSubject ?? ROLE_ARN,
    }),
    tf('snowflake_service_user', 'etl', { name: 'ORDERS_ETL_SVC' }),
    tf('snowflake_execute', 'wif', {
      execute: `ALTER USER \${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${o.sfArn ?? ROLE_ARN}' ISSUER = '${o.sfIssuer ?? ISSUER}')`,
      revert: 'ALTER USER IF EXISTS ${snowflake_service_user.etl.fully_qualified_name} UNSET WORKLOAD_IDENTITY',
    }),
    tf('snowflake_authentication_policy', 'wi_only', {
      name: 'ORDERS_ETL_SVC_AUTH_POLICY',
      database: 'SECURITY',
      schema: 'POLICIES',
      authentication_methods: ['WORKLOAD_IDENTITY'],
      workload_identity_policy: { allowed_providers: ['AWS'], allowed_aws_accounts: o.allowedAccounts ?? [ACCOUNT] },
    }),
    tf('snowflake_user_authentication_policy_attachment', 'etl', {
      authentication_policy_name: '${snowflake_authentication_policy.wi_only.fully_qualified_name}',
      user_name: '${snowflake_service_user.etl.name}',
    }),
  );
}

const both = (aws: AwsSide = {}, trusts: TrustSide = {}): FederationInput[] => ctx([{ set: awsSide(aws), account: ACCOUNT }, { set: trustSide(trusts) }]);
const FIC = 'azuread_application_federated_identity_credential.graph';
const SF = 'snowflake_execute.wif';

describe('federation graph: the paved road', () => {
  test('every workload -> trust pair is reachable, with no finding and no note', () => {
    const g = checkFederation(both());
    expect(g.pairs).toEqual([
      { workload: ROLE_ARN, target: FIC, targetKind: 'entra', audience: ENTRA_AUDIENCE, algorithm: 'RS256', reachable: true },
      { workload: ROLE_ARN, target: SF, targetKind: 'snowflake', audience: 'snowflakecomputing.com', algorithm: 'ES384', reachable: true },
    ]);
    expect(g.hits).toEqual([]);
    expect(g.notes).toEqual([]);
    expect(g.issuers).toEqual([{ account: ACCOUNT, url: ISSUER, source: 'Stack.template.json: OutboundFederation2D354D08' }]);
  });

  test('the simulated STS tokens verify at both relying parties', async () => {
    const g = await checkFederationWithTokens(both());
    expect(g.pairs.map((p) => [p.targetKind, p.reachable])).toEqual([['entra', true], ['snowflake', true]]);
  });
});

describe('federation graph: one break at a time', () => {
  test('KL-FED-01: the Entra subject has a typo', () => {
    const g = checkFederation(both({}, { ficSubject: `${ROLE_ARN}-typo` }));
    // The role's Entra grant is now unused too: the mirror image, as a warning.
    expect(g.hits.map((h) => [h.ruleId, h.severity, h.resource])).toEqual([['KL-FED-01', 'error', FIC], ['KL-FED-04', 'warning', 'Role1ABCC5F0']]);
    expect(g.hits[0].message).toContain(`Entra application orders-etl-graph (${FIC}) trusts ${ROLE_ARN}-typo, but no role among the inputs of account ${ACCOUNT} has that ARN (its roles here: ${ROLE_ARN})`);
    expect(g.pairs.find((p) => p.target === FIC)).toEqual({ workload: `${ROLE_ARN}-typo`, target: FIC, targetKind: 'entra', audience: ENTRA_AUDIENCE, algorithm: 'RS256', reachable: false, reason: 'no role among the inputs has this ARN (KL-FED-01)' });
  });

  test('KL-FED-01: the role path changed; both trusts dangle and the hint names the moved role', () => {
    const g = checkFederation(both({ path: '/apps/' }));
    expect(g.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-01', FIC], ['KL-FED-01', SF], ['KL-FED-04', 'Role1ABCC5F0'], ['KL-FED-04', 'Role1ABCC5F0']]);
    expect(g.hits[0].message).toContain(`(Role1ABCC5F0 has that name with path /apps/: arn:aws:iam::${ACCOUNT}:role/apps/orders-etl)`);
  });

  test('KL-FED-01: a subject that differs only in case (Entra compares case-sensitively)', () => {
    const g = checkFederation(both({}, { ficSubject: ROLE_ARN.replace('orders-etl', 'Orders-ETL') }));
    expect(g.hits.map((h) => h.ruleId)).toEqual(['KL-FED-01', 'KL-FED-04']);
    expect(g.hits[0].message).toContain('which differs only in case');
  });

  test('KL-FED-02: Snowflake names another account\'s issuer', () => {
    const g = checkFederation(both({}, { sfIssuer: OTHER_ISSUER }));
    expect(g.hits.map((h) => [h.ruleId, h.severity, h.resource])).toEqual([['KL-FED-02', 'error', SF]]);
    expect(g.hits[0].message).toBe(`Snowflake user ORDERS_ETL_SVC (${SF}) expects tokens from issuer ${OTHER_ISSUER}, but account ${ACCOUNT} issues them as ${ISSUER} `
      + '(from Stack.template.json: OutboundFederation2D354D08): the relying party compares the iss claim exactly and refuses every token. '
      + 'Fix: Set the trust\'s issuer to the account\'s issuer exactly (no trailing slash), as the FederationPlan or OutboundWebIdentityFederation gives it.');
    expect(g.pairs.find((p) => p.target === SF)!.reachable).toBe(false);
  });

  test('KL-FED-02: an issuer with a trailing slash is another issuer', () => {
    expect(checkFederation(both({}, { ficIssuer: `${ISSUER}/` })).hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-02', FIC]]);
  });

  test('KL-FED-03: the Snowflake grant is signed RS256, which Snowflake does not verify', () => {
    const g = checkFederation(both({ snowflakeAlgorithm: 'RS256' }));
    expect(g.hits.map((h) => [h.ruleId, h.resource, h.resourceType])).toEqual([['KL-FED-03', 'Role1ABCC5F0', 'AWS::IAM::Role']]);
    expect(g.hits[0].message).toContain(`${ROLE_ARN} cannot use Snowflake user ORDERS_ETL_SVC (${SF}): it may mint a token for "snowflakecomputing.com" only signed RS256 (statement "MintSnowflake" of inline policy "Mint"), and Snowflake user ORDERS_ETL_SVC verifies ES384`);
    expect(g.pairs.find((p) => p.target === SF)).toMatchObject({ algorithm: 'RS256', reachable: false });
  });

  test('KL-FED-03: the Entra grant was removed', () => {
    const g = checkFederation(both({ withEntraGrant: false }));
    expect(g.hits.map((h) => h.ruleId)).toEqual(['KL-FED-03']);
    expect(g.hits[0].message).toContain(`no statement of its identity policies lets it mint a token for audience "${ENTRA_AUDIENCE}" (it may mint for "snowflakecomputing.com")`);
  });

  test('KL-FED-03 on the trust: the authentication policy does not allow the role\'s account', () => {
    const g = checkFederation(both({}, { allowedAccounts: ['444455556666'] }));
    expect(g.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-03', SF]]);
    expect(g.hits[0].message).toContain('its authentication policy ORDERS_ETL_SVC_AUTH_POLICY (snowflake_authentication_policy.wi_only) allows AWS accounts 444455556666, not 111122223333');
  });

  test('an unbound grant (KL-TR-03\'s business) still mints: the pair is reachable', () => {
    const unbound = { Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' };
    const g = checkFederation(both({ withEntraGrant: false, extraStatements: [unbound] }));
    expect(g.pairs.every((p) => p.reachable)).toBe(true);
  });

  test('KL-FED-04: a grant for an audience no checked trust of that kind accepts', () => {
    const openaiGrant = { ...strictMint('https://api.openai.com/v1', { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintOpenAi' };
    const otherRoleManifest = trustFromManifest(manifest({ subject: `arn:aws:iam::${ACCOUNT}:role/workloads/support` }), 'support-openai.json');
    const g = checkFederation(both({ extraStatements: [openaiGrant] }), { manifestTrusts: [otherRoleManifest] });
    expect(g.hits.filter((h) => h.ruleId === 'KL-FED-04').map((h) => [h.severity, h.resource, h.message])).toEqual([[
      'warning', 'Role1ABCC5F0',
      `${ROLE_ARN} may mint tokens for audience "https://api.openai.com/v1" (statement "MintOpenAi" of inline policy "Mint"), but no trust among the inputs accepts them from this role. Fix: Remove the grant for that audience, or add the trust that needs it.`,
    ]]);
  });

  test('no KL-FED-04 when no trust of that kind was checked: a note instead', () => {
    const g = checkFederation(ctx([{ set: awsSide(), account: ACCOUNT }]));
    expect(g.hits).toEqual([]);
    expect(g.pairs).toEqual([]);
    expect(g.notes).toEqual([
      `no trust for audience "snowflakecomputing.com" is among the inputs (minted by ${ROLE_ARN}): that side of the federation was not checked`,
      `no trust for audience "${ENTRA_AUDIENCE}" is among the inputs (minted by ${ROLE_ARN}): that side of the federation was not checked`,
    ]);
  });
});

describe('federation graph: what it cannot see is a note, never a pass', () => {
  test('the AWS side is not among the inputs', () => {
    const g = checkFederation(ctx([{ set: trustSide() }]));
    expect(g.hits).toEqual([]);
    expect(g.pairs).toEqual([]);
    expect(g.notes).toEqual([
      `cdk.tf.json: ${FIC} (Entra application orders-etl-graph) trusts ${ROLE_ARN}, but no role of account ${ACCOUNT} is among the inputs: that side of the federation was not checked`,
      `cdk.tf.json: ${SF} (Snowflake user ORDERS_ETL_SVC) trusts ${ROLE_ARN}, but no role of account ${ACCOUNT} is among the inputs: that side of the federation was not checked`,
    ]);
  });

  test('the account\'s issuer is not known: KL-FED-02 is not checked, and the note says how to tell it', () => {
    const g = checkFederation(both({ issuer: null }, { sfIssuer: OTHER_ISSUER }));
    expect(g.hits).toEqual([]);
    expect(g.notes).toContain(`the issuer of account ${ACCOUNT} is not known to this check (no OutboundWebIdentityFederation among its inputs; pass --issuer ${ACCOUNT}=URL or --plan): the issuer of ${SF} was not compared`);
    const told = checkFederation(both({ issuer: null }, { sfIssuer: OTHER_ISSUER }), { issuers: [{ account: ACCOUNT, url: ISSUER, source: '--issuer' }] });
    expect(told.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-02', SF]]);
    expect(told.hits[0].message).toContain('(from --issuer)');
  });

  test('two issuers for one account: a note, no guess', () => {
    const g = checkFederation(both(), { issuers: [{ account: ACCOUNT, url: OTHER_ISSUER, source: '--issuer' }] });
    expect(g.hits).toEqual([]);
    expect(g.notes[0]).toContain(`account ${ACCOUNT} is given more than one issuer`);
  });

  test('a role without a fixed name mints tokens: its ARN is not known, which a note says', () => {
    const set = awsSide();
    const unnamed = { ...set.resources[1], properties: { ...set.resources[1].properties, RoleName: undefined } };
    const g = checkFederation(ctx([{ set: setOf(set.resources[0], unnamed), account: ACCOUNT }, { set: trustSide() }]));
    expect(g.notes).toContain('Stack.template.json: Role1ABCC5F0 may mint tokens, but its ARN is not known before deployment (no fixed role name): no trust can be checked against it');
    // The account's roles are among the inputs, so the trusts dangle.
    expect(g.hits.map((h) => h.ruleId)).toEqual(['KL-FED-01', 'KL-FED-01']);
  });

  test('an Entra credential for GitHub Actions workloads is no edge of the AWS graph; an AWS issuer or a role ARN subject keeps a credential in it', () => {
    const fic = (name: string, issuer: string, subject: string) => tf('azuread_application_federated_identity_credential', name, {
      application_id: '${azuread_application.graph.id}', audiences: [ENTRA_AUDIENCE], display_name: name, issuer, subject,
    });
    const github = 'https://token.actions.githubusercontent.com';
    const g = checkFederation(ctx([{ set: awsSide(), account: ACCOUNT }, { set: setOf(
      tf('azuread_application', 'graph', { display_name: 'orders-etl-graph' }),
      fic('deploy', github, 'repo:org/orders:environment:prod'),
      fic('typo', ISSUER, 'orders-etl'),
      fic('wrong_issuer', github, ROLE_ARN),
    ) }]));
    expect(g.trusts.map((t) => t.address)).toEqual(['azuread_application_federated_identity_credential.typo', 'azuread_application_federated_identity_credential.wrong_issuer']);
    expect(g.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-02', 'azuread_application_federated_identity_credential.wrong_issuer']]);
    expect(g.notes.filter((n) => n.includes('.deploy'))).toEqual([]);
    expect(g.notes).toContain('cdk.tf.json: azuread_application_federated_identity_credential.typo (Entra application orders-etl-graph) trusts orders-etl, but no role of that account is among the inputs: that side of the federation was not checked');
  });

  test('a Terraform role whose path and name a plan names is taken to be the plan\'s role', () => {
    const role = tf('aws_iam_role', 'etl', {
      name: 'orders-etl',
      path: '/workloads/',
      assume_role_policy: JSON.stringify(doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })),
      inline_policy: [{ name: 'mint', policy: JSON.stringify(doc(strictMint('snowflakecomputing.com'), { ...strictMint(ENTRA_AUDIENCE, { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintEntra' })) }],
    });
    const rp = trustSide();
    const g = checkFederation(ctx([{ set: setOf(role, ...rp.resources) }]), { plannedRoles: [{ arn: ROLE_ARN, source: 'plan.json' }], issuers: [{ account: ACCOUNT, url: ISSUER, source: 'plan.json' }] });
    expect(g.hits).toEqual([]);
    expect(g.pairs.map((p) => [p.workload, p.targetKind, p.reachable])).toEqual([[ROLE_ARN, 'entra', true], [ROLE_ARN, 'snowflake', true]]);
    expect(g.workloads[0].accountSource).toBe('plan.json');
  });

  test('a plan\'s role is found by path and name: the same name under another path is another role', () => {
    const trust = JSON.stringify(doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }));
    const mint = [{ name: 'mint', policy: JSON.stringify(doc(strictMint('snowflakecomputing.com'))) }];
    const set = setOf(
      tf('aws_iam_role', 'etl', { name: 'orders-etl', path: '/workloads/', assume_role_policy: trust, inline_policy: mint }),
      tf('aws_iam_role', 'etl_root', { name: 'orders-etl', assume_role_policy: trust, inline_policy: mint }),
      tf('aws_iam_role', 'other', { name: 'reports', path: '/workloads/', assume_role_policy: trust, inline_policy: mint }),
    );
    const plannedRoles = [
      { arn: 'arn:aws:iam::444455556666:role/batch/orders-etl', source: 'plan.json' },
      { arn: ROLE_ARN, source: 'plan.json' },
      { arn: `arn:aws:iam::${ACCOUNT}:role/orders-etl`, source: 'plan.json' },
      { arn: 'arn:aws:iam::777788889999:role/orders-etl', source: 'later-plan.json' },
    ];
    const g = checkFederation(ctx([{ set }]), { plannedRoles });
    expect(g.workloads.map((w) => [w.address, w.arn, w.accountSource])).toEqual([
      ['aws_iam_role.etl', ROLE_ARN, 'plan.json'],
      ['aws_iam_role.etl_root', `arn:aws:iam::${ACCOUNT}:role/orders-etl`, 'plan.json'],
      ['aws_iam_role.other', undefined, undefined],
    ]);
  });

  test('a note names ten of the roles minting for an audience no trust was checked for, and counts the rest', () => {
    const roles = Array.from({ length: 12 }, (_, i) => cfn('AWS::IAM::Role', `Role${i}`, {
      RoleName: `etl-${i}`,
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      Policies: [{ PolicyName: 'Mint', PolicyDocument: doc(strictMint('snowflakecomputing.com')) }],
    }));
    const g = checkFederation(ctx([{ set: setOf(...roles), account: ACCOUNT }]));
    const arns = roles.map((_, i) => `arn:aws:iam::${ACCOUNT}:role/etl-${i}`);
    expect(g.notes.filter((n) => n.startsWith('no trust for audience'))).toEqual([
      `no trust for audience "snowflakecomputing.com" is among the inputs (minted by ${arns.slice(0, 10).join(', ')} and 2 more): that side of the federation was not checked`,
    ]);
  });
});

function manifest(o: { subject?: string; vendor?: string; audience?: string; algorithm?: string; issuer?: string } = {}): Record<string, unknown> {
  return {
    schema: 'cdk-keyless/trust-manifest@1',
    vendor: o.vendor ?? 'openai',
    workload: 'support',
    target: o.vendor ?? 'openai',
    account: ACCOUNT,
    issuer: { url: o.issuer ?? ISSUER },
    subject: o.subject ?? ROLE_ARN,
    audience: o.audience ?? 'https://api.openai.com/v1',
    signingAlgorithm: o.algorithm ?? 'RS256',
    tokenLifetimeSeconds: 300,
  };
}

test('a Terraform configuration whose aws providers pin one account with allowed_account_ids deploys its roles there', () => {
  const role = tf('aws_iam_role', 'etl', {
    name: 'orders-etl',
    path: '/workloads/',
    assume_role_policy: '{}',
    inline_policy: [{ name: 'mint', policy: JSON.stringify(doc(strictMint('snowflakecomputing.com'), { ...strictMint(ENTRA_AUDIENCE, { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintEntra' })) }],
  });
  const provider = (ids: unknown): NormalizedResource => ({ engine: 'terraform', kind: 'provider', type: 'aws', address: 'provider.aws', properties: { region: 'eu-west-1', allowed_account_ids: ids }, file: 'cdk.tf.json' });
  const options = { issuers: [{ account: ACCOUNT, url: ISSUER, source: 'plan.json' }] };
  const pinned = checkFederation(ctx([{ set: setOf(provider([ACCOUNT]), role, ...trustSide().resources) }]), options);
  expect(pinned.pairs.map((p) => [p.workload, p.reachable])).toEqual([[ROLE_ARN, true], [ROLE_ARN, true]]);
  // Two accounts allowed, or none pinned: the account is not known, so no ARN and no join.
  for (const ids of [[ACCOUNT, '444455556666'], undefined]) {
    const g = checkFederation(ctx([{ set: setOf(provider(ids), role, ...trustSide().resources) }]), options);
    expect(g.pairs).toEqual([]);
    expect(g.notes).toContain('cdk.tf.json: aws_iam_role.etl may mint tokens, but its ARN is not known before deployment (its stack or configuration has no known account): no trust can be checked against it');
  }
});

describe('trust manifests', () => {
  test('a manifest is a trust: vendor, issuer, subject, audience, algorithm and lifetime', () => {
    expect(trustFromManifest(manifest({ vendor: 'anthropic', subject: `arn:aws:iam::${ACCOUNT}:role/workloads/*`, audience: 'https://api.anthropic.com' }), 'm.json')).toEqual({
      kind: 'anthropic', address: 'support-anthropic', resourceType: 'cdk-keyless/trust-manifest@1', file: 'm.json', label: 'Anthropic',
      issuer: ISSUER, subject: `arn:aws:iam::${ACCOUNT}:role/workloads/*`, subjectMatch: 'prefix', audience: 'https://api.anthropic.com', algorithms: ['RS256'], lifetimeSeconds: 300,
    });
  });

  test('an Anthropic prefix rule joins every role under the prefix', () => {
    const trust = trustFromManifest(manifest({ vendor: 'anthropic', subject: `arn:aws:iam::${ACCOUNT}:role/workloads/*`, audience: 'https://api.anthropic.com' }), 'm.json');
    const grant = { ...strictMint('https://api.anthropic.com', { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintAnthropic' };
    const g = checkFederation(ctx([{ set: awsSide({ extraStatements: [grant] }), account: ACCOUNT }]), { manifestTrusts: [trust] });
    expect(g.pairs).toEqual([{ workload: ROLE_ARN, target: 'support-anthropic', targetKind: 'anthropic', audience: 'https://api.anthropic.com', algorithm: 'RS256', reachable: true }]);
  });

  test('KL-FED-03: the manifest asks for a longer lifetime than the grant allows', () => {
    const trust = { ...trustFromManifest(manifest(), 'm.json'), lifetimeSeconds: 900 };
    const grant = { ...strictMint('https://api.openai.com/v1', { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintOpenAi' };
    const g = checkFederation(ctx([{ set: awsSide({ extraStatements: [grant] }), account: ACCOUNT }]), { manifestTrusts: [trust] });
    expect(g.hits.map((h) => h.ruleId)).toEqual(['KL-FED-03']);
    expect(g.hits[0].message).toContain('its grant allows tokens of at most 300 s, and the trust\'s workload requests 900 s');
  });

  test('a file that is not a manifest, or a bad field, is refused with the reason', () => {
    expect(() => trustFromManifest({ schema: 'other' }, 'x.json')).toThrow(TrustManifestError);
    expect(() => trustFromManifest({ ...manifest(), vendor: 'snowflake' }, 'x.json')).toThrow('trust manifest vendor must be one of openai, anthropic, got "snowflake"');
    expect(() => trustFromManifest({ ...manifest(), tokenLifetimeSeconds: '300' }, 'x.json')).toThrow('trust manifest field "tokenLifetimeSeconds" must be an integer, got "300"');
  });
});

describe('joins among many roles (the graph indexes roles by ARN and account, trusts by audience and subject)', () => {
  const anthropicGrant = { ...strictMint('https://api.anthropic.com', { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintAnthropic' };
  const role = (id: string, name: string, path: string): NormalizedResource => cfn('AWS::IAM::Role', id, {
    RoleName: name, Path: path,
    AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    Policies: [{ PolicyName: 'Mint', PolicyDocument: doc(anthropicGrant) }],
  });
  const arn = (path: string, name: string): string => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;
  const roles = setOf(
    cfn('Custom::KeylessOutboundWebIdentityFederation', 'Switch', { ExpectedIssuerUrl: ISSUER }),
    role('RoleA', 'a', '/workloads/'), role('RoleB', 'b', '/other/'), role('RoleC', 'c', '/workloads/team/'),
  );

  test('a prefix rule joins exactly the roles under it, in input order; an exact trust its one role; the rest of the grants are unused (KL-FED-04)', () => {
    const prefix = trustFromManifest(manifest({ vendor: 'anthropic', subject: `arn:aws:iam::${ACCOUNT}:role/workloads/*`, audience: 'https://api.anthropic.com' }), 'p.json');
    const exact = { ...trustFromManifest(manifest({ vendor: 'anthropic', subject: arn('/other/', 'b'), audience: 'https://api.anthropic.com' }), 'e.json'), address: 'exact-b' };
    const g = checkFederation(ctx([{ set: roles, account: ACCOUNT }]), { manifestTrusts: [prefix, exact] });
    expect(g.pairs.map((p) => [p.target, p.workload, p.reachable])).toEqual([
      ['support-anthropic', arn('/workloads/', 'a'), true],
      ['support-anthropic', arn('/workloads/team/', 'c'), true],
      ['exact-b', arn('/other/', 'b'), true],
    ]);
    expect(g.hits).toEqual([]);

    // Without the exact trust, b's grant is accepted by no trust: a KL-FED-04 warning on b only.
    const g2 = checkFederation(ctx([{ set: roles, account: ACCOUNT }]), { manifestTrusts: [prefix] });
    expect(g2.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-04', 'RoleB']]);
    // A trust for another audience with b's exact subject does not accept b's Anthropic grant.
    const otherAudience = { ...exact, audience: 'https://api.openai.com/v1', kind: 'openai' as const };
    const g3 = checkFederation(ctx([{ set: roles, account: ACCOUNT }]), { manifestTrusts: [prefix, otherAudience] });
    expect(g3.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-03', 'RoleB'], ['KL-FED-04', 'RoleB']]);
  });

  test('KL-FED-01 near misses come from the subject\'s account only: same name in another account is no hint', () => {
    const elsewhere = setOf(role('RoleElsewhere', 'orders-etl', '/apps/'));
    const trust = { ...trustFromManifest(manifest({ vendor: 'openai', subject: arn('/workloads/', 'orders-etl') }), 'm.json') };
    const here = checkFederation(ctx([{ set: setOf(role('RoleHere', 'orders-etl', '/apps/')), account: ACCOUNT }]), { manifestTrusts: [trust] });
    expect(here.hits.map((h) => h.ruleId)).toEqual(['KL-FED-01']);
    expect(here.hits[0].message).toContain(`(RoleHere has that name with path /apps/: ${arn('/apps/', 'orders-etl')})`);
    const other = checkFederation(ctx([{ set: roles, account: ACCOUNT }, { set: elsewhere, account: '444455556666' }]), { manifestTrusts: [trust] });
    expect(other.hits.filter((h) => h.ruleId === 'KL-FED-01').map((h) => h.message.includes('RoleElsewhere'))).toEqual([false]);
  });
});

describe('token simulation (jose)', () => {
  const workload = checkFederation(both()).workloads.find((w) => w.arn === ROLE_ARN)!;
  const entra: RelyingPartyTrust = { kind: 'entra', address: FIC, resourceType: 'x', file: 'f', label: 'Entra', issuer: ISSUER, subject: ROLE_ARN, subjectMatch: 'exact', audience: ENTRA_AUDIENCE, algorithms: ['RS256'] };
  const pair = (algorithm: string) => ({ workload: ROLE_ARN, target: FIC, targetKind: 'entra' as const, audience: ENTRA_AUDIENCE, algorithm, reachable: true });

  test('a token minted as STS would is accepted by a relying party that trusts exactly it', async () => {
    const p = pair('RS256');
    expect((await simulatePairs([{ pair: p, workload, trust: entra, issuer: ISSUER }])).get(p)).toBeUndefined();
  });

  test('the verifier refuses another issuer, another subject and another algorithm', async () => {
    const cases = [
      { p: pair('RS256'), trust: { ...entra, issuer: OTHER_ISSUER }, refused: 'unexpected "iss" claim value' },
      { p: pair('RS256'), trust: { ...entra, subject: `${ROLE_ARN}-x` }, refused: 'unexpected "sub" claim value' },
      { p: pair('ES384'), trust: entra, refused: '"alg" (Algorithm) Header Parameter value not allowed' },
      { p: pair('RS256'), trust: { ...entra, kind: 'anthropic' as const, subject: 'arn:aws:iam::111122223333:role/other/*', subjectMatch: 'prefix' as const }, refused: `the sub claim ${ROLE_ARN} does not start with arn:aws:iam::111122223333:role/other/` },
    ];
    const verdicts = await simulatePairs(cases.map((c) => ({ pair: c.p, workload, trust: c.trust, issuer: ISSUER })));
    expect(cases.map((c) => verdicts.get(c.p))).toEqual(cases.map((c) => c.refused));
  });
});

describe('Google Cloud pool providers as trusts', () => {
  const GCP_AUDIENCE = 'https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws/providers/aws-111122223333';
  const provider = (condition: string, issuer = ISSUER) => tf('google_iam_workload_identity_pool_provider', 'aws', {
    workload_identity_pool_id: 'aws', workload_identity_pool_provider_id: 'aws-111122223333',
    attribute_mapping: { 'google.subject': 'assertion.sub' }, attribute_condition: condition,
    oidc: { issuer_uri: issuer, allowed_audiences: [GCP_AUDIENCE] },
  });
  const gcpGrant = { ...strictMint(GCP_AUDIENCE, { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }), Sid: 'MintGcp' };

  test('pinnedSubjects reads ==, in [...] and || of them, and nothing looser', () => {
    expect(pinnedSubjects(`assertion.sub == '${ROLE_ARN}'`)).toEqual([ROLE_ARN]);
    expect(pinnedSubjects(`assertion.sub in ['${ROLE_ARN}', "arn:aws:iam::111122223333:role/b"]`)).toEqual([ROLE_ARN, 'arn:aws:iam::111122223333:role/b']);
    expect(pinnedSubjects(`(assertion.sub == 'a') || (assertion.sub == 'b')`)).toEqual(['a', 'b']);
    // `||` and `,` inside a quoted string split nothing (the CEL scanner KL-GCP-03 uses)
    expect(pinnedSubjects(`assertion.sub in ['a,b'] || assertion.sub == 'c'`)).toEqual(['a,b', 'c']);
    expect(pinnedSubjects('assertion.sub.startsWith(\'arn:aws:iam::111122223333:role/\')')).toBeUndefined();
    expect(pinnedSubjects(`assertion.sub == '${ROLE_ARN}' && attribute.x == 'y'`)).toBeUndefined();
  });

  test('the provider trusts the role it pins: reachable with RS256; a typo in the pinned ARN is KL-FED-01; another issuer KL-FED-02', () => {
    const good = checkFederation(ctx([{ set: awsSide({ extraStatements: [gcpGrant] }), account: ACCOUNT }, { set: setOf(provider(`assertion.sub == '${ROLE_ARN}'`)) }]));
    expect(good.pairs.filter((p) => p.targetKind === 'gcp')).toEqual([{ workload: ROLE_ARN, target: 'google_iam_workload_identity_pool_provider.aws', targetKind: 'gcp', audience: GCP_AUDIENCE, algorithm: 'RS256', reachable: true }]);
    const typo = checkFederation(ctx([{ set: awsSide({ extraStatements: [gcpGrant] }), account: ACCOUNT }, { set: setOf(provider(`assertion.sub == '${ROLE_ARN}x'`)) }]));
    expect(typo.hits.filter((h) => h.ruleId === 'KL-FED-01').map((h) => h.resource)).toEqual(['google_iam_workload_identity_pool_provider.aws']);
    const other = checkFederation(ctx([{ set: awsSide({ extraStatements: [gcpGrant] }), account: ACCOUNT }, { set: setOf(provider(`assertion.sub == '${ROLE_ARN}'`, OTHER_ISSUER)) }]));
    expect(other.hits.map((h) => h.ruleId)).toEqual(['KL-FED-02']);
  });

  test('a condition that does not pin role ARNs is a note, not a join', () => {
    const g = checkFederation(ctx([{ set: setOf(provider('assertion.sub.startsWith(\'arn:aws:iam::\')')) }]));
    expect(g.pairs).toEqual([]);
    expect(g.notes).toEqual(['cdk.tf.json: google_iam_workload_identity_pool_provider.aws: its issuer, audiences or the role ARNs its attribute_condition admits are not statically known: the federation graph cannot join it']);
  });

  test('a provider for GitHub Actions tokens is no edge of the AWS graph: no join, no note; one pinning a role ARN is joined whatever its issuer', () => {
    const github = 'https://token.actions.githubusercontent.com';
    const aws = { set: awsSide({ extraStatements: [gcpGrant] }), account: ACCOUNT };
    for (const condition of ['assertion.repository == \'org/app\'', 'assertion.sub == \'repo:org/app:ref:refs/heads/main\'']) {
      const g = checkFederation(ctx([aws, { set: setOf(provider(condition, github)) }]));
      expect(g.trusts).toEqual([]);
      expect(g.notes.filter((n) => n.includes('google_iam_workload_identity_pool_provider'))).toEqual([]);
    }
    const pinned = checkFederation(ctx([aws, { set: setOf(provider(`assertion.sub == '${ROLE_ARN}'`, github)) }]));
    expect(pinned.hits.map((h) => [h.ruleId, h.resource])).toEqual([['KL-FED-02', 'google_iam_workload_identity_pool_provider.aws']]);
  });
});

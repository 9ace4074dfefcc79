import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as fc from 'fast-check';
import { CredentialGuardrailPolicy, CredentialGuardrailPolicyProps, SigningAlgorithm } from '../../lib';
import { webIdentityTokenStatementProps } from '../../lib/aws/token-grant';
import { EvaluatedRequest, evaluateGuardrail, statementApplies } from './policy-evaluator';
import { errorOf } from './util';

const OU = 'ou-ab12-cdefgh34';
const APP_ROLE = 'arn:aws:iam::111122223333:role/orders-app';
const BREAK_GLASS = 'arn:aws:iam::*:role/break-glass/*';
const PLATFORM = 'arn:aws:iam::*:role/platform/federation-admin';
const SNOWFLAKE = 'snowflakecomputing.com';
const ENTRA = 'api://AzureADTokenExchange';

function makeStack(): Stack {
  return new Stack(new App(), 'Org', { env: { account: '999988887777', region: 'us-east-1' } });
}

const PROPS: CredentialGuardrailPolicyProps = {
  targetIds: [OU],
  breakGlassPrincipalArns: [BREAK_GLASS],
  federationAdministratorArns: [PLATFORM],
  allowedTokens: [
    { audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384 },
    { audiences: [ENTRA], signingAlgorithm: SigningAlgorithm.RS256, maxLifetimeSeconds: 900 },
  ],
};

function policies(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy')).map((r: any) => r.Properties);
}

function onlyDocument(props: CredentialGuardrailPolicyProps = PROPS): any {
  const stack = makeStack();
  new CredentialGuardrailPolicy(stack, 'Guardrail', props);
  const found = policies(stack);
  expect(found).toHaveLength(1);
  return found[0].Content;
}

function token(audiences: string[], algorithm: string, duration?: number): EvaluatedRequest {
  return {
    action: 'sts:GetWebIdentityToken',
    context: {
      'aws:PrincipalArn': APP_ROLE,
      'sts:IdentityTokenAudience': audiences,
      'sts:SigningAlgorithm': algorithm,
      ...(duration !== undefined ? { 'sts:DurationSeconds': duration } : {}),
    },
  };
}

describe('CredentialGuardrailPolicy: the SCP as AWS evaluates it', () => {
  const doc = onlyDocument();
  const decide = (request: EvaluatedRequest) => evaluateGuardrail(doc, request);

  test('denies CreateAccessKey (and every other long-lived credential) by an app role', () => {
    for (const action of ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:CreateServiceSpecificCredential',
      'iam:ResetServiceSpecificCredential', 'iam:UploadSSHPublicKey', 'iam:UploadSigningCertificate']) {
      expect(decide({ action, context: { 'aws:PrincipalArn': APP_ROLE } })).toEqual({ decision: 'Deny', deniedBy: ['DenyLongLivedCredentialCreation'] });
    }
  });

  test('lets a break-glass role create an access key', () => {
    expect(decide({ action: 'iam:CreateAccessKey', context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/break-glass/emergency' } }).decision).toBe('NotDenied');
    // a role merely named like break-glass, outside the path, is not an exception
    expect(decide({ action: 'iam:CreateAccessKey', context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/break-glass-ish' } }).decision).toBe('Deny');
  });

  test('denies a token for an unlisted audience', () => {
    expect(decide(token(['https://evil.example'], 'ES384'))).toEqual({ decision: 'Deny', deniedBy: ['DenyTokenForUnlistedAudienceEs384'] });
  });

  test('denies an extra audience next to an allowed one', () => {
    expect(decide(token([SNOWFLAKE, 'https://evil.example'], 'ES384')).decision).toBe('Deny');
    expect(decide(token([ENTRA, 'https://evil.example'], 'RS256', 300)).decision).toBe('Deny');
  });

  test('allows a listed audience with its algorithm, also when DurationSeconds is omitted (STS issues 300 s)', () => {
    expect(decide(token([SNOWFLAKE], 'ES384'))).toEqual({ decision: 'NotDenied', deniedBy: [] });
    expect(decide(token([SNOWFLAKE], 'ES384', 300)).decision).toBe('NotDenied');
    expect(decide(token([ENTRA], 'RS256', 900)).decision).toBe('NotDenied');
  });

  test('keeps each audience to the algorithm it was listed with, and to that algorithm\'s lifetime', () => {
    expect(decide(token([SNOWFLAKE], 'RS256')).deniedBy).toEqual(['DenyTokenForUnlistedAudienceRs256']);
    expect(decide(token([ENTRA], 'ES384')).deniedBy).toEqual(['DenyTokenForUnlistedAudienceEs384']);
    expect(decide(token([SNOWFLAKE], 'ES384', 301)).deniedBy).toEqual(['DenyTokenOverMaxLifetimeEs384']);
    expect(decide(token([ENTRA], 'RS256', 901)).deniedBy).toEqual(['DenyTokenOverMaxLifetimeRs256']);
  });

  test('denies a request without audience or algorithm', () => {
    expect(decide({ action: 'sts:GetWebIdentityToken', context: { 'sts:SigningAlgorithm': 'ES384' } }).deniedBy).toEqual(['DenyTokenWithoutAudience']);
    expect(decide({ action: 'sts:GetWebIdentityToken', context: { 'sts:IdentityTokenAudience': [SNOWFLAKE] } }).deniedBy).toEqual(['DenyTokenWithUnlistedAlgorithm']);
  });

  test('only the platform role may disable outbound federation', () => {
    const disable = (arn: string) => decide({ action: 'iam:DisableOutboundWebIdentityFederation', context: { 'aws:PrincipalArn': arn } });
    expect(disable(APP_ROLE).deniedBy).toEqual(['DenyDisableOutboundFederation']);
    expect(disable('arn:aws:iam::111122223333:role/platform/federation-admin').decision).toBe('NotDenied');
  });

  test('leaves unrelated actions alone', () => {
    expect(decide({ action: 's3:GetObject', context: { 'aws:PrincipalArn': APP_ROLE } }).decision).toBe('NotDenied');
    expect(decide({ action: 'iam:DeleteAccessKey', context: { 'aws:PrincipalArn': APP_ROLE } }).decision).toBe('NotDenied');
  });

  test('never uses ForAnyValue:StringEquals, and the audience conditions are the complements of the grant shape', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('ForAnyValue:StringEquals');
    const unlisted = doc.Statement.find((s: any) => s.Sid === 'DenyTokenForUnlistedAudienceEs384');
    expect(unlisted.Condition).toEqual({ 'StringEquals': { 'sts:SigningAlgorithm': 'ES384' }, 'ForAnyValue:StringNotEquals': { 'sts:IdentityTokenAudience': [SNOWFLAKE] } });
    expect(doc.Statement.find((s: any) => s.Sid === 'DenyTokenWithoutAudience').Condition).toEqual({ Null: { 'sts:IdentityTokenAudience': 'true' } });
  });
});

describe('CredentialGuardrailPolicy: the resource', () => {
  test('is an SCP attached to the targets, with the exact statements', () => {
    const stack = makeStack();
    new CredentialGuardrailPolicy(stack, 'Guardrail', { targetIds: [OU, '111122223333'], breakGlassPrincipalArns: [BREAK_GLASS], allowedTokens: [{ audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384 }] });
    const [policy] = policies(stack);
    expect(policy.Type).toBe('SERVICE_CONTROL_POLICY');
    expect(policy.Name).toBe('keyless-credential-guardrail');
    expect(policy.TargetIds).toEqual([OU, '111122223333']);
    expect(policy.Content).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyLongLivedCredentialCreation', Effect: 'Deny', Resource: '*',
          Action: ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential', 'iam:UploadSSHPublicKey', 'iam:UploadSigningCertificate'],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': BREAK_GLASS } },
        },
        { Sid: 'DenyTokenWithUnlistedAlgorithm', Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: { StringNotEquals: { 'sts:SigningAlgorithm': 'ES384' } } },
        { Sid: 'DenyTokenForUnlistedAudience', Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: { 'ForAnyValue:StringNotEquals': { 'sts:IdentityTokenAudience': [SNOWFLAKE] } } },
        { Sid: 'DenyTokenWithoutAudience', Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: { Null: { 'sts:IdentityTokenAudience': 'true' } } },
        { Sid: 'DenyTokenOverMaxLifetime', Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: { NumericGreaterThan: { 'sts:DurationSeconds': '300' } } },
        { Sid: 'DenyDisableOutboundFederation', Effect: 'Deny', Action: 'iam:DisableOutboundWebIdentityFederation', Resource: '*' },
      ],
    });
  });

  test('a lifetime bound below 300 s also denies omitting DurationSeconds (it would yield a 300 s token)', () => {
    const doc = onlyDocument({ targetIds: [OU], allowedTokens: [{ audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384, maxLifetimeSeconds: 120 }] });
    expect(evaluateGuardrail(doc, token([SNOWFLAKE], 'ES384')).deniedBy).toEqual(['DenyTokenWithoutDuration']);
    expect(evaluateGuardrail(doc, token([SNOWFLAKE], 'ES384', 120)).decision).toBe('NotDenied');
    expect(evaluateGuardrail(doc, token([SNOWFLAKE], 'ES384', 121)).deniedBy).toEqual(['DenyTokenOverMaxLifetime']);
  });

  test('without allowedTokens every token request is denied, and without break-glass nobody may create credentials', () => {
    const doc = onlyDocument({ targetIds: [OU] });
    expect(evaluateGuardrail(doc, token([SNOWFLAKE], 'ES384')).deniedBy).toEqual(['DenyWebIdentityTokens']);
    expect(evaluateGuardrail(doc, { action: 'iam:CreateAccessKey', context: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/break-glass/x' } }).decision).toBe('Deny');
  });

  test('the same audience may be listed with both algorithms', () => {
    const doc = onlyDocument({ targetIds: [OU], allowedTokens: [
      { audiences: ['https://api.example'], signingAlgorithm: SigningAlgorithm.RS256 },
      { audiences: ['https://api.example'], signingAlgorithm: SigningAlgorithm.ES384 },
    ] });
    expect(evaluateGuardrail(doc, token(['https://api.example'], 'RS256')).decision).toBe('NotDenied');
    expect(evaluateGuardrail(doc, token(['https://api.example'], 'ES384')).decision).toBe('NotDenied');
    expect(evaluateGuardrail(doc, token(['https://other.example'], 'ES384')).decision).toBe('Deny');
  });

  test('an oversize policy is split into documents of at most 5,120 characters (compact JSON) on the same targets', () => {
    const stack = makeStack();
    const breakGlass = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::1111222233${String(i).padStart(2, '0')}:role/break-glass/emergency-administrator`);
    const guardrail = new CredentialGuardrailPolicy(stack, 'Guardrail', { targetIds: [OU], breakGlassPrincipalArns: breakGlass.slice(0, 40), federationAdministratorArns: breakGlass.slice(20), allowedTokens: PROPS.allowedTokens });
    const found = policies(stack);
    expect(found.map((p) => p.Name)).toEqual(['keyless-credential-guardrail', 'keyless-credential-guardrail-2']);
    for (const p of found) {
      expect(JSON.stringify(p.Content).length).toBeLessThanOrEqual(5120);
      expect(p.TargetIds).toEqual([OU]);
    }
    expect(found.flatMap((p) => p.Content.Statement)).toEqual(guardrail.statements);
    expect(JSON.stringify({ Version: '2012-10-17', Statement: guardrail.statements }).length).toBeGreaterThan(5120);
  });

  test('one statement over 5,120 characters fails with the size and the fix', () => {
    const breakGlass = Array.from({ length: 120 }, (_, i) => `arn:aws:iam::111122223${String(i).padStart(3, '0')}:role/break-glass/emergency-administrator`);
    const e = errorOf(() => new CredentialGuardrailPolicy(makeStack(), 'Guardrail', { targetIds: [OU], breakGlassPrincipalArns: breakGlass }));
    expect(e.path).toBe('Org/Guardrail');
    expect(e.rule).toBe('org-policy.size');
    expect(e.message).toMatch(/^Org\/Guardrail: invalid statements "DenyLongLivedCredentialCreation": statement DenyLongLivedCredentialCreation alone is \d{4} characters; an SCP or RCP document holds at most 5120/);
  });

  test('more than 5 SCPs on one target fails at synth, naming every policy and counting FullAWSAccess', () => {
    const fourPolicies = () => {
      const s = makeStack();
      for (let i = 0; i < 3; i++) new CredentialGuardrailPolicy(s, `G${i}`, { targetIds: [OU], policyName: `g${i}` });
      new organizations.CfnPolicy(s, 'Other', { name: 'other', type: 'SERVICE_CONTROL_POLICY', content: {}, targetIds: [OU] });
      return s;
    };
    expect(() => Template.fromStack(fourPolicies())).not.toThrow(); // 4 + FullAWSAccess = 5
    const stack = fourPolicies();
    new CredentialGuardrailPolicy(stack, 'G3', { targetIds: [OU, 'r-abcd'], policyName: 'g3' });
    expect(() => Template.fromStack(stack)).toThrow(
      `Org/G3: invalid targetIds "${OU}": AWS attaches at most 5 policies of type SERVICE_CONTROL_POLICY to one root, OU or account; this target would have 6 `
      + '(Org/G0/Policy, Org/G1/Policy, Org/G2/Policy, Org/Other, Org/G3/Policy, plus 1 already attached such as the AWS-managed full-access policy); '
      + 'attach some of them to the parent OU instead, or merge guardrails [rule org-policy.per-target]');
  });

  test('warns when a target is the stack\'s own account (SCPs do not apply to the management account)', () => {
    const stack = makeStack();
    new CredentialGuardrailPolicy(stack, 'Guardrail', { targetIds: ['999988887777'] });
    Annotations.fromStack(stack).hasWarning('/Org/Guardrail', Match.stringLikeRegexp('targetIds names 999988887777.*SCPs do not apply to it'));
  });
});

describe('CredentialGuardrailPolicy: invalid input', () => {
  const bad = (props: Partial<CredentialGuardrailPolicyProps>) => errorOf(() => new CredentialGuardrailPolicy(makeStack(), 'Guardrail', { targetIds: [OU], ...props }));

  test.each([
    [{ targetIds: [] }, 'targetIds', '[]', 'org-policy.targets'],
    [{ targetIds: ['ou-123'] }, 'targetIds[0]', '"ou-123"', 'org-policy.target-id'],
    [{ targetIds: [OU, OU] }, 'targetIds', `["${OU}","${OU}"]`, 'org-policy.target-duplicate'],
    [{ breakGlassPrincipalArns: ['arn:aws:iam::*:role/*'] }, 'breakGlassPrincipalArns[0]', '"arn:aws:iam::*:role/*"', 'principal-pattern.too-broad'],
    [{ breakGlassPrincipalArns: ['arn:aws:iam::111122223333:role/*admin'] }, 'breakGlassPrincipalArns[0]', '"arn:aws:iam::111122223333:role/*admin"', 'principal-pattern.too-broad'],
    [{ breakGlassPrincipalArns: ['arn:aws:sts::111122223333:assumed-role/admin/me'] }, 'breakGlassPrincipalArns[0]', '"arn:aws:sts::111122223333:assumed-role/admin/me"', 'principal-pattern.session'],
    [{ breakGlassPrincipalArns: ['arn:aws:iam::*:root'] }, 'breakGlassPrincipalArns[0]', '"arn:aws:iam::*:root"', 'principal-pattern.too-broad'],
    [{ federationAdministratorArns: ['platform-admin'] }, 'federationAdministratorArns[0]', '"platform-admin"', 'principal-pattern.format'],
    [{ allowedTokens: [] }, 'allowedTokens', '[]', 'org-token.count'],
    [{ allowedTokens: [{ audiences: ['a'], signingAlgorithm: SigningAlgorithm.RS256, allowedRequestTagKeys: ['team'] }] }, 'allowedTokens[0].allowedRequestTagKeys', '["team"]', 'org-token.tags'],
    [{ allowedTokens: [PROPS.allowedTokens![0], { audiences: ['api://*'], signingAlgorithm: SigningAlgorithm.RS256 }] }, 'allowedTokens[1].audiences[0]', '"api://*"', 'audience.wildcard'],
    [{ allowedTokens: [{ audiences: ['a'], signingAlgorithm: SigningAlgorithm.RS256, maxLifetimeSeconds: 7200 }] }, 'allowedTokens[0].maxLifetimeSeconds', '7200', 'lifetime.range'],
  ])('%j', (props, property, value, rule) => {
    const e = bad(props as Partial<CredentialGuardrailPolicyProps>);
    expect([e.path, e.property, e.value, e.rule]).toEqual(['Org/Guardrail', property, value, rule]);
  });

  test('a break-glass pattern that is a token is refused: it could not be checked', () => {
    const stack = makeStack();
    const role = new organizations.CfnAccount(stack, 'Acct', { accountName: 'a', email: 'a@example.com' });
    const e = errorOf(() => new CredentialGuardrailPolicy(stack, 'Guardrail', { targetIds: [OU], breakGlassPrincipalArns: [`arn:aws:iam::${role.attrAccountId}:role/bg`] }));
    expect([e.property, e.rule]).toEqual(['breakGlassPrincipalArns[0]', 'principal-pattern.literal']);
  });
});

describe('CredentialGuardrailPolicy: the same bounds as the workload grant', () => {
  const pool = [SNOWFLAKE, ENTRA, 'https://api.openai.com/v1', 'https://evil.example'];
  const request = fc.record({
    audiences: fc.option(fc.subarray(pool, { minLength: 1 }), { nil: undefined }),
    algorithm: fc.option(fc.constantFrom('RS256', 'ES384'), { nil: undefined }),
    duration: fc.option(fc.integer({ min: 60, max: 3600 }), { nil: undefined }),
  });
  const toRequest = (r: { audiences?: string[]; algorithm?: string; duration?: number }): EvaluatedRequest => ({
    action: 'sts:GetWebIdentityToken',
    context: {
      ...(r.audiences !== undefined ? { 'sts:IdentityTokenAudience': r.audiences } : {}),
      ...(r.algorithm !== undefined ? { 'sts:SigningAlgorithm': r.algorithm } : {}),
      ...(r.duration !== undefined ? { 'sts:DurationSeconds': r.duration } : {}),
    },
  });

  test.each([
    [{ audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384 }],
    [{ audiences: [ENTRA, 'https://api.openai.com/v1'], signingAlgorithm: SigningAlgorithm.RS256, maxLifetimeSeconds: 900 }],
    [{ audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384, maxLifetimeSeconds: 120 }],
  ])('for one allowed token %j, the SCP lets through exactly the requests the workload grant allows', (options) => {
    const doc = onlyDocument({ targetIds: [OU], allowedTokens: [options] });
    const { conditions } = webIdentityTokenStatementProps(makeStack(), options, 'Grant');
    const grant = { Sid: 'Grant', Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: conditions };
    fc.assert(fc.property(request, (r) => {
      const req = toRequest(r);
      expect(evaluateGuardrail(doc, req).decision === 'NotDenied').toBe(statementApplies(grant, req));
    }), { numRuns: 400 });
  });
});

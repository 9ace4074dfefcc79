import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OutboundWebIdentityFederation, WebIdentityTokenGrantOptions } from '../../lib/aws';
import { SigningAlgorithm } from '../../lib/core/token';
import { ensureHandlerCompiled, errorOf, ISSUER } from './util';

beforeAll(ensureHandlerCompiled);

const SNOWFLAKE = { audiences: ['snowflakecomputing.com'], signingAlgorithm: SigningAlgorithm.ES384 };

function setup(): { stack: Stack; role: iam.Role; fed: ReturnType<typeof OutboundWebIdentityFederation.fromIssuerUrl> } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const fed = OutboundWebIdentityFederation.fromIssuerUrl(stack, 'Federation', ISSUER);
  return { stack, role, fed };
}

function statements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('grantWebIdentityToken: the strict statement shape', () => {
  test('one statement: action, Resource *, audience set, Null, algorithm, lifetime bound', () => {
    const { stack, role, fed } = setup();
    const grant = fed.grantWebIdentityToken(role, SNOWFLAKE);
    expect(grant.success).toBe(true);
    expect(statements(stack)).toEqual([{
      Action: 'sts:GetWebIdentityToken',
      Effect: 'Allow',
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
        'Null': { 'sts:IdentityTokenAudience': 'false' },
        'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
        'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
      },
    }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: Match.stringLikeRegexp('^Workload') }] });
  });

  test('one statement per target: audiences and algorithms never mix', () => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, SNOWFLAKE);
    fed.grantWebIdentityToken(role, { audiences: ['api://AzureADTokenExchange'], signingAlgorithm: SigningAlgorithm.RS256, maxLifetimeSeconds: 600 });
    const s = statements(stack);
    expect(s).toHaveLength(2);
    expect(s.map((x) => [x.Condition['ForAllValues:StringEquals']['sts:IdentityTokenAudience'], x.Condition.StringEquals['sts:SigningAlgorithm']])).toEqual([
      [['snowflakecomputing.com'], 'ES384'],
      [['api://AzureADTokenExchange'], 'RS256'],
    ]);
    expect(s[1].Condition.NumericLessThanEqualsIfExists).toEqual({ 'sts:DurationSeconds': '600' });
  });

  test('several audiences of one target stay in one ForAllValues set', () => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, { audiences: ['https://a.example', 'https://b.example'], signingAlgorithm: SigningAlgorithm.RS256 });
    expect(statements(stack)[0].Condition['ForAllValues:StringEquals']).toEqual({ 'sts:IdentityTokenAudience': ['https://a.example', 'https://b.example'] });
  });

  test.each([[300], [301], [3600]])('bound %d >= 300: omitting DurationSeconds is allowed (NumericLessThanEqualsIfExists)', (bound) => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, { ...SNOWFLAKE, maxLifetimeSeconds: bound });
    const c = statements(stack)[0].Condition;
    expect(c.NumericLessThanEqualsIfExists).toEqual({ 'sts:DurationSeconds': String(bound) });
    expect(c.NumericLessThanEquals).toBeUndefined();
  });

  test.each([[60], [120], [299]])('bound %d < 300: DurationSeconds is required (NumericLessThanEquals)', (bound) => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, { ...SNOWFLAKE, maxLifetimeSeconds: bound });
    const c = statements(stack)[0].Condition;
    expect(c.NumericLessThanEquals).toEqual({ 'sts:DurationSeconds': String(bound) });
    expect(c.NumericLessThanEqualsIfExists).toBeUndefined();
  });

  test('allowed request tag keys add TagGetWebIdentityToken and bound aws:TagKeys, tags stay optional', () => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, { ...SNOWFLAKE, allowedRequestTagKeys: ['team', 'job'] });
    expect(statements(stack)).toEqual([{
      Action: ['sts:GetWebIdentityToken', 'sts:TagGetWebIdentityToken'],
      Effect: 'Allow',
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'], 'aws:TagKeys': ['team', 'job'] },
        'Null': { 'sts:IdentityTokenAudience': 'false' },
        'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
        'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
      },
    }]);
  });

  test('required request tags pin their values and make tags mandatory', () => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, { ...SNOWFLAKE, allowedRequestTagKeys: ['job'], requiredRequestTags: { team: 'data' } });
    expect(statements(stack)[0].Condition).toEqual({
      'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'], 'aws:TagKeys': ['job', 'team'] },
      'Null': { 'sts:IdentityTokenAudience': 'false', 'aws:TagKeys': 'false' },
      'StringEquals': { 'sts:SigningAlgorithm': 'ES384', 'aws:RequestTag/team': 'data' },
      'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
    });
  });

  test('no ForAnyValue anywhere, with every option used', () => {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, { ...SNOWFLAKE, maxLifetimeSeconds: 120, allowedRequestTagKeys: ['a'], requiredRequestTags: { b: 'c' } });
    fed.grantWebIdentityToken(role, { audiences: ['x', 'y'], signingAlgorithm: SigningAlgorithm.RS256 });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toMatch(/ForAnyValue/i);
  });

  test('the grant works on the enablement construct too, and on any grantable', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
    const fed = new OutboundWebIdentityFederation(stack, 'Federation');
    const user = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    fed.grantWebIdentityToken(user, SNOWFLAKE);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:GetWebIdentityToken', Resource: '*' })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^Other') }],
    });
  });
});

// A minimal reading of IAM condition evaluation for the operators the grant uses, to show what the
// statement allows. Semantics per the IAM policy reference: a condition on a missing key is false, except
// `...IfExists` (true when missing), `ForAllValues` (true when missing) and `Null`.
type Ctx = { [key: string]: string | string[] | undefined };
function allows(condition: { [op: string]: { [key: string]: unknown } }, ctx: Ctx): boolean {
  return Object.entries(condition).every(([op, block]) => Object.entries(block).every(([key, expected]) => {
    const want = (Array.isArray(expected) ? expected : [expected]).map(String);
    const got = ctx[key];
    const values = got === undefined ? [] : Array.isArray(got) ? got : [got];
    switch (op) {
      case 'ForAllValues:StringEquals': return values.every((v) => want.includes(v));
      case 'Null': return want[0] === 'true' ? values.length === 0 : values.length > 0;
      case 'StringEquals': return values.length > 0 && values.every((v) => want.includes(v));
      case 'NumericLessThanEquals': return values.length > 0 && Number(values[0]) <= Number(want[0]);
      case 'NumericLessThanEqualsIfExists': return values.length === 0 || Number(values[0]) <= Number(want[0]);
      default: throw new Error(`unexpected operator ${op}`);
    }
  }));
}

describe('what the statement allows (evaluated)', () => {
  function conditionFor(options: WebIdentityTokenGrantOptions): any {
    const { stack, role, fed } = setup();
    fed.grantWebIdentityToken(role, options);
    return statements(stack)[0].Condition;
  }
  const base = { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'], 'sts:SigningAlgorithm': 'ES384' };

  test('bound 300: omitted DurationSeconds (STS issues 300 s) is allowed; 300 allowed; 301 denied', () => {
    const c = conditionFor({ ...SNOWFLAKE, maxLifetimeSeconds: 300 });
    expect(allows(c, base)).toBe(true);
    expect(allows(c, { ...base, 'sts:DurationSeconds': '300' })).toBe(true);
    expect(allows(c, { ...base, 'sts:DurationSeconds': '301' })).toBe(false);
  });

  test('bound 120: omitted DurationSeconds (would be 300 s) is denied; 120 allowed; 121 denied', () => {
    const c = conditionFor({ ...SNOWFLAKE, maxLifetimeSeconds: 120 });
    expect(allows(c, base)).toBe(false);
    expect(allows(c, { ...base, 'sts:DurationSeconds': '120' })).toBe(true);
    expect(allows(c, { ...base, 'sts:DurationSeconds': '121' })).toBe(false);
  });

  test('an extra audience next to the allowed one is denied (the ForAnyValue hole is closed)', () => {
    const c = conditionFor(SNOWFLAKE);
    expect(allows(c, { ...base, 'sts:IdentityTokenAudience': ['snowflakecomputing.com', 'api://AzureADTokenExchange'] })).toBe(false);
    expect(allows(c, { ...base, 'sts:IdentityTokenAudience': [] })).toBe(false);
    expect(allows(c, { 'sts:SigningAlgorithm': 'ES384' })).toBe(false);
  });

  test('the other algorithm is denied', () => {
    expect(allows(conditionFor(SNOWFLAKE), { ...base, 'sts:SigningAlgorithm': 'RS256' })).toBe(false);
  });

  test('tags: unknown keys denied, pinned value enforced, pinned tag required', () => {
    const c = conditionFor({ ...SNOWFLAKE, allowedRequestTagKeys: ['job'], requiredRequestTags: { team: 'data' } });
    expect(allows(c, { ...base, 'aws:TagKeys': ['team', 'job'], 'aws:RequestTag/team': 'data' })).toBe(true);
    expect(allows(c, { ...base, 'aws:TagKeys': ['team', 'evil'], 'aws:RequestTag/team': 'data' })).toBe(false);
    expect(allows(c, { ...base, 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'other' })).toBe(false);
    expect(allows(c, base)).toBe(false);
  });

  test('optional tags: a request without tags is allowed', () => {
    const c = conditionFor({ ...SNOWFLAKE, allowedRequestTagKeys: ['job'] });
    expect(allows(c, base)).toBe(true);
    expect(allows(c, { ...base, 'aws:TagKeys': ['other'] })).toBe(false);
  });
});

describe('grantWebIdentityToken: validation errors name the construct and property', () => {
  function grantError(options: Partial<WebIdentityTokenGrantOptions>) {
    const { role, fed } = setup();
    return errorOf(() => fed.grantWebIdentityToken(role, { ...SNOWFLAKE, ...options } as WebIdentityTokenGrantOptions));
  }

  test.each([
    [{ audiences: [] }, 'audiences', 'audience.count', 'an STS token carries 1 to 10 audiences, got 0'],
    [{ audiences: Array.from({ length: 11 }, (_, i) => `aud-${i}`) }, 'audiences', 'audience.count', 'an STS token carries 1 to 10 audiences, got 11'],
    [{ audiences: ['a'.repeat(1001)] }, 'audiences[0]', 'audience.length', 'an audience is 1 to 1000 characters'],
    [{ audiences: [''] }, 'audiences[0]', 'audience.length', 'an audience is 1 to 1000 characters'],
    [{ audiences: ['ok', 'has space'] }, 'audiences[1]', 'audience.characters', 'printable ASCII'],
    [{ audiences: ['https://*.example'] }, 'audiences[0]', 'audience.wildcard', 'matched exactly'],
    [{ audiences: ['a', 'a'] }, 'audiences', 'audience.duplicate', 'once'],
    [{ maxLifetimeSeconds: 59 }, 'maxLifetimeSeconds', 'lifetime.range', 'from 60 to 3600'],
    [{ maxLifetimeSeconds: 3601 }, 'maxLifetimeSeconds', 'lifetime.range', 'from 60 to 3600'],
    [{ maxLifetimeSeconds: 300.5 }, 'maxLifetimeSeconds', 'lifetime.range', 'whole number'],
    [{ signingAlgorithm: 'HS256' }, 'signingAlgorithm', 'signing-algorithm.known', '"RS256" or "ES384"'],
    [{ signingAlgorithm: undefined }, 'signingAlgorithm', 'signing-algorithm.known', '"RS256" or "ES384"'],
    [{ allowedRequestTagKeys: ['has space'] }, 'allowedRequestTagKeys[0]', 'token-tag.key', 'request tag key'],
    [{ allowedRequestTagKeys: ['team*'] }, 'allowedRequestTagKeys[0]', 'token-tag.key', 'request tag key'],
    [{ allowedRequestTagKeys: ['aws:PrincipalTag'] }, 'allowedRequestTagKeys[0]', 'token-tag.key', 'reserved'],
    [{ allowedRequestTagKeys: ['Team', 'team'] }, 'allowedRequestTagKeys', 'token-tag.duplicate', 'case-insensitive'],
    [{ allowedRequestTagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }, 'allowedRequestTagKeys', 'token-tag.count', 'at most 50'],
    [{ requiredRequestTags: { team: 'a b' } }, 'requiredRequestTags.team', 'token-tag.value', 'request tag value'],
  ] as [Partial<WebIdentityTokenGrantOptions>, string, string, string][])('%j -> %s %s', (options, property, rule, reason) => {
    const e = grantError(options);
    expect(e.path).toBe('Stack/Federation');
    expect(e.property).toBe(property);
    expect(e.rule).toBe(rule);
    expect(e.message).toMatch(new RegExp(`^Stack/Federation: invalid ${property.replace(/[[\].]/g, '\\$&')} .*\\[rule ${rule.replace('.', '\\.')}\\]$`));
    expect(e.reason).toContain(reason);
  });

  test('no template is produced for bad input: the statement is not added', () => {
    const { stack, role, fed } = setup();
    expect(() => fed.grantWebIdentityToken(role, { ...SNOWFLAKE, maxLifetimeSeconds: 3601 })).toThrow(/lifetime\.range/);
    expect(statements(stack)).toEqual([]);
  });

  test('a missing grantee is named', () => {
    const { fed } = setup();
    const e = errorOf(() => fed.grantWebIdentityToken(undefined as unknown as iam.IGrantable, SNOWFLAKE));
    expect(e.rule).toBe('token-grant.grantee');
    expect(e.property).toBe('grantee');
  });

  test('an unresolved audience is passed through with a warning; an unresolved list or bound is refused', () => {
    const { stack, role, fed } = setup();
    const aud = Token.asString({ Ref: 'AudienceParam' });
    fed.grantWebIdentityToken(role, { audiences: [aud], signingAlgorithm: SigningAlgorithm.RS256 });
    expect(statements(stack)[0].Condition['ForAllValues:StringEquals']).toEqual({ 'sts:IdentityTokenAudience': [{ Ref: 'AudienceParam' }] });
    Annotations.fromStack(stack).hasWarning('/Stack/Federation', Match.stringLikeRegexp('audiences is an unresolved token'));
    expect(errorOf(() => fed.grantWebIdentityToken(role, { audiences: Token.asList({ Ref: 'L' }), signingAlgorithm: SigningAlgorithm.RS256 })).rule).toBe('audience.count');
    expect(errorOf(() => fed.grantWebIdentityToken(role, { ...SNOWFLAKE, maxLifetimeSeconds: Token.asNumber({ Ref: 'N' }) })).rule).toBe('lifetime.range');
  });
});

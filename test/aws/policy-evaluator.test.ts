import { conditionHolds, evaluateGuardrail, statementApplies } from './policy-evaluator';

const AUD = 'sts:IdentityTokenAudience';

describe('policy evaluator: condition operators', () => {
  test('StringEquals / StringNotEquals: any policy value matches; an absent key fails the positive and satisfies the negated one', () => {
    expect(conditionHolds('StringEquals', 'sts:SigningAlgorithm', ['RS256', 'ES384'], { 'sts:SigningAlgorithm': 'ES384' })).toBe(true);
    expect(conditionHolds('StringEquals', 'sts:SigningAlgorithm', 'RS256', { 'sts:SigningAlgorithm': 'ES384' })).toBe(false);
    expect(conditionHolds('StringEquals', 'sts:SigningAlgorithm', 'RS256', {})).toBe(false);
    expect(conditionHolds('StringNotEquals', 'sts:SigningAlgorithm', ['RS256', 'ES384'], { 'sts:SigningAlgorithm': 'ES384' })).toBe(false);
    expect(conditionHolds('StringNotEquals', 'sts:SigningAlgorithm', 'RS256', { 'sts:SigningAlgorithm': 'ES384' })).toBe(true);
    expect(conditionHolds('StringNotEquals', 'sts:SigningAlgorithm', 'RS256', {})).toBe(true);
  });

  test('string comparison is case-sensitive, condition key names are not', () => {
    expect(conditionHolds('StringEquals', 'STS:SigningAlgorithm', 'RS256', { 'sts:signingalgorithm': 'rs256' })).toBe(false);
    expect(conditionHolds('StringEquals', 'STS:SigningAlgorithm', 'RS256', { 'sts:signingalgorithm': 'RS256' })).toBe(true);
  });

  test('ArnLike / ArnNotLike with * and ?', () => {
    const ctx = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/break-glass/admin' };
    expect(conditionHolds('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/break-glass/*', ctx)).toBe(true);
    expect(conditionHolds('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/break-glass/*', ctx)).toBe(false);
    expect(conditionHolds('ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/other', 'arn:aws:iam::11112222333?:role/break-glass/admin'], ctx)).toBe(false);
    expect(conditionHolds('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/break-glass', ctx)).toBe(true);
  });

  test('Null tests presence', () => {
    expect(conditionHolds('Null', AUD, 'true', {})).toBe(true);
    expect(conditionHolds('Null', AUD, 'true', { [AUD]: ['a'] })).toBe(false);
    expect(conditionHolds('Null', AUD, 'false', { [AUD]: ['a'] })).toBe(true);
    expect(() => conditionHolds('Null', AUD, 'maybe', {})).toThrow(/Null takes/);
  });

  test('numeric operators and IfExists', () => {
    expect(conditionHolds('NumericGreaterThan', 'sts:DurationSeconds', '300', { 'sts:DurationSeconds': 301 })).toBe(true);
    expect(conditionHolds('NumericGreaterThan', 'sts:DurationSeconds', '300', { 'sts:DurationSeconds': 300 })).toBe(false);
    expect(conditionHolds('NumericGreaterThan', 'sts:DurationSeconds', '300', {})).toBe(false);
    expect(conditionHolds('NumericLessThanEquals', 'sts:DurationSeconds', '300', {})).toBe(false);
    expect(conditionHolds('NumericLessThanEqualsIfExists', 'sts:DurationSeconds', '300', {})).toBe(true);
    expect(conditionHolds('NumericLessThanEqualsIfExists', 'sts:DurationSeconds', '300', { 'sts:DurationSeconds': '3600' })).toBe(false);
  });

  test('ForAllValues holds when every requested value is listed (vacuously when absent); ForAnyValue when one is', () => {
    const list = ['snowflakecomputing.com', 'api://AzureADTokenExchange'];
    expect(conditionHolds('ForAllValues:StringEquals', AUD, list, { [AUD]: ['snowflakecomputing.com'] })).toBe(true);
    expect(conditionHolds('ForAllValues:StringEquals', AUD, list, { [AUD]: ['snowflakecomputing.com', 'evil'] })).toBe(false);
    expect(conditionHolds('ForAllValues:StringEquals', AUD, list, {})).toBe(true);
    expect(conditionHolds('ForAnyValue:StringEquals', AUD, list, { [AUD]: ['snowflakecomputing.com', 'evil'] })).toBe(true);
    expect(conditionHolds('ForAnyValue:StringNotEquals', AUD, list, { [AUD]: ['snowflakecomputing.com', 'evil'] })).toBe(true);
    expect(conditionHolds('ForAnyValue:StringNotEquals', AUD, list, { [AUD]: ['snowflakecomputing.com'] })).toBe(false);
    expect(conditionHolds('ForAnyValue:StringNotEquals', AUD, list, {})).toBe(false);
  });

  test('refuses what it does not model', () => {
    expect(() => conditionHolds('IpAddress', 'aws:SourceIp', '10.0.0.0/8', {})).toThrow(/unsupported operator IpAddress/);
    expect(() => conditionHolds('StringEquals', AUD, 'a', { [AUD]: ['a'] })).toThrow(/multi-valued/);
    expect(() => statementApplies({ Sid: 'S', Effect: 'Deny', Action: '*', Resource: 'arn:aws:s3:::b' }, { action: 's3:GetObject', context: {} })).toThrow(/only models "\*"/);
    expect(() => statementApplies({ Sid: 'S', Effect: 'Deny', Action: '*', Resource: '*', NotPrincipal: {} }, { action: 'x', context: {} })).toThrow(/unsupported element NotPrincipal/);
  });
});

describe('policy evaluator: statements', () => {
  test('Action wildcards are case-insensitive; NotAction applies to every other action', () => {
    const deny = { Sid: 'D', Effect: 'Deny', Action: 'iam:Create*', Resource: '*' };
    expect(statementApplies(deny, { action: 'IAM:CreateAccessKey', context: {} })).toBe(true);
    expect(statementApplies(deny, { action: 'iam:DeleteAccessKey', context: {} })).toBe(false);
    const notAction = { Sid: 'N', Effect: 'Deny', NotAction: ['sts:*'], Resource: '*' };
    expect(statementApplies(notAction, { action: 'iam:CreateAccessKey', context: {} })).toBe(true);
    expect(statementApplies(notAction, { action: 'sts:GetWebIdentityToken', context: {} })).toBe(false);
  });

  test('every operator and key of a Condition must hold (AND)', () => {
    const statement = { Sid: 'D', Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*', Condition: { StringEquals: { 'sts:SigningAlgorithm': 'RS256' }, NumericGreaterThan: { 'sts:DurationSeconds': '900' } } };
    expect(statementApplies(statement, { action: 'sts:GetWebIdentityToken', context: { 'sts:SigningAlgorithm': 'RS256', 'sts:DurationSeconds': 901 } })).toBe(true);
    expect(statementApplies(statement, { action: 'sts:GetWebIdentityToken', context: { 'sts:SigningAlgorithm': 'ES384', 'sts:DurationSeconds': 901 } })).toBe(false);
  });

  test('a document denies when any Deny statement applies, and names them', () => {
    const doc = { Statement: [
      { Sid: 'A', Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' },
      { Sid: 'B', Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin' } } },
    ] };
    expect(evaluateGuardrail(doc, { action: 'iam:CreateAccessKey', context: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/app' } })).toEqual({ decision: 'Deny', deniedBy: ['A', 'B'] });
    expect(evaluateGuardrail(doc, { action: 'iam:GetRole', context: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/admin' } })).toEqual({ decision: 'NotDenied', deniedBy: [] });
    expect(() => evaluateGuardrail({ Statement: [{ Sid: 'X', Effect: 'Allow', Action: '*', Resource: '*' }] }, { action: 'a', context: {} })).toThrow(/not a Deny/);
  });
});

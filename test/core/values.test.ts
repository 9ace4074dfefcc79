import { validateAccountId, validatePartition } from '../../lib/core/account';
import { errorOf } from '../support/validation-error';
import { isAwsOutboundIssuer, validateIssuerUrl } from '../../lib/core/issuer';
import { formatRoleArn, parseRoleArn, validateRoleName, validateRolePath } from '../../lib/core/role-arn';
import { validateAudience, validateAudiences, validateSigningAlgorithm, validateTokenLifetime } from '../../lib/core/token';

const site = { path: 'Stack/Role', property: 'prop' };
const ISSUER = 'https://a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d.tokens.sts.global.api.aws';

const error = errorOf;

describe('KeylessValidationError', () => {
  test('names the construct path, the property, the value and the rule', () => {
    const e = error(() => validateIssuerUrl(`${ISSUER}/`, { path: 'App/Stack/Federation', property: 'issuerUrl' }));
    expect(e.message).toBe(
      `App/Stack/Federation: invalid issuerUrl "${ISSUER}/": the token's iss claim has no trailing slash and relying parties compare it exactly; ` +
        `write "${ISSUER}" [rule issuer.trailing-slash]`,
    );
    expect(e).toMatchObject({ path: 'App/Stack/Federation', property: 'issuerUrl', rule: 'issuer.trailing-slash', value: `"${ISSUER}/"` });
  });

  test('cuts very long values in the message', () => {
    const e = error(() => validateAudience('a'.repeat(1001), site));
    expect(e.value.length).toBeLessThanOrEqual(200);
    expect(e.rule).toBe('audience.length');
  });
});

describe('account and partition', () => {
  test.each(['111122223333', '000000000000'])('accepts %s', (v) => expect(validateAccountId(v, site)).toBe(v));
  test.each(['11112222333', '1111222233334', '11112222333a', '', ' 111122223333'])('rejects %p', (v) => {
    expect(error(() => validateAccountId(v, site)).rule).toBe('account.format');
  });
  test('partitions', () => {
    expect(validatePartition('aws-us-gov', site)).toBe('aws-us-gov');
    expect(error(() => validatePartition('azure', site)).rule).toBe('partition.known');
  });
});

describe('role ARN', () => {
  test('formats path and name into the ARN (the token sub)', () => {
    expect(formatRoleArn({ partition: 'aws', account: '111122223333', path: '/workloads/etl/', name: 'etl-job' }, site)).toBe(
      'arn:aws:iam::111122223333:role/workloads/etl/etl-job',
    );
  });
  test('parses an ARN with a path', () => {
    expect(parseRoleArn('arn:aws-cn:iam::111122223333:role/a/b/name+=,.@_-', site)).toEqual({
      partition: 'aws-cn',
      account: '111122223333',
      path: '/a/b/',
      name: 'name+=,.@_-',
    });
  });
  test.each([
    ['arn:aws:iam::111122223333:user/alice', 'role-arn.format'],
    ['arn:aws:iam::11112222333:role/x', 'account.format'],
    ['arn:aws:iam::111122223333:role/', 'role.name'],
    ['arn:aws:iam::111122223333:role/bad name', 'role.name'],
    ["arn:aws:iam::111122223333:role/x' RSA_PUBLIC_KEY = 'y", 'role.name'],
    ['arn:aws:iam::111122223333:role/a b/x', 'role.path'],
    ['arn:aws:iam::111122223333:role/a//b', 'role.path'],
    ['arn:nope:iam::111122223333:role/x', 'partition.known'],
  ])('rejects %s (%s)', (arn, rule) => {
    expect(error(() => parseRoleArn(arn, site)).rule).toBe(rule);
  });
  test('an assumed-role session ARN is explained', () => {
    const e = error(() => parseRoleArn('arn:aws:sts::111122223333:assumed-role/etl/session', site));
    expect(e.reason).toContain('assumed-role session ARN');
  });
  test('role name and path limits', () => {
    expect(validateRoleName('a'.repeat(64), site)).toHaveLength(64);
    expect(error(() => validateRoleName('a'.repeat(65), site)).rule).toBe('role.name');
    expect(validateRolePath('/', site)).toBe('/');
    expect(error(() => validateRolePath('workloads/', site)).rule).toBe('role.path');
    expect(error(() => validateRolePath('/workloads', site)).rule).toBe('role.path');
    expect(error(() => validateRolePath(`/${'a'.repeat(511)}/`, site)).rule).toBe('role.path');
    expect(validateRolePath(`/${'a'.repeat(510)}/`, site)).toHaveLength(512);
  });
});

describe('issuer URL', () => {
  test('recognises the AWS outbound issuer', () => {
    expect(validateIssuerUrl(ISSUER, site)).toBe(ISSUER);
    expect(isAwsOutboundIssuer(ISSUER)).toBe(true);
    expect(isAwsOutboundIssuer('https://token.actions.githubusercontent.com')).toBe(false);
  });
  test('accepts other https issuers with a path', () => {
    expect(validateIssuerUrl('https://login.example.com/tenant-1/v2.0', site)).toBe('https://login.example.com/tenant-1/v2.0');
  });
  test.each([
    [`http://x.tokens.sts.global.api.aws`, 'issuer.https'],
    ['', 'issuer.https'],
    [`${ISSUER}/`, 'issuer.trailing-slash'],
    [`${ISSUER}?a=b`, 'issuer.query'],
    [`${ISSUER}#frag`, 'issuer.query'],
    [`https://user@host.example.com`, 'issuer.characters'],
    [`https://host.example.com/a b`, 'issuer.characters'],
    [`https://host.example.com/a'b`, 'issuer.characters'],
    [`https://${'a'.repeat(600)}.com`, 'issuer.length'],
  ])('rejects %p (%s)', (v, rule) => {
    expect(error(() => validateIssuerUrl(v, site)).rule).toBe(rule);
  });
});

describe('audiences, lifetime, algorithm', () => {
  test('1 to 10 audiences', () => {
    expect(validateAudiences(['a'], site)).toEqual(['a']);
    expect(validateAudiences(Array.from({ length: 10 }, (_, i) => `a${i}`), site)).toHaveLength(10);
    const none = error(() => validateAudiences([], site));
    expect(none.message).toBe('Stack/Role: invalid prop []: an STS token carries 1 to 10 audiences, got 0 [rule audience.count]');
    const eleven = error(() => validateAudiences(Array.from({ length: 11 }, (_, i) => `a${i}`), site));
    expect(eleven.rule).toBe('audience.count');
    expect(eleven.reason).toBe('an STS token carries 1 to 10 audiences, got 11');
  });
  test('each audience 1 to 1000 characters, no wildcards or spaces, no duplicates', () => {
    expect(validateAudience('x'.repeat(1000), site)).toHaveLength(1000);
    expect(error(() => validateAudiences(['ok', ''], site)).property).toBe('prop[1]');
    expect(error(() => validateAudience('a b', site)).rule).toBe('audience.characters');
    expect(error(() => validateAudience('api://*', site)).rule).toBe('audience.wildcard');
    expect(error(() => validateAudiences(['a', 'a'], site)).rule).toBe('audience.duplicate');
  });
  test('lifetime 60 to 3600 whole seconds', () => {
    expect(validateTokenLifetime(60, site)).toBe(60);
    expect(validateTokenLifetime(3600, site)).toBe(3600);
    for (const bad of [59, 3601, 300.5, Number.NaN]) {
      expect(error(() => validateTokenLifetime(bad, site)).rule).toBe('lifetime.range');
    }
    expect(error(() => validateTokenLifetime(59, site)).message).toBe(
      'Stack/Role: invalid prop 59: a token lifetime is a whole number of seconds from 60 to 3600 [rule lifetime.range]',
    );
  });
  test('RS256 or ES384 only', () => {
    expect(validateSigningAlgorithm('ES384', site)).toBe('ES384');
    expect(error(() => validateSigningAlgorithm('HS256', site)).message).toBe(
      'Stack/Role: invalid prop "HS256": STS signs with "RS256" or "ES384" only [rule signing-algorithm.known]',
    );
    expect(error(() => validateSigningAlgorithm('rs256', site)).rule).toBe('signing-algorithm.known');
  });
});

import * as fc from 'fast-check';
import { KeylessValidationError } from '../../lib/core/errors';
import {
  alterUserSetWorkloadIdentity,
  alterUserUnsetWorkloadIdentity,
  azureIssuer,
  escapeIdentifier,
  escapeStringLiteral,
  quoteIdentifier,
  SnowflakeUserRef,
  SnowflakeWorkloadIdentitySpec,
  SnowflakeWorkloadIdentityType,
  workloadIdentityPolicyFor,
} from '../../lib/core/snowflake-sql';
import { CREDENTIAL_WORDS, lexSql } from '../terraform/support/sql';

const SITE = { path: 'Stack/EtlUser', property: 'workloadIdentity' };
const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
const ARN = 'arn:aws:iam::111122223333:role/workloads/etl-role';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OBJECT_ID = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const user = () => SnowflakeUserRef.fromName('ETL_USER', { path: 'Stack/EtlUser', property: 'userName' });

function expectError(fn: () => unknown, rule: string, property: string, path = 'Stack/EtlUser'): KeylessValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(KeylessValidationError);
  const err = caught as KeylessValidationError;
  expect({ rule: err.rule, property: err.property, path: err.path }).toEqual({ rule, property, path });
  expect(err.message).toContain(`[rule ${rule}]`);
  expect(err.message.startsWith(`${path}: invalid ${property} `)).toBe(true);
  return err;
}

describe('statements', () => {
  test('AWS with issuer (outbound JWT mode)', () => {
    expect(alterUserSetWorkloadIdentity(user(), { type: SnowflakeWorkloadIdentityType.AWS, arn: ARN, issuer: ISSUER }, SITE)).toBe(
      `ALTER USER "ETL_USER" SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ARN}' ISSUER = '${ISSUER}')`,
    );
  });

  test('AWS without issuer (signed GetCallerIdentity mode)', () => {
    expect(alterUserSetWorkloadIdentity(user(), { type: SnowflakeWorkloadIdentityType.AWS, arn: ARN }, SITE)).toBe(
      `ALTER USER "ETL_USER" SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ARN}')`,
    );
  });

  test('OIDC with and without an audience list', () => {
    const spec = { type: SnowflakeWorkloadIdentityType.OIDC, issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/etl:environment:prod' };
    expect(alterUserSetWorkloadIdentity(user(), spec, SITE)).toBe(
      "ALTER USER \"ETL_USER\" SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://token.actions.githubusercontent.com' SUBJECT = 'repo:acme/etl:environment:prod')",
    );
    expect(alterUserSetWorkloadIdentity(user(), { ...spec, audiences: ['snowflakecomputing.com', 'api://etl'] }, SITE)).toBe(
      "ALTER USER \"ETL_USER\" SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = 'https://token.actions.githubusercontent.com' SUBJECT = 'repo:acme/etl:environment:prod' OIDC_AUDIENCE_LIST = ('snowflakecomputing.com', 'api://etl'))",
    );
  });

  test('AZURE and GCP', () => {
    expect(alterUserSetWorkloadIdentity(user(), { type: SnowflakeWorkloadIdentityType.AZURE, issuer: azureIssuer(TENANT, SITE), subject: OBJECT_ID }, SITE)).toBe(
      `ALTER USER "ETL_USER" SET WORKLOAD_IDENTITY = (TYPE = AZURE ISSUER = 'https://login.microsoftonline.com/${TENANT}/v2.0' SUBJECT = '${OBJECT_ID}')`,
    );
    expect(alterUserSetWorkloadIdentity(user(), { type: SnowflakeWorkloadIdentityType.GCP, subject: '110123456789012345678' }, SITE)).toBe(
      "ALTER USER \"ETL_USER\" SET WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = '110123456789012345678')",
    );
  });

  test('revert', () => {
    expect(alterUserUnsetWorkloadIdentity(user())).toBe('ALTER USER IF EXISTS "ETL_USER" UNSET WORKLOAD_IDENTITY');
  });

  test('a provider attribute reference is written as is; anything else is refused', () => {
    const ref = SnowflakeUserRef.fromProviderAttribute('${snowflake_service_user.etl.fully_qualified_name}', SITE);
    expect(alterUserUnsetWorkloadIdentity(ref)).toBe('ALTER USER IF EXISTS ${snowflake_service_user.etl.fully_qualified_name} UNSET WORKLOAD_IDENTITY');
    expect(SnowflakeUserRef.fromProviderAttribute('${TfToken[TOKEN.12]}', SITE).sql).toBe('${TfToken[TOKEN.12]}');
    expectError(() => SnowflakeUserRef.fromProviderAttribute('"X"; DROP USER Y', SITE), 'snowflake.user-reference', 'workloadIdentity');
    expectError(() => SnowflakeUserRef.fromProviderAttribute('${a} ${b}', SITE), 'snowflake.user-reference', 'workloadIdentity');
  });

  test('escaping doubles quotes and backslashes (defence in depth behind validation)', () => {
    expect(escapeStringLiteral("a'b\\c")).toBe("'a''b\\\\c'");
    expect(escapeIdentifier('a"b')).toBe('"a""b"');
    expect(lexSql(escapeStringLiteral("x' RSA_PUBLIC_KEY = 'k\\")).literals).toEqual(["x' RSA_PUBLIC_KEY = 'k\\"]);
    expect(quoteIdentifier('_etl$1', SITE)).toBe('"_etl$1"');
  });
});

describe('authentication policy values', () => {
  test('AWS allows exactly the role account', () => {
    expect(workloadIdentityPolicyFor({ type: SnowflakeWorkloadIdentityType.AWS, arn: ARN, issuer: ISSUER }, SITE)).toEqual({
      allowedProviders: ['AWS'],
      allowedAwsAccounts: ['111122223333'],
    });
  });
  test('OIDC and AZURE allow exactly the issuer, GCP the provider', () => {
    expect(workloadIdentityPolicyFor({ type: SnowflakeWorkloadIdentityType.OIDC, issuer: ISSUER, subject: ARN }, SITE)).toEqual({
      allowedProviders: ['OIDC'],
      allowedOidcIssuers: [ISSUER],
    });
    const az = azureIssuer(TENANT, SITE, 'login.microsoftonline.us');
    expect(workloadIdentityPolicyFor({ type: SnowflakeWorkloadIdentityType.AZURE, issuer: az, subject: OBJECT_ID }, SITE)).toEqual({
      allowedProviders: ['AZURE'],
      allowedAzureIssuers: [`https://login.microsoftonline.us/${TENANT}/v2.0`],
    });
    expect(workloadIdentityPolicyFor({ type: SnowflakeWorkloadIdentityType.GCP, subject: '1' }, SITE)).toEqual({ allowedProviders: ['GCP'] });
  });
});

describe('invalid input', () => {
  const aws = (arn: string, issuer?: string): SnowflakeWorkloadIdentitySpec => ({ type: SnowflakeWorkloadIdentityType.AWS, arn, ...(issuer !== undefined ? { issuer } : {}) });
  const set = (spec: SnowflakeWorkloadIdentitySpec) => () => alterUserSetWorkloadIdentity(user(), spec, SITE);

  test('bad ARNs', () => {
    expectError(set(aws('arn:aws:iam::111122223333:user/etl')), 'role-arn.format', 'workloadIdentity.arn');
    expectError(set(aws('arn:aws:sts::111122223333:assumed-role/etl/session')), 'role-arn.format', 'workloadIdentity.arn');
    expectError(set(aws('arn:aws:iam::11112222333:role/etl')), 'account.format', 'workloadIdentity.arn.account');
  });

  test("IAM-legal role paths that would break out of a literal are refused", () => {
    for (const path of ["/a'b/", '/a\\b/', '/a;b/', '/${x}/', '/%{x}/', '/a"b/']) {
      const err = expectError(set(aws(`arn:aws:iam::111122223333:role${path}etl`)), 'snowflake.sql-literal', 'workloadIdentity.arn');
      expect(err.reason).toContain('no quotes, backslashes, semicolons');
    }
  });

  test('issuer with a trailing slash, http, quotes, newline', () => {
    expectError(set(aws(ARN, `${ISSUER}/`)), 'issuer.trailing-slash', 'workloadIdentity.issuer');
    expectError(set(aws(ARN, 'http://example.com')), 'issuer.https', 'workloadIdentity.issuer');
    expectError(set(aws(ARN, "https://example.com/a'b")), 'issuer.characters', 'workloadIdentity.issuer');
    expectError(set(aws(ARN, 'https://example.com/a;b')), 'snowflake.sql-literal', 'workloadIdentity.issuer');
    expectError(set(aws(ARN, 'https://example.com\n')), 'issuer.characters', 'workloadIdentity.issuer');
  });

  test('subjects and audiences with quotes, backslashes, semicolons, newlines', () => {
    const oidc = (subject: string, audiences?: string[]): SnowflakeWorkloadIdentitySpec => ({ type: SnowflakeWorkloadIdentityType.OIDC, issuer: ISSUER, subject, ...(audiences ? { audiences } : {}) });
    for (const bad of ["a'b", 'a\\b', 'a;b', 'a\nb', 'a b', '', "x') RSA_PUBLIC_KEY = ('k"]) {
      expectError(set(oidc(bad)), 'snowflake.sql-literal', 'workloadIdentity.subject');
    }
    expectError(set(oidc('s', ["a'b"])), 'snowflake.sql-literal', 'workloadIdentity.audiences[0]');
    expectError(set(oidc('s', ['ok', 'a;b'])), 'snowflake.sql-literal', 'workloadIdentity.audiences[1]');
    expectError(set(oidc('s', ['a b'])), 'audience.characters', 'workloadIdentity.audiences[0]');
    expectError(set(oidc('s', [])), 'snowflake.oidc-audiences', 'workloadIdentity.audiences');
    expectError(set(oidc('s', ['a', 'a'])), 'snowflake.oidc-audiences', 'workloadIdentity.audiences');
  });

  test('Azure tenant, issuer and subject; GCP subject', () => {
    expectError(() => azureIssuer("x'", SITE), 'snowflake.azure-tenant', 'workloadIdentity');
    expectError(() => azureIssuer(TENANT, SITE, 'evil.example.com'), 'snowflake.azure-authority', 'authorityHost');
    expectError(set({ type: SnowflakeWorkloadIdentityType.AZURE, issuer: ISSUER, subject: OBJECT_ID }), 'snowflake.azure-issuer', 'workloadIdentity.issuer');
    expectError(set({ type: SnowflakeWorkloadIdentityType.AZURE, issuer: azureIssuer(TENANT, SITE), subject: 'not-a-guid' }), 'snowflake.azure-subject', 'workloadIdentity.subject');
    expectError(set({ type: SnowflakeWorkloadIdentityType.GCP, subject: "1'" }), 'snowflake.gcp-subject', 'workloadIdentity.subject');
  });

  test('fields that do not belong to the type, missing fields, unknown type', () => {
    expectError(set({ type: SnowflakeWorkloadIdentityType.AWS, arn: ARN, subject: 'x' }), 'snowflake.identity-fields', 'workloadIdentity.subject');
    expectError(set({ type: SnowflakeWorkloadIdentityType.GCP, subject: '1', issuer: ISSUER }), 'snowflake.identity-fields', 'workloadIdentity.issuer');
    expectError(set({ type: SnowflakeWorkloadIdentityType.OIDC, issuer: ISSUER }), 'snowflake.identity-fields', 'workloadIdentity.subject');
    expectError(set({ type: 'RSA' as SnowflakeWorkloadIdentityType }), 'snowflake.identity-type', 'workloadIdentity.type');
  });

  test('user names', () => {
    for (const bad of ['ETL"USER', 'ETL USER', 'a;b', '1ETL', '', 'x\n']) {
      expectError(() => SnowflakeUserRef.fromName(bad, { path: 'Stack/EtlUser', property: 'userName' }), 'snowflake.identifier', 'userName');
    }
  });
});

describe('property: any input yields a KeylessValidationError or exactly the intended statement', () => {
  const INJECTIONS = ["'", '\\', ';', '\n', '"', ' ', '--', '/*', '${x}', '%{x}', "' RSA_PUBLIC_KEY = 'k", "'; ALTER USER x SET PASSWORD = 'p'; --", ') ADD PROGRAMMATIC ACCESS TOKEN t', '\u0000', '\u2028', 'é'];
  /** Arbitrary strings, biased towards almost-valid values with an injection somewhere. */
  const hostile = (valid: string) =>
    fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constant(valid),
      fc.tuple(fc.integer({ min: 0, max: valid.length }), fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 8 })).map(([at, inj, tail]) => valid.slice(0, at) + inj + tail + valid.slice(at)),
      fc.string({ maxLength: 20, unit: fc.constantFrom(...'abcXYZ09:/._-@+=,\'"\\; \n$%{}()'.split('')) }).map((s) => valid + s),
    );
  const RUNS = { numRuns: 400 };

  let accepted = 0;
  let rejected = 0;
  afterAll(() => {
    // The properties are not vacuous: both outcomes happen often.
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(500);
  });

  function check(spec: SnowflakeWorkloadIdentitySpec, userName: string, expectedSkeleton: string, expectedLiterals: string[]) {
    let sql: string;
    try {
      sql = alterUserSetWorkloadIdentity(SnowflakeUserRef.fromName(userName, { path: 'S/U', property: 'userName' }), spec, SITE);
    } catch (e) {
      expect(e).toBeInstanceOf(KeylessValidationError);
      rejected++;
      return;
    }
    accepted++;
    expect(sql).not.toContain(';');
    expect(sql).not.toMatch(/[\n\r\u0000-\u001f\u2028\u2029{}]/);
    const lexed = lexSql(sql);
    expect(lexed.skeleton).toBe(expectedSkeleton);
    expect(lexed.skeleton).not.toMatch(CREDENTIAL_WORDS);
    expect(lexed.identifiers).toEqual([userName]);
    expect(lexed.literals).toEqual(expectedLiterals);
  }

  test('AWS: role ARN, issuer and user name', () => {
    fc.assert(
      fc.property(hostile(ARN), fc.option(hostile(ISSUER), { nil: undefined }), hostile('ETL_USER'), (arn, issuer, userName) => {
        const spec: SnowflakeWorkloadIdentitySpec = { type: SnowflakeWorkloadIdentityType.AWS, arn, ...(issuer !== undefined ? { issuer } : {}) };
        const skeleton = issuer !== undefined ? 'ALTER USER "?" SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = ? ISSUER = ?)' : 'ALTER USER "?" SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = ?)';
        check(spec, userName, skeleton, issuer !== undefined ? [arn, issuer] : [arn]);
      }),
      RUNS,
    );
  });

  test('OIDC: issuer, subject and audiences', () => {
    fc.assert(
      fc.property(hostile(ISSUER), hostile('repo:acme/etl:ref:refs/heads/main'), fc.array(hostile('snowflakecomputing.com'), { minLength: 1, maxLength: 3 }), (issuer, subject, audiences) => {
        const spec: SnowflakeWorkloadIdentitySpec = { type: SnowflakeWorkloadIdentityType.OIDC, issuer, subject, audiences };
        check(spec, 'ETL_USER', `ALTER USER "?" SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = ? SUBJECT = ? OIDC_AUDIENCE_LIST = (${audiences.map(() => '?').join(', ')}))`, [issuer, subject, ...audiences]);
      }),
      RUNS,
    );
  });

  test('AZURE and GCP subjects', () => {
    fc.assert(
      fc.property(hostile(`https://login.microsoftonline.com/${TENANT}/v2.0`), hostile(OBJECT_ID), hostile('110123456789012345678'), (issuer, subject, gcp) => {
        check({ type: SnowflakeWorkloadIdentityType.AZURE, issuer, subject }, 'ETL_USER', 'ALTER USER "?" SET WORKLOAD_IDENTITY = (TYPE = AZURE ISSUER = ? SUBJECT = ?)', [issuer, subject]);
        check({ type: SnowflakeWorkloadIdentityType.GCP, subject: gcp }, 'ETL_USER', 'ALTER USER "?" SET WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = ?)', [gcp]);
      }),
      RUNS,
    );
  });

  test('revert names only the user', () => {
    fc.assert(
      fc.property(hostile('ETL_USER'), (userName) => {
        let sql: string;
        try {
          sql = alterUserUnsetWorkloadIdentity(SnowflakeUserRef.fromName(userName, { path: 'S/U', property: 'userName' }));
        } catch (e) {
          expect(e).toBeInstanceOf(KeylessValidationError);
          return;
        }
        const lexed = lexSql(sql);
        expect(lexed.skeleton).toBe('ALTER USER IF EXISTS "?" UNSET WORKLOAD_IDENTITY');
        expect(lexed.identifiers).toEqual([userName]);
      }),
      RUNS,
    );
  });
});

import fc from 'fast-check';
import { findPolicyAttachments, findSqlCredentials, findWorkloadIdentities, statementUser, tokenize } from '../../../lib/guardrails/policy/sql';

describe('findSqlCredentials: examples', () => {
  test.each([
    ["ALTER USER etl SET PASSWORD = 'hunter2'", 'PASSWORD', 'etl'],
    ["alter user x set password = '...'", 'PASSWORD', 'x'],
    ["ALTER USER IF EXISTS \"Etl\" SET RSA_PUBLIC_KEY='MIIBIjAN'", 'RSA_PUBLIC_KEY', '"Etl"'],
    ["ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET RSA_PUBLIC_KEY_2 = 'MIIB'", 'RSA_PUBLIC_KEY_2', '${snowflake_service_user.etl.fully_qualified_name}'],
    ['ALTER USER etl ADD PROGRAMMATIC ACCESS TOKEN ci_token DAYS_TO_EXPIRY = 30', 'PROGRAMMATIC ACCESS TOKEN', 'etl'],
    ['alter user etl add pat ci', 'PROGRAMMATIC ACCESS TOKEN', 'etl'],
    ['ALTER USER etl ROTATE PAT ci', 'PROGRAMMATIC ACCESS TOKEN', 'etl'],
    ["CREATE OR REPLACE USER IF NOT EXISTS svc PASSWORD = 'x' TYPE = LEGACY_SERVICE", 'PASSWORD', 'svc'],
    ["CREATE STAGE s URL = 's3://b' CREDENTIALS = (AWS_KEY_ID = 'AKIA' AWS_SECRET_KEY = 'x')", 'AWS_SECRET_KEY', undefined],
    ["EXECUTE IMMEDIATE 'ALTER USER etl SET PASSWORD = ''x'''", 'PASSWORD', 'etl'],
    ["EXECUTE IMMEDIATE $$ BEGIN ALTER USER etl SET RSA_PUBLIC_KEY = 'k'; END; $$", 'RSA_PUBLIC_KEY', 'etl'],
    ["ALTER USER etl SET PASSWORD 'no equals sign'", 'PASSWORD', 'etl'],
  ])('%s', (sql, clause, user) => {
    const found = findSqlCredentials(sql);
    expect(found.map((f) => f.clause)).toContain(clause);
    expect(found.find((f) => f.clause === clause)?.user).toBe(user);
  });

  test.each([
    ["ALTER USER etl SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl' ISSUER = 'https://x.tokens.sts.global.api.aws')"],
    ['ALTER USER IF EXISTS etl UNSET WORKLOAD_IDENTITY'],
    ['ALTER USER etl UNSET RSA_PUBLIC_KEY'],
    ['ALTER USER etl UNSET RSA_PUBLIC_KEY, RSA_PUBLIC_KEY_2, PASSWORD'],
    ['ALTER USER etl RESET PASSWORD'],
    ['ALTER USER etl REMOVE PAT ci'],
    ['ALTER USER etl SET MUST_CHANGE_PASSWORD = TRUE'],
    ['ALTER USER etl SET PASSWORD POLICY db.s.pw'],
    ["ALTER USER etl SET COMMENT = 'PASSWORD = x; RSA_PUBLIC_KEY = y'"],
    ["CREATE AUTHENTICATION POLICY p AUTHENTICATION_METHODS = ('PASSWORD', 'KEYPAIR')"],
    ["ALTER USER etl SET DISPLAY_NAME = 'ADD PAT'"],
    ['-- ALTER USER etl SET PASSWORD = \'x\'\nSELECT 1'],
    ["/* ALTER USER etl SET PASSWORD = 'x' */ SELECT 1"],
    ['// ALTER USER etl ADD PAT t\nSELECT 1'],
    ['SELECT password FROM t WHERE rsa_public_key IS NULL'],
    ['ALTER USER etl SET AUTHENTICATION POLICY db.s.wif_only'],
    ["ALTER USER etl SET PASS/**/WORD = 'x'"],
    ['ALTER USER etl ADD -- PROGRAMMATIC ACCESS TOKEN\n ROLE r'],
  ])('no credential: %s', (sql) => {
    expect(findSqlCredentials(sql)).toEqual([]);
  });
});

// ---- property-based: casing, whitespace and comments never hide a clause ----

const casing = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((flags) => word.split('').map((c, i) => (flags[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

const commentText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'P', 'A', 'S', 'W', '=', "'", ';', '_', '-'), maxLength: 12 });
const gap = fc.array(
  fc.oneof(
    fc.constantFrom(' ', '\t', '\n', '\r\n', '   '),
    commentText.map((t) => `/*${t}*/`),
    commentText.map((t) => `--${t}\n`),
    commentText.map((t) => `//${t}\n`),
  ),
  { minLength: 1, maxLength: 3 },
).map((parts) => parts.join(''));

/** A statement from parts: words get random casing; every gap is whitespace and/or comments; gaps around punctuation may be empty. */
function statement(parts: (string | { lit: string })[]): fc.Arbitrary<string> {
  const tokens = parts.map((p) => (typeof p === 'string' ? (/^\w+$/.test(p) ? casing(p) : fc.constant(p)) : fc.constant(p.lit)));
  const gaps = parts.slice(1).map((p, i) => {
    const prev = parts[i];
    const wordy = (x: string | { lit: string }) => typeof x === 'string' && /^\w+$/.test(x);
    return wordy(prev) && wordy(p) ? gap : fc.oneof(fc.constant(''), gap);
  });
  return fc.tuple(gap, fc.tuple(...tokens), fc.tuple(...gaps), gap).map(([lead, ts, gs, tail]) => lead + ts.map((t, i) => (i === 0 ? t : gs[i - 1] + t)).join('') + tail);
}

const forbidden: [string, (string | { lit: string })[]][] = [
  ['PASSWORD', ['ALTER', 'USER', 'etl_user', 'SET', 'PASSWORD', '=', { lit: "'s3cr3t'" }]],
  ['RSA_PUBLIC_KEY', ['ALTER', 'USER', 'etl_user', 'SET', 'RSA_PUBLIC_KEY', '=', { lit: "'MIIBIjANBgkq'" }]],
  ['RSA_PUBLIC_KEY_2', ['ALTER', 'USER', 'etl_user', 'SET', 'RSA_PUBLIC_KEY_2', '=', { lit: "'MIIBIjANBgkq'" }]],
  ['PROGRAMMATIC ACCESS TOKEN', ['ALTER', 'USER', 'etl_user', 'ADD', 'PROGRAMMATIC', 'ACCESS', 'TOKEN', 'ci_token']],
  ['PROGRAMMATIC ACCESS TOKEN', ['ALTER', 'USER', 'etl_user', 'ADD', 'PAT', 'ci_token', 'DAYS_TO_EXPIRY', '=', { lit: '30' }]],
  ['PASSWORD', ['CREATE', 'USER', 'etl_user', 'TYPE', '=', 'LEGACY_SERVICE', 'PASSWORD', '=', { lit: "'x'" }]],
];

describe('findSqlCredentials: properties', () => {
  test.each(forbidden)('%s is found in any casing, spacing and with comments', (clause, parts) => {
    fc.assert(
      fc.property(statement(parts), (sql) => {
        const found = findSqlCredentials(sql);
        expect(found.map((f) => f.clause)).toContain(clause);
        expect(found.find((f) => f.clause === clause)?.user?.toLowerCase()).toBe('etl_user');
      }),
      { numRuns: 300 },
    );
  });

  test('a forbidden clause after a harmless statement is still found', () => {
    fc.assert(
      fc.property(statement(['GRANT', 'ROLE', 'r', 'TO', 'USER', 'etl_user']), statement(forbidden[0][1]), (a, b) => {
        expect(findSqlCredentials(`${a};${b}`).map((f) => f.clause)).toContain('PASSWORD');
      }),
      { numRuns: 200 },
    );
  });

  test('SET WORKLOAD_IDENTITY and UNSET are never findings, in any casing, spacing or comments', () => {
    const wif = statement(['ALTER', 'USER', 'etl_user', 'SET', 'WORKLOAD_IDENTITY', '=', '(', 'TYPE', '=', 'AWS', 'ARN', '=',
      { lit: "'arn:aws:iam::111122223333:role/etl'" }, 'ISSUER', '=', { lit: "'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws'" }, ')']);
    const unset = statement(['ALTER', 'USER', 'IF', 'EXISTS', 'etl_user', 'UNSET', 'RSA_PUBLIC_KEY', ',', 'RSA_PUBLIC_KEY_2', ',', 'PASSWORD']);
    fc.assert(fc.property(wif, unset, (a, b) => {
      expect(findSqlCredentials(a)).toEqual([]);
      expect(findSqlCredentials(b)).toEqual([]);
      expect(findWorkloadIdentities(a)).toEqual([{ user: expect.stringMatching(/^etl_user$/i), properties: expect.objectContaining({ TYPE: 'AWS', ARN: 'arn:aws:iam::111122223333:role/etl' }) }]);
    }), { numRuns: 300 });
  });

  test('the tokenizer never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      tokenize(s);
      findSqlCredentials(s);
      findWorkloadIdentities(s);
    }), { numRuns: 500 });
  });
});

describe('workload identities and policy attachments', () => {
  test('reads TYPE, ARN, ISSUER and the user', () => {
    const sql = "ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl' ISSUER = 'https://i.example')";
    expect(findWorkloadIdentities(sql)).toEqual([{
      user: '${snowflake_service_user.etl.fully_qualified_name}',
      properties: { TYPE: 'AWS', ARN: 'arn:aws:iam::111122223333:role/etl', ISSUER: 'https://i.example' },
    }]);
  });

  test('UNSET WORKLOAD_IDENTITY is not a workload identity', () => {
    expect(findWorkloadIdentities('ALTER USER etl UNSET WORKLOAD_IDENTITY')).toEqual([]);
  });

  test('SET AUTHENTICATION POLICY', () => {
    expect(findPolicyAttachments('ALTER USER "ETL" SET AUTHENTICATION POLICY db.sec."wif_only"')).toEqual([{ user: '"ETL"', policy: 'db.sec."wif_only"' }]);
  });

  test('statementUser: ALTER USER SET (current user) has no name', () => {
    expect(statementUser(tokenize("ALTER USER SET PASSWORD = 'x'"))).toBeUndefined();
    expect(findSqlCredentials("ALTER USER SET PASSWORD = 'x'")).toEqual([{ clause: 'PASSWORD', verb: 'SET' }]);
  });
});

import { analysisContext } from '../../../lib/guardrails/analysis';
import fc from 'fast-check';
import { mayGrantAction, objectMayGrantAction, readPolicyDocument, readPolicyDocumentFor } from '../../../lib/guardrails/policy/document';
import { GET_WEB_IDENTITY_TOKEN } from '../../../lib/core/token-statement';
import { mintingStatements } from '../../../lib/guardrails/policy/minting';
import { ASSUME_ROLE_WITH_WEB_IDENTITY, webIdentityStatements } from '../../../lib/guardrails/policy/oidc';
import { setOf, tfData } from '../rules/helpers';

const empty = setOf();
const json = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const mints = (text: string, set = empty): number[] => mintingStatements(readPolicyDocumentFor(text, analysisContext(set), GET_WEB_IDENTITY_TOKEN)).map((m) => m.statement.index);
const fullMints = (text: string, set = empty): number[] => mintingStatements(readPolicyDocument(text, analysisContext(set))).map((m) => m.statement.index);

describe('readPolicyDocumentFor (pre-check before parsing a policy string)', () => {
  test('a policy that cannot grant sts:GetWebIdentityToken is not parsed: no statements, no note', () => {
    const s3 = json({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::bucket/*' }, { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: 'arn:aws:logs:eu-west-1:1:log-group:/x:*' });
    expect(mayGrantAction(s3, GET_WEB_IDENTITY_TOKEN)).toBe(false);
    expect(readPolicyDocumentFor(s3, analysisContext(empty), GET_WEB_IDENTITY_TOKEN)).toEqual({ statements: [] });
    expect(readPolicyDocument(s3, analysisContext(empty)).statements).toHaveLength(2);
    // Not parsed at all: invalid JSON without anything that could grant the action gives no "not valid JSON" note either.
    expect(readPolicyDocumentFor('{"Statement": [ broken', analysisContext(empty), GET_WEB_IDENTITY_TOKEN)).toEqual({ statements: [] });
  });

  test.each([
    ['lower-case action', { Effect: 'Allow', Action: 'sts:getwebidentitytoken' }],
    ['upper-case action', { Effect: 'Allow', Action: ['S3:GetObject', 'STS:GETWEBIDENTITYTOKEN'] }],
    ['padded action', { Effect: 'Allow', Action: '  sts:GetWebIdentityToken ' }],
    ['Action "*"', { Effect: 'Allow', Action: '*' }],
    ['padded Action " * "', { Effect: 'Allow', Action: [' * '] }],
    ['sts:*', { Effect: 'Allow', Action: 'sts:*' }],
    ['STS:get*', { Effect: 'Allow', Action: 'STS:get*' }],
    ['?-wildcard', { Effect: 'Allow', Action: 's?s:GetWebIdentityT?ken' }],
    ['*:*', { Effect: 'Allow', Action: '*:*' }],
    ['NotAction', { Effect: 'Allow', NotAction: ['iam:PassRole', 's3:GetObject'] }],
    ['notaction key in any case', { effect: 'Allow', NOTACTION: 's3:GetObject' }],
  ])('%s: never skipped, same minting statements as a full read', (_label, statement) => {
    // No Resource (it covers "*" too): a literal "*" elsewhere would make the pre-check parse for another reason.
    const text = json({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, statement);
    expect(mayGrantAction(text, GET_WEB_IDENTITY_TOKEN)).toBe(true);
    expect(mints(text)).toEqual([1]);
    expect(mints(text)).toEqual(fullMints(text));
  });

  test('JSON escapes and non-ASCII characters that could hide the action are never skipped', () => {
    const escaped = '{"Statement":[{"Effect":"Allow","Action":"sts:\\u0047etWebIdentityToken"}]}';
    expect(JSON.parse(escaped).Statement[0].Action).toBe('sts:GetWebIdentityToken');
    expect(mints(escaped)).toEqual([0]);
    // U+212A KELVIN SIGN lower-cases to "k": grantOf compares lower case, so this is an exact grant.
    const kelvin = json({ Effect: 'Allow', Action: 'sts:GetWebIdentityTo\u212Aen' });
    expect(mints(kelvin)).toEqual(fullMints(kelvin));
    expect(mints(kelvin)).toEqual([0]);
  });

  test('strings that are not a JSON object literal are read in full (data source reference)', () => {
    const data = tfData('aws_iam_policy_document', 'mint', { statement: [{ actions: ['sts:GetWebIdentityToken'], resources: ['*'] }] });
    const set = setOf(data);
    expect(mints('${data.aws_iam_policy_document.mint.json}', set)).toEqual([0]);
    expect(mints('  ${data.aws_iam_policy_document.mint.json}  ', set)).toEqual([0]);
  });

  test('objects (CloudFormation) that cannot grant the action are not normalized; anything that might is', () => {
    const s3 = { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] };
    expect(readPolicyDocumentFor(s3, analysisContext(empty), GET_WEB_IDENTITY_TOKEN)).toEqual({ statements: [] });
    expect(readPolicyDocument(s3, analysisContext(empty)).statements).toHaveLength(1);
    const may = (d: Record<string, unknown>): boolean => objectMayGrantAction(d, GET_WEB_IDENTITY_TOKEN);
    expect(may({ Statement: { Effect: 'Allow', Action: 'STS:getWebIdentityToken ' } })).toBe(true);
    expect(may({ statement: [{ effect: 'Allow', action: 'sts:GetWebIdentityToken' }] })).toBe(true);
    expect(may({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'sts:Get*'] }] })).toBe(true);
    expect(may({ Statement: [{ Effect: 'Allow', NotAction: 's3:GetObject' }] })).toBe(true);
    expect(may({ Statement: [{ Effect: 'Allow', notaction: 's3:GetObject' }] })).toBe(true);
    expect(may({ Statement: [{ Effect: 'Allow', Action: { 'Fn::If': ['C', 'sts:GetWebIdentityToken', 's3:GetObject'] } }] })).toBe(true);
    expect(may({ Statement: { 'Fn::If': ['C', [], []] } })).toBe(true);
    expect(may({ Statement: [{ 'Fn::If': ['C', {}, {}] }] })).toBe(true);
    // An intrinsic document (Fn::Join building JSON) is read in full.
    const join = { 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*"}]}']] };
    expect(mintingStatements(readPolicyDocumentFor(join, analysisContext(empty), GET_WEB_IDENTITY_TOKEN))).toHaveLength(1);
  });

  test('trust policies: only AssumeRoleWithWebIdentity (any case), wildcards or NotAction are parsed', () => {
    const provider = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
    const trust = (action: Record<string, unknown>): string => json({ Effect: 'Allow', Principal: { Federated: provider }, ...action });
    const web = (text: string): number => webIdentityStatements(readPolicyDocumentFor(text, analysisContext(empty), ASSUME_ROLE_WITH_WEB_IDENTITY), analysisContext(empty)).length;
    expect(web(trust({ Action: 'sts:assumerolewithwebidentity' }))).toBe(1);
    expect(web(trust({ Action: 'sts:Assume*' }))).toBe(1);
    expect(web(trust({ NotAction: 'sts:AssumeRole' }))).toBe(1);
    const service = json({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(mayGrantAction(service, ASSUME_ROLE_WITH_WEB_IDENTITY)).toBe(false);
  });

  test('property: the pre-check never changes the minting or web identity statements found', () => {
    const actions = fc.constantFrom(
      'sts:GetWebIdentityToken', 'sts:getwebidentitytoken', 'STS:GETWEBIDENTITYTOKEN', 'sts:AssumeRoleWithWebIdentity', 'sts:assumerolewithwebidentity',
      'sts:AssumeRole', 's3:GetObject', 's3:Get*', 'sts:*', 'sts:Get*', '*', ' * ', 'st?:GetWebIdentityToken', 'logs:*', 'sts:GetCallerIdentity',
      'iam:PassRole', '${var.action}', 'sts:GetWebIdentityTo\u212Aen',
    );
    const statement = fc.record({
      effect: fc.constantFrom('Allow', 'allow', 'Deny'),
      key: fc.constantFrom('Action', 'action', 'NotAction', 'notAction', 'NOTACTION'),
      actions: fc.array(actions, { minLength: 1, maxLength: 3 }),
      resource: fc.constantFrom(undefined, '*', 'arn:aws:s3:::b/*', '${aws_s3_bucket.b.arn}', 'arn:aws:logs:eu-west-1:1:log-group:/x:*'),
      federated: fc.boolean(),
    }).map((s) => ({
      Effect: s.effect,
      [s.key]: s.actions.length === 1 ? s.actions[0] : s.actions,
      ...(s.resource !== undefined ? { Resource: s.resource } : {}),
      ...(s.federated ? { Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' } } : {}),
    }));
    fc.assert(fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.boolean(), (statements, escape) => {
      let text = json(...statements);
      if (escape) text = text.replace(/G/g, '\\u0047');
      expect(mints(text)).toEqual(fullMints(text));
      const webFor = webIdentityStatements(readPolicyDocumentFor(text, analysisContext(empty), ASSUME_ROLE_WITH_WEB_IDENTITY), analysisContext(empty)).map((w) => w.statement.index);
      const webFull = webIdentityStatements(readPolicyDocument(text, analysisContext(empty)), analysisContext(empty)).map((w) => w.statement.index);
      expect(webFor).toEqual(webFull);
      // The same statements as a CloudFormation object.
      const object = JSON.parse(json(...statements)) as Record<string, unknown>;
      const objectFor = mintingStatements(readPolicyDocumentFor(object, analysisContext(empty), GET_WEB_IDENTITY_TOKEN)).map((m) => m.statement.index);
      expect(objectFor).toEqual(mintingStatements(readPolicyDocument(object, analysisContext(empty))).map((m) => m.statement.index));
      const objectWeb = webIdentityStatements(readPolicyDocumentFor(object, analysisContext(empty), ASSUME_ROLE_WITH_WEB_IDENTITY), analysisContext(empty)).map((w) => w.statement.index);
      expect(objectWeb).toEqual(webFull);
    }), { numRuns: 300 });
  });
});

import { analysisContext } from '../../../lib/guardrails/analysis';
import { actionMatches, conditionsOn, grantOf } from '../../../lib/guardrails/policy/actions';
import { parseOperator, readPolicyDocument } from '../../../lib/guardrails/policy/document';
import { setOf, tf, tfData } from '../rules/helpers';

const empty = setOf();

describe('readPolicyDocument', () => {
  test('object with a single statement object', () => {
    const d = readPolicyDocument({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' } }, analysisContext(empty));
    expect(d.statements).toHaveLength(1);
    expect(d.statements[0]).toMatchObject({ effect: 'Allow', actions: ['sts:GetWebIdentityToken'], resources: ['*'] });
  });

  test('JSON string (Terraform), with interpolations inside values', () => {
    const json = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '${aws_s3_bucket.b.arn}/*' }] });
    const d = readPolicyDocument(json, analysisContext(empty));
    expect(d.unresolved).toBeUndefined();
    expect(d.statements[0].actions).toEqual(['s3:GetObject']);
  });

  test('Fn::Join that builds JSON', () => {
    const d = readPolicyDocument({ 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"', { Ref: 'X' }, '"}]}']] }, analysisContext(empty));
    expect(d.statements[0].actions).toEqual(['sts:*']);
  });

  test('Fn::If around the Statement list, a statement or a Condition block: each branch a statement, with the outcomes that deploy it', () => {
    const s = (sid: string) => ({ Sid: sid, Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' });
    const d = readPolicyDocument({
      Statement: { 'Fn::If': ['A', [s('Always'), { 'Fn::If': ['B', s('OnlyB'), { Ref: 'AWS::NoValue' }] }], { Ref: 'AWS::NoValue' }] },
    }, analysisContext(empty));
    expect(d.unresolved).toBeUndefined();
    expect(d.statements.map((x) => [x.sid, x.index, x.when])).toEqual([
      ['Always', 0, ['condition A is true']],
      ['OnlyB', 1, ['condition A is true', 'condition B is true']],
    ]);
    const c = readPolicyDocument({ Statement: [{ ...s('C'), Condition: { 'Fn::If': ['Strict', { Bool: { 'aws:SecureTransport': 'true' } }, { Ref: 'AWS::NoValue' }] } }] }, analysisContext(empty));
    expect(c.statements.map((x) => [x.when, x.conditions.map((k) => k.key), x.conditionsUnresolved])).toEqual([
      [['condition Strict is true'], ['aws:SecureTransport'], false],
      [['condition Strict is false'], [], false],
    ]);
    expect(readPolicyDocument({ Statement: { 'Fn::If': ['A', { Ref: 'List' }, []] } }, analysisContext(empty)).unresolved)
      .toBe('the Statement list (deployed when condition A is true) is not a literal');
  });

  test('invalid JSON and expressions are unresolved, never thrown', () => {
    expect(readPolicyDocument('{not json', analysisContext(empty)).unresolved).toMatch(/not valid JSON/);
    expect(readPolicyDocument('${var.policy}', analysisContext(empty)).unresolved).toMatch(/expression/);
    expect(readPolicyDocument({ Ref: 'P' }, analysisContext(empty)).unresolved).toMatch(/intrinsic/);
  });

  test('a data "aws_iam_policy_document" referenced by ${data....json}', () => {
    const data = tfData('aws_iam_policy_document', 'mint', {
      statement: [{
        sid: 'Mint',
        actions: ['sts:GetWebIdentityToken'],
        resources: ['*'],
        condition: [
          { test: 'ForAllValues:StringEquals', variable: 'sts:IdentityTokenAudience', values: ['snowflakecomputing.com'] },
          { test: 'Null', variable: 'sts:IdentityTokenAudience', values: ['false'] },
        ],
      }],
    });
    const policy = tf('aws_iam_role_policy', 'p', { policy: '${data.aws_iam_policy_document.mint.json}' });
    const d = readPolicyDocument(policy.properties.policy, analysisContext(setOf(policy, data)));
    expect(d.statements).toHaveLength(1);
    expect(d.statements[0]).toMatchObject({ sid: 'Mint', effect: 'Allow' });
    expect(conditionsOn(d.statements[0], 'STS:IDENTITYTOKENAUDIENCE').map((c) => c.operator)).toEqual(['ForAllValues:StringEquals', 'Null']);
  });

  test('data source principals and source_policy_documents', () => {
    const base = tfData('aws_iam_policy_document', 'base', { statement: { actions: ['s3:*'], resources: ['*'] } });
    const trust = tfData('aws_iam_policy_document', 'trust', {
      source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
      statement: [{ actions: ['sts:AssumeRoleWithWebIdentity'], principals: [{ type: 'Federated', identifiers: ['arn:aws:iam::111122223333:oidc-provider/x.example.com'] }] }],
    });
    const d = readPolicyDocument('${data.aws_iam_policy_document.trust.json}', analysisContext(setOf(base, trust)));
    expect(d.statements).toHaveLength(2);
    expect(d.statements[1].principal).toEqual({ Federated: ['arn:aws:iam::111122223333:oidc-provider/x.example.com'] });
  });
});

describe('operators and actions', () => {
  test('parseOperator', () => {
    expect(parseOperator('ForAllValues:StringEquals')).toEqual({ base: 'stringequals', qualifier: 'forallvalues', ifExists: false });
    expect(parseOperator('NumericLessThanEqualsIfExists')).toEqual({ base: 'numericlessthanequals', ifExists: true });
    expect(parseOperator('foranyvalue:stringlike')).toEqual({ base: 'stringlike', qualifier: 'foranyvalue', ifExists: false });
  });

  test.each([
    ['sts:GetWebIdentityToken', true],
    ['STS:getwebidentitytoken', true],
    ['sts:*', true],
    ['sts:Get*', true],
    ['sts:Get?ebIdentityToken', true],
    ['*', true],
    ['sts:GetWebIdentityTokens', false],
    ['sts:Assume*', false],
    ['s3:*', false],
  ])('%s matches sts:GetWebIdentityToken: %s', (pattern, expected) => {
    expect(actionMatches(pattern, 'sts:GetWebIdentityToken')).toBe(expected);
  });

  test('grantOf tells exact, wildcard, NotAction and unknown', () => {
    const st = (x: Record<string, unknown>) => readPolicyDocument({ Statement: { Effect: 'Allow', ...x } }, analysisContext(empty)).statements[0];
    expect(grantOf(st({ Action: ['s3:GetObject', 'STS:GetWebIdentityToken'] }), 'sts:GetWebIdentityToken')).toEqual({ kind: 'exact' });
    expect(grantOf(st({ Action: 'sts:Get*' }), 'sts:GetWebIdentityToken')).toEqual({ kind: 'wildcard', pattern: 'sts:Get*' });
    expect(grantOf(st({ NotAction: 's3:*' }), 'sts:GetWebIdentityToken')).toEqual({ kind: 'not-action' });
    expect(grantOf(st({ NotAction: 'sts:*' }), 'sts:GetWebIdentityToken')).toEqual({ kind: 'none' });
    expect(grantOf(st({ Action: '${var.actions}' }), 'sts:GetWebIdentityToken')).toEqual({ kind: 'unknown' });
    expect(grantOf(st({ Action: 's3:GetObject' }), 'sts:GetWebIdentityToken')).toEqual({ kind: 'none' });
  });
});

import { buildPolicyDocument } from '../../../lib/guardrails/normalize/policy-document';

const build = (body: Record<string, unknown>) => {
  const problems: string[] = [];
  return { doc: JSON.parse(buildPolicyDocument(body, problems)), problems };
};

describe('buildPolicyDocument (data "aws_iam_policy_document" → policy JSON)', () => {
  test('statement fields map to IAM JSON; one-element lists render as strings; Effect defaults to Allow', () => {
    expect(build({
      policy_id: 'etl',
      statement: [{
        sid: 'Mint',
        actions: ['sts:GetWebIdentityToken'],
        resources: ['*'],
        condition: [
          { test: 'ForAllValues:StringEquals', variable: 'sts:IdentityTokenAudience', values: ['snowflakecomputing.com', 'api://AzureADTokenExchange'] },
          { test: 'Null', variable: 'sts:IdentityTokenAudience', values: ['false'] },
          { test: 'NumericLessThanEquals', variable: 'sts:DurationSeconds', values: [900] },
        ],
      }, {
        effect: 'Deny',
        not_actions: ['s3:GetObject', 's3:ListBucket'],
        not_resources: ['arn:aws:s3:::b/*'],
      }],
    })).toEqual({
      doc: {
        Version: '2012-10-17',
        Id: 'etl',
        Statement: [{
          Sid: 'Mint',
          Effect: 'Allow',
          Action: 'sts:GetWebIdentityToken',
          Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com', 'api://AzureADTokenExchange'] },
            'Null': { 'sts:IdentityTokenAudience': 'false' },
            'NumericLessThanEquals': { 'sts:DurationSeconds': 900 },
          },
        }, {
          Effect: 'Deny',
          NotAction: ['s3:GetObject', 's3:ListBucket'],
          NotResource: 'arn:aws:s3:::b/*',
        }],
      },
      problems: [],
    });
  });

  test('principals: grouped by type, "*" type with "*" identifiers renders as "*"', () => {
    const { doc } = build({
      statement: {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [
          { type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.gh.arn}'] },
          { type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root'] },
          { type: 'AWS', identifiers: ['arn:aws:iam::222222222222:root'] },
        ],
        not_principals: { type: '*', identifiers: ['*'] },
      },
    });
    expect(doc.Statement[0].Principal).toEqual({
      Federated: '${aws_iam_openid_connect_provider.gh.arn}',
      AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'],
    });
    expect(doc.Statement[0].NotPrincipal).toBe('*');
  });

  test('conditions with the same test and variable merge their values', () => {
    const { doc } = build({
      statement: [{
        actions: ['sts:AssumeRoleWithWebIdentity'],
        condition: [
          { test: 'StringLike', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/a:*'] },
          { test: 'StringLike', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/b:*'] },
        ],
      }],
    });
    expect(doc.Statement[0].Condition).toEqual({ StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/a:*', 'repo:acme/b:*'] } });
  });

  test('unknown values stay ${...} strings', () => {
    const { doc } = build({ statement: [{ actions: '${var.actions}', resources: ['${aws_s3_bucket.b.arn}/*'] }] });
    expect(doc.Statement[0]).toEqual({ Effect: 'Allow', Action: '${var.actions}', Resource: '${aws_s3_bucket.b.arn}/*' });
  });

  test('source documents come first, same-Sid statements are replaced, overrides replace or append', () => {
    const source = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'a:1' }, { Sid: 'B', Effect: 'Allow', Action: 'b:1' }] });
    const override = JSON.stringify({ Statement: [{ Sid: 'B', Effect: 'Deny', Action: 'b:2' }, { Effect: 'Allow', Action: 'c:1' }] });
    const { doc, problems } = build({
      source_policy_documents: [source],
      override_policy_documents: [override],
      statement: [{ sid: 'A', actions: ['a:2'] }, { actions: ['d:1'] }],
    });
    expect(doc.Statement).toEqual([
      { Sid: 'A', Effect: 'Allow', Action: 'a:2' },
      { Sid: 'B', Effect: 'Deny', Action: 'b:2' },
      { Effect: 'Allow', Action: 'd:1' },
      { Effect: 'Allow', Action: 'c:1' },
    ]);
    expect(problems).toEqual([]);
  });

  test('documents that are not statically known and dynamic statements are reported, the rest is read', () => {
    const { doc, problems } = build({
      source_policy_documents: ['${var.base}'],
      override_json: '${data.external.x.result}',
      statement: [{ actions: ['s3:GetObject'] }],
      dynamic: { statement: [{ for_each: '${var.l}', content: [{ actions: ['x:y'] }] }] },
    });
    expect(doc).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    expect(problems).toEqual([
      'source policy document ${var.base} is not statically known',
      'override policy document ${data.external.x.result} is not statically known',
      'dynamic "statement" blocks whose for_each is not known statically are not expanded',
    ]);
  });

  test('version is kept when given', () => {
    expect(build({ version: '2008-10-17' }).doc).toEqual({ Version: '2008-10-17', Statement: [] });
  });
});

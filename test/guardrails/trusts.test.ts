import { analysisContext } from '../../lib/guardrails/analysis';
import { findTrusts, targetKindOfAudience } from '../../lib/guardrails/trusts';
import { cfn, doc, setOf, strictMint, tf } from './rules/helpers';

const ISSUER = 'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws';
const GH = 'token.actions.githubusercontent.com';

describe('findTrusts', () => {
  test('Entra FIC', () => {
    const set = setOf(
      tf('azuread_application', 'etl', { display_name: 'etl-app' }),
      tf('azuread_application_federated_identity_credential', 'aws', { application_id: '${azuread_application.etl.id}', display_name: 'aws', issuer: ISSUER, subject: 'arn:aws:iam::111122223333:role/etl', audiences: ['api://AzureADTokenExchange'] }),
    );
    expect(findTrusts(analysisContext(set))).toEqual([{
      workload: 'arn:aws:iam::111122223333:role/etl',
      target: 'azuread_application.etl (etl-app)',
      targetAddress: 'azuread_application.etl',
      targetKind: 'entra',
      issuer: ISSUER,
      subject: 'arn:aws:iam::111122223333:role/etl',
      audience: 'api://AzureADTokenExchange',
      algorithm: 'RS256', // what Entra verifies
      side: 'relying-party',
      file: 'cdk.tf.json',
      resource: 'azuread_application_federated_identity_credential.aws',
    }]);
  });

  test('Snowflake workload identity from SQL', () => {
    const set = setOf(
      tf('snowflake_service_user', 'etl', { name: 'ETL' }),
      tf('snowflake_execute', 'wif', { execute: `ALTER USER \${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl' ISSUER = '${ISSUER}')` }),
    );
    expect(findTrusts(analysisContext(set))).toEqual([{
      workload: 'arn:aws:iam::111122223333:role/etl',
      target: 'snowflake_service_user.etl (ETL)',
      targetAddress: 'snowflake_service_user.etl',
      targetKind: 'snowflake',
      issuer: ISSUER,
      subject: 'arn:aws:iam::111122223333:role/etl',
      audience: 'snowflakecomputing.com',
      algorithm: 'ES384', // what Snowflake verifies
      side: 'relying-party',
      file: 'cdk.tf.json',
      resource: 'snowflake_execute.wif',
    }]);
  });

  test('strict minting statements, one trust per attached role and audience; unbound statements are not trusts', () => {
    const set = setOf(
      cfn('AWS::IAM::Role', 'EtlRole', { RoleName: 'etl', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }),
      cfn('AWS::IAM::Policy', 'Mint', { Roles: [{ Ref: 'EtlRole' }], PolicyDocument: doc(strictMint('snowflakecomputing.com'), strictMint('https://api.openai.com/v1'), { Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*' }) }),
      cfn('AWS::IAM::ManagedPolicy', 'Mp', { PolicyDocument: doc(strictMint('api://AzureADTokenExchange')) }),
      cfn('AWS::IAM::Role', 'Other', { AssumeRolePolicyDocument: {}, ManagedPolicyArns: [{ Ref: 'Mp' }] }),
    );
    const trusts = findTrusts(analysisContext(set));
    expect(trusts.map((t) => [t.workload, t.target, t.targetKind, t.resource])).toEqual([
      ['etl', 'snowflakecomputing.com', 'snowflake', 'Mint'],
      ['etl', 'https://api.openai.com/v1', 'openai', 'Mint'],
      ['Other', 'api://AzureADTokenExchange', 'entra', 'Mp'],
    ]);
  });

  test('Terraform: policy attached with aws_iam_role_policy_attachment', () => {
    const set = setOf(
      tf('aws_iam_role', 'etl', { name: 'etl-role', assume_role_policy: '{}' }),
      tf('aws_iam_policy', 'mint', { policy: JSON.stringify(doc(strictMint('https://api.anthropic.com'))) }),
      tf('aws_iam_role_policy_attachment', 'a', { role: '${aws_iam_role.etl.name}', policy_arn: '${aws_iam_policy.mint.arn}' }),
    );
    expect(findTrusts(analysisContext(set)).map((t) => [t.workload, t.targetKind, t.resource])).toEqual([['etl-role', 'anthropic', 'aws_iam_policy.mint']]);
  });

  test('inbound OIDC role trust', () => {
    const set = setOf(cfn('AWS::IAM::Role', 'Deploy', { AssumeRolePolicyDocument: doc({
      Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${GH}` }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: 'repo:org/app:*' } },
    }) }));
    expect(findTrusts(analysisContext(set))).toEqual([{
      workload: 'repo:org/app:*',
      target: 'Deploy',
      targetAddress: 'Deploy',
      targetKind: 'aws-role',
      issuer: `https://${GH}`,
      subject: 'repo:org/app:*',
      audience: 'sts.amazonaws.com',
      side: 'inbound',
      file: 'Stack.template.json',
      resource: 'Deploy',
    }]);
  });

  test('the minting side: the role\'s construct path, its ARN as subject, the account\'s issuer and the pinned algorithm', () => {
    const role = { ...cfn('AWS::IAM::Role', 'Role1ABCC5F0', { RoleName: 'orders-etl', Path: '/workloads/', AssumeRolePolicyDocument: {} }), constructPath: 'OrdersEtl/Role/Resource' };
    const mint = cfn('AWS::IAM::Policy', 'Mint', { Roles: [{ Ref: 'Role1ABCC5F0' }], PolicyDocument: doc(strictMint('snowflakecomputing.com')) }); // pins ES384
    const sw = cfn('Custom::KeylessOutboundWebIdentityFederation', 'Switch', { ExpectedIssuerUrl: ISSUER });
    const withAccount = { ...setOf(role, mint, sw), account: '111122223333' };
    expect(findTrusts(analysisContext(withAccount))).toEqual([{
      workload: 'orders-etl', workloadName: 'OrdersEtl/Role/Resource', target: 'snowflakecomputing.com', targetKind: 'snowflake',
      issuer: ISSUER, subject: 'arn:aws:iam::111122223333:role/workloads/orders-etl', audience: 'snowflakecomputing.com', algorithm: 'ES384',
      side: 'minting', file: 'Stack.template.json', resource: 'Mint',
    }]);
    // without the stack's account there is no ARN (and so no issuer to pair it with); without the switch, no issuer
    expect(findTrusts(analysisContext(setOf(role, mint, sw)))[0]).toEqual(expect.not.objectContaining({ subject: expect.anything() }));
    expect(findTrusts(analysisContext({ ...setOf(role, mint), account: '111122223333' }))[0]).toEqual(expect.not.objectContaining({ issuer: expect.anything() }));
  });

  test('targetKindOfAudience', () => {
    expect(targetKindOfAudience('snowflakecomputing.com')).toBe('snowflake');
    expect(targetKindOfAudience('api://AzureADTokenExchangeUSGov')).toBe('entra');
    expect(targetKindOfAudience('https://api.openai.com/v1')).toBe('openai');
    expect(targetKindOfAudience('https://api.anthropic.com')).toBe('anthropic');
    expect(targetKindOfAudience('https://vault.example.com')).toBe('oidc');
    expect(targetKindOfAudience('https://api.openai.com.evil.example')).toBe('oidc');
  });
});

import { KL_TR_01 } from '../../../lib/guardrails/rules/kl-tr-01-oidc-audience';
import { cfn, check, doc, setOf, tf, tfData } from './helpers';

const GH = 'token.actions.githubusercontent.com';
const ghArn = `arn:aws:iam::111122223333:oidc-provider/${GH}`;
const trust = (condition?: Record<string, unknown>, federated: unknown = ghArn) =>
  doc({ Effect: 'Allow', Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) });
const pinned = { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } };

describe('KL-TR-01 OIDC trust without an audience condition', () => {
  test('CloudFormation role trusting GitHub with only a sub condition', () => {
    const role = cfn('AWS::IAM::Role', 'DeployRole', { AssumeRolePolicyDocument: trust({ StringLike: { [`${GH}:sub`]: 'repo:org/app:*' } }) });
    const hits = check(KL_TR_01, role);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/role DeployRole AssumeRolePolicyDocument statement #1 lets the OIDC provider token\.actions\.githubusercontent\.com assume it .* without a token\.actions\.githubusercontent\.com:aud condition/);
    expect(hits[0].message).toMatch(/Fix: Add StringEquals/);
    expect(KL_TR_01.severity).toBe('error');
  });

  test('Terraform assume_role_policy JSON string, provider ARN built with an interpolation', () => {
    const role = tf('aws_iam_role', 'deploy', { assume_role_policy: JSON.stringify(trust({ StringEquals: { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } }, `arn:aws:iam::\${data.aws_caller_identity.current.account_id}:oidc-provider/${GH}`)) });
    expect(check(KL_TR_01, role)).toHaveLength(1);
  });

  test('an audience wildcard is no audience', () => {
    const role = cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: trust({ StringLike: { [`${GH}:aud`]: '*', [`${GH}:sub`]: 'repo:org/app:*' } }) });
    expect(check(KL_TR_01, role)[0].message).toMatch(/only the wildcard/);
  });

  test('audience condition on another provider\'s key does not count', () => {
    const role = cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: trust({ StringEquals: { 'gitlab.com:aud': 'x', [`${GH}:sub`]: 'repo:org/app:*' } }) });
    expect(check(KL_TR_01, role)).toHaveLength(1);
  });

  test('clean: aud and sub pinned (CFN, Fn::Join principal) and via a data "aws_iam_policy_document"', () => {
    const joined = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:oidc-provider/${GH}`]] };
    expect(check(KL_TR_01, cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: trust(pinned, joined) }))).toEqual([]);
    const data = tfData('aws_iam_policy_document', 'trust', { statement: [{
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.gh.arn}'] }],
      condition: [
        { test: 'StringEquals', variable: `${GH}:aud`, values: ['sts.amazonaws.com'] },
        { test: 'StringLike', variable: `${GH}:sub`, values: ['repo:org/app:*'] },
      ],
    }] });
    const provider = tf('aws_iam_openid_connect_provider', 'gh', { url: `https://${GH}` });
    const role = tf('aws_iam_role', 'r', { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' });
    expect(check(KL_TR_01, role, setOf(provider, data, role))).toEqual([]);
  });

  test('clean: service principal trusts are not OIDC trusts', () => {
    const role = cfn('AWS::IAM::Role', 'Fn', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) });
    expect(check(KL_TR_01, role)).toEqual([]);
  });
});

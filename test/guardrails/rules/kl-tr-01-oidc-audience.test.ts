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

describe('KL-TR-01: what counts as an audience pin, and the risk the message states', () => {
  const sub = { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' };

  test('the risk is the provider\'s client-id list, not "any audience"', () => {
    const role = cfn('AWS::IAM::Role', 'DeployRole', { AssumeRolePolicyDocument: trust({ StringEquals: sub }) });
    const [hit] = check(KL_TR_01, role);
    expect(hit.message).toMatch(/STS accepts only tokens whose aud is in the OIDC provider's client-id list, so the role accepts a token for any audience on that list/);
    expect(hit.message).not.toMatch(/for any other audience \(other clouds/);
  });

  test('a built-in provider has no client-id list: Cognito without aud accepts any identity pool', () => {
    const cognito = 'cognito-identity.amazonaws.com';
    const role = cfn('AWS::IAM::Role', 'AppRole', { AssumeRolePolicyDocument: trust({ 'ForAnyValue:StringLike': { [`${cognito}:amr`]: 'authenticated' } }, cognito) });
    const [hit] = check(KL_TR_01, role);
    expect(hit.message).toMatch(/cognito-identity\.amazonaws\.com is built into IAM and has no client-id list in the account, so a token it issues for any audience \(for Cognito: a token of any identity pool, in any AWS account\) is accepted/);
  });

  test.each(['ForAllValues:StringEquals', 'ForAllValues:StringLike'])('%s on the single-valued aud claim is no audience condition', (op) => {
    // The shape of terraform-aws-modules' GitHub OIDC role: the audience under a ForAllValues operator.
    const data = tfData('aws_iam_policy_document', 'this', { statement: [{
      effect: 'Allow',
      actions: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
      principals: [{ type: 'Federated', identifiers: [`arn:aws:iam::111122223333:oidc-provider/${GH}`] }],
      condition: [
        { test: op, variable: `${GH}:aud`, values: ['sts.amazonaws.com'] },
        { test: 'StringLike', variable: `${GH}:sub`, values: ['repo:octo-org/deploy:*'] },
      ],
    }] });
    const role = tf('aws_iam_role', 'this', { assume_role_policy: '${data.aws_iam_policy_document.this.json}' });
    const hits = check(KL_TR_01, role, setOf(data, role));
    expect(hits).toHaveLength(1);
    expect(hits[0].severity).toBeUndefined();
    expect(hits[0].message).toMatch(new RegExp(`only ${op} \\{"token\\.actions\\.githubusercontent\\.com:aud": "sts\\.amazonaws\\.com"\\}: ForAllValues on the single-valued aud claim is also true for a token with no aud at all`));
    // The good neighbour: the same block with StringEquals.
    const good = tfData('aws_iam_policy_document', 'this', { statement: [{ ...(data.properties.statement as Record<string, unknown>[])[0], condition: [
      { test: 'StringEquals', variable: `${GH}:aud`, values: ['sts.amazonaws.com'] },
      { test: 'StringLike', variable: `${GH}:sub`, values: ['repo:octo-org/deploy:*'] },
    ] }] });
    expect(check(KL_TR_01, role, setOf(good, role))).toEqual([]);
  });

  test('an operator only known at plan time is said, as a warning, not reported as a missing condition', () => {
    const data = tfData('aws_iam_policy_document', 't', { statement: [{
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: [`arn:aws:iam::111122223333:oidc-provider/${GH}`] }],
      condition: [
        { test: '${var.audience_condition}', variable: `${GH}:aud`, values: ['sts.amazonaws.com'] },
        { test: 'StringEquals', variable: `${GH}:sub`, values: ['repo:octo-org/deploy:ref:refs/heads/main'] },
      ],
    }] });
    const role = tf('aws_iam_role', 'r', { assume_role_policy: '${data.aws_iam_policy_document.t.json}' });
    const hits = check(KL_TR_01, role, setOf(data, role));
    expect(hits).toHaveLength(1);
    expect(hits[0].severity).toBe('warning');
    expect(hits[0].message).toMatch(/compares token\.actions\.githubusercontent\.com:aud with \$\{var\.audience_condition\} \{.*\}, an operator only known at plan or deploy time: whether the audience is pinned could not be checked/);
  });

  test('unknown host: a condition on another principal\'s host does not pin this one', () => {
    const gitlab = 'gitlab.com';
    const statement = (aud: Record<string, unknown>) => cfn('AWS::IAM::Role', 'R', { AssumeRolePolicyDocument: doc({
      Effect: 'Allow',
      Principal: { Federated: [`arn:aws:iam::111122223333:oidc-provider/${gitlab}`, { Ref: 'ProviderArn' }] },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { ...aud, [`${gitlab}:sub`]: 'project_path:g/p:ref_type:branch:ref:main' } },
    }) });
    const hits = check(KL_TR_01, statement({ [`${gitlab}:aud`]: 'https://gitlab.com' }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/lets the OIDC provider \{"Ref":"ProviderArn"\} assume it .* without a <provider>:aud condition/);
    expect(check(KL_TR_01, statement({ [`${gitlab}:aud`]: 'https://gitlab.com', 'idp.example.com:aud': 'app' }))).toEqual([]);
  });

  test('unknown host: keys must fit the literal parts of the provider ARN', () => {
    const eksArn = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/${ClusterId}' };
    const role = (key: string) => cfn('AWS::IAM::Role', 'Irsa', { AssumeRolePolicyDocument: trust({ StringEquals: { [`${key}:aud`]: 'sts.amazonaws.com', [`${key}:sub`]: 'system:serviceaccount:app:api' } }, eksArn) });
    expect(check(KL_TR_01, role(GH))).toHaveLength(1);
    expect(check(KL_TR_01, role('oidc.eks.eu-west-1.amazonaws.com/id/ABC123'))).toEqual([]);
  });
});

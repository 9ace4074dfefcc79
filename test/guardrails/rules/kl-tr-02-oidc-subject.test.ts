import { KL_TR_02 } from '../../../lib/guardrails/rules/kl-tr-02-oidc-subject';
import { cfn, check, doc, tf } from './helpers';

const GH = 'token.actions.githubusercontent.com';
const role = (condition?: Record<string, unknown>, federated: unknown = `arn:aws:iam::111122223333:oidc-provider/${GH}`) =>
  cfn('AWS::IAM::Role', 'DeployRole', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Federated: federated }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'], ...(condition ? { Condition: condition } : {}) }) });
const aud = { [`${GH}:aud`]: 'sts.amazonaws.com' };

describe('KL-TR-02 OIDC trust subject', () => {
  test('no sub condition', () => {
    const hits = check(KL_TR_02, role({ StringEquals: aud }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/has no token\.actions\.githubusercontent\.com:sub condition: every workload .* any repository of any owner/);
    expect(hits[0].message).toMatch(/Fix: Pin the subject/);
  });

  test.each([
    ['*', /matches every subject/],
    ['repo:*', /wildcard in the owner/],
    ['repo:org*', /also matches other owners \(e\.g\. "repo:org-evil\/\.\.\."\)/],
    ['repo:org/*', /matches every repository of "org"/],
    ['repo:org/app*', /wildcard in the repository/],
  ])('StringLike sub %s', (sub, problem) => {
    const hits = check(KL_TR_02, role({ StringEquals: aud, StringLike: { [`${GH}:sub`]: sub } }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/does not pin token\.actions\.githubusercontent\.com:sub to one workload/);
    expect(hits[0].message).toMatch(problem);
  });

  test('one unsafe value among several is enough (values are ORed)', () => {
    const hits = check(KL_TR_02, role({ StringEquals: aud, StringLike: { [`${GH}:sub`]: ['repo:org/app:*', 'repo:org/*'] } }));
    expect(hits).toHaveLength(1);
  });

  test('ForAnyValue:StringLike with a wildcard owner', () => {
    expect(check(KL_TR_02, role({ StringEquals: aud, 'ForAnyValue:StringLike': { [`${GH}:sub`]: 'repo:*/app:*' } }))).toHaveLength(1);
  });

  test('Terraform JSON string and EKS provider', () => {
    const eks = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
    const r = tf('aws_iam_role', 'irsa', { assume_role_policy: JSON.stringify(doc({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${eks}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${eks}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${eks}:sub`]: 'system:serviceaccount:*' } } })) });
    expect(check(KL_TR_02, r)[0].message).toMatch(/namespace/);
  });

  test.each([
    ['StringEquals', 'repo:org/app:ref:refs/heads/main'],
    ['StringLike', 'repo:org/app:*'],
    ['StringLike', 'repo:org/app:environment:prod'],
    ['StringEquals', 'repo:org@1234/app@5678:ref:refs/heads/main'],
    ['StringLike', ['repo:org/app:ref:refs/heads/main', 'repo:org/infra:ref:refs/tags/*']],
  ])('clean: %s %j', (op, sub) => {
    expect(check(KL_TR_02, role({ StringEquals: aud, [op]: { ...(op === 'StringEquals' ? aud : {}), [`${GH}:sub`]: sub } }))).toEqual([]);
  });

  test('Cognito identity pools: aud (the pool id) is the pin, no sub needed; without aud it is a finding', () => {
    const cognito = 'cognito-identity.amazonaws.com';
    const pool = { StringEquals: { [`${cognito}:aud`]: 'eu-west-1:11111111-2222-3333-4444-555555555555' }, 'ForAnyValue:StringLike': { [`${cognito}:amr`]: 'authenticated' } };
    expect(check(KL_TR_02, role(pool, cognito))).toEqual([]);
    expect(check(KL_TR_02, role({ 'ForAnyValue:StringLike': { [`${cognito}:amr`]: 'authenticated' } }, cognito))).toHaveLength(1);
  });

  test('an unresolved condition block is not guessed at', () => {
    expect(check(KL_TR_02, role({ 'Fn::If': ['C', {}, {}] } as never))).toEqual([]);
  });
});

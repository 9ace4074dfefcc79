import { KL_GCP_03 } from '../../../lib/guardrails/rules/kl-gcp-03-pool-provider-condition';
import { check, tf } from './helpers';

const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
const ETL = 'arn:aws:iam::111122223333:role/workloads/etl-role';
const oidc = (props: Record<string, unknown>) => tf('google_iam_workload_identity_pool_provider', 'aws', {
  workload_identity_pool_id: 'aws', workload_identity_pool_provider_id: 'aws-111122223333',
  attribute_mapping: { 'google.subject': 'assertion.sub' }, oidc: { issuer_uri: ISSUER, allowed_audiences: ['gcp'] }, ...props,
});
const awsType = (props: Record<string, unknown>) => tf('google_iam_workload_identity_pool_provider', 'legacy', { workload_identity_pool_id: 'aws', workload_identity_pool_provider_id: 'legacy', aws: { account_id: '111122223333' }, ...props });

describe('KL-GCP-03 workload identity pool provider condition', () => {
  test.each([
    [`assertion.sub == '${ETL}'`],
    [`assertion.sub == "${ETL}"`],
    [`'${ETL}' == assertion.sub`],
    [`assertion.sub in ['${ETL}', 'arn:aws:iam::111122223333:role/reports']`],
    [`(assertion.sub == '${ETL}') && assertion['https://sts.amazonaws.com/'].aws_account == '111122223333'`],
    [`google.subject == '${ETL}'`],
    [`assertion.sub == '${ETL}' || assertion.sub == 'arn:aws:iam::111122223333:role/reports'`],
  ])('pinned: %s', (condition) => {
    expect(check(KL_GCP_03, oidc({ attribute_condition: condition }))).toEqual([]);
  });

  test.each([
    ['no condition', {}, /has no attribute_condition: every role of the AWS account that can mint a token for an allowed audience can exchange it/],
    ['an empty condition', { attribute_condition: ' ' }, /has no attribute_condition/],
    ['"true"', { attribute_condition: 'true' }, /does not compare assertion\.sub or google\.subject with exact role ARNs/],
    ['a prefix', { attribute_condition: "assertion.sub.startsWith('arn:aws:iam::111122223333:role/')" }, /admits any AWS role it does not name/],
    ['a negation', { attribute_condition: `assertion.sub != '${ETL}'` }, /admits any AWS role/],
    ['an account-only condition', { attribute_condition: "assertion['https://sts.amazonaws.com/'].aws_account == '111122223333'" }, /admits any AWS role/],
    ['a pinned branch OR an open one', { attribute_condition: `assertion.sub == '${ETL}' || assertion.sub.contains('admin')` }, /its branch "assertion\.sub\.contains\('admin'\)"/],
    ['an in-list with a prefix element', { attribute_condition: "assertion.sub in ['arn:aws:iam::111122223333:role/']" }, /admits any AWS role/],
  ])('flagged: %s', (_, props, message) => {
    const hits = check(KL_GCP_03, oidc(props));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(message);
    expect(hits[0].message).toContain('Fix: Set attribute_condition');
    expect(hits[0].identity).toBeUndefined();
  });

  test("Google's aws type: the default mapping's attribute.aws_role pins; none admits every IAM identity of the account", () => {
    expect(check(KL_GCP_03, awsType({ attribute_condition: "attribute.aws_role == 'arn:aws:sts::111122223333:assumed-role/etl-role'" }))).toEqual([]);
    expect(check(KL_GCP_03, awsType({}))[0].message).toContain('every IAM role and user of the AWS account (a signed GetCallerIdentity request from any of them)');
    expect(check(KL_GCP_03, awsType({ attribute_condition: "attribute.aws_role.startsWith('arn:aws:sts::111122223333:assumed-role/')" }))).toHaveLength(1);
  });

  test('another OIDC issuer: only a missing condition is flagged', () => {
    const github = (props: Record<string, unknown>) => tf('google_iam_workload_identity_pool_provider', 'gh', { oidc: { issuer_uri: 'https://token.actions.githubusercontent.com' }, ...props });
    expect(check(KL_GCP_03, github({ attribute_condition: "assertion.repository_owner == 'my-org'" }))).toEqual([]);
    expect(check(KL_GCP_03, github({}))[0].message).toContain('every identity its issuer signs a token for');
  });

  test('a condition known only at plan time is a warning; a disabled provider is clean', () => {
    const hits = check(KL_GCP_03, oidc({ attribute_condition: '${var.condition}' }));
    expect(hits).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('could not be checked') })]);
    expect(check(KL_GCP_03, oidc({ disabled: true }))).toEqual([]);
  });
});

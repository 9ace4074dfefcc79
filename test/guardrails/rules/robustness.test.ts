import { analysisContext } from '../../../lib/guardrails/analysis';
import fc from 'fast-check';
import { evaluate } from '../../../lib/guardrails/evaluate';
import { federatedIdentities } from '../../../lib/guardrails/identities';
import { NormalizedResource, ruleAppliesTo } from '../../../lib/guardrails/model';
import { unreadableCallNotes } from '../../../lib/guardrails/normalize/custom-resource';
import { CATALOG } from '../../../lib/guardrails/rules';
import { findTrusts } from '../../../lib/guardrails/trusts';
import { cfn, check, setOf, tf } from './helpers';

/**
 * The evaluator turns a throwing rule into an error finding (fail closed), so a rule that throws on an odd
 * but valid shape is a false positive. Every rule must read arbitrary property shapes without throwing.
 */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('*', '', '${var.x}', '${aws_iam_role.r.arn}', '{{resolve:secretsmanager:x}}', '{"Statement":{"Effect":"Allow","Action":"*"}}', '{"service":"IAM","action":"createAccessKey","parameters":{"UserName":"', '{"service":"SSM","action":"putParameter","parameters":{"Type":"SecureString","Value":"x"}}', 'Allow', 'sts:GetWebIdentityToken', "ALTER USER x SET PASSWORD = 'y'", 'arn:aws:iam::1:oidc-provider/h'),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::If', 'Statement', 'Effect', 'Action', 'NotAction', 'Principal', 'Federated', 'Condition', 'Variables', 'Environment', 'Name', 'Value', 'statement', 'condition', 'values'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

// Prefix patterns (`Custom::*`) stand for the types users give their custom resources.
const TYPES = [...new Set(CATALOG.flatMap((r) => r.appliesTo).flatMap((t) => (t.endsWith('*') ? [`${t.slice(0, -1)}AWS`, `${t.slice(0, -1)}SnowflakeUser`] : [t])))];
const KEYS = ['Create', 'Update', 'Delete', 'ServiceToken', 'Password', 'PolicyDocument', 'Policies', 'AssumeRolePolicyDocument', 'Environment', 'ContainerDefinitions', 'SecretString', 'UserName', 'Value', 'Type', 'Name',
  'policy', 'assume_role_policy', 'inline_policy', 'environment', 'container_definitions', 'secret_string', 'value', 'type', 'name', 'user', 'password', 'rsa_public_key',
  'execute', 'revert', 'authentication_methods', 'application_id', 'service_principal_id', 'issuer', 'subject', 'audiences', 'display_name', 'count', 'for_each', 'client_secret', 'private_key', 'authenticator'];

describe('rules never throw on odd shapes', () => {
  test('every rule, every type it applies to, arbitrary properties', () => {
    fc.assert(fc.property(
      fc.constantFrom(...TYPES),
      fc.constantFrom<NormalizedResource['engine']>('cloudformation', 'terraform'),
      fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }),
      (type, engine, properties) => {
        const kind: NormalizedResource['kind'] = type === 'snowflake' || type === 'azuread' ? 'provider' : 'resource';
        const r: NormalizedResource = { engine, kind, type, address: engine === 'terraform' ? `${type}.x` : 'X', properties, file: 'f' };
        const set = setOf(r);
        for (const rule of CATALOG.filter((x) => ruleAppliesTo(x, type))) check(rule, r, set);
        findTrusts(analysisContext(set));
        unreadableCallNotes([r]); // the CloudFormation normalizer's notes read custom resource calls too
        federatedIdentities(analysisContext(set));
      },
    ), { numRuns: 1500 });
  });
});

describe('JSON held in a value nested 100,000 levels deep (the file itself is shallow)', () => {
  const deep = (inner: string) => `${'['.repeat(100_000)}${inner}${']'.repeat(100_000)}`;
  const notChecked = (set: ReturnType<typeof setOf>) => evaluate([set]).findings.map((f) => [f.ruleId, f.severity, f.message.replace(/; treated as .*$/, '')]);

  test('a trust policy string: the rules reading it report the role as not checked; the inventory does not throw', () => {
    const policy = `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": {"Federated": ${deep('"x"')}}}]}`;
    const set = setOf(tf('aws_iam_role', 'r', { assume_role_policy: policy }));
    expect(findTrusts(analysisContext(set))).toEqual([]);
    expect(notChecked(set)).toEqual([
      ['KL-TR-01', 'error', 'aws_iam_role.r could not be checked by KL-TR-01 (the policy JSON is nested deeper than 512 levels)'],
      ['KL-TR-02', 'error', 'aws_iam_role.r could not be checked by KL-TR-02 (the policy JSON is nested deeper than 512 levels)'],
    ]);
  });

  test('a minting policy built with Fn::Join', () => {
    const parts = ['{"Statement": [{"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"sts:IdentityTokenAudience": ', deep('"a"'), '}}}]}'];
    const set = setOf(cfn('AWS::IAM::Policy', 'P', { PolicyName: 'p', Roles: ['r'], PolicyDocument: { 'Fn::Join': ['', parts] } }));
    expect(findTrusts(analysisContext(set))).toEqual([]);
    expect(notChecked(set).map(([id, , message]) => [id, message])).toEqual([
      ['KL-TR-03', 'P could not be checked by KL-TR-03 (the policy JSON is nested deeper than 512 levels)'],
      ['KL-TR-04', 'P could not be checked by KL-TR-04 (the policy JSON is nested deeper than 512 levels)'],
    ]);
  });

  test('container definitions', () => {
    const set = setOf(tf('aws_ecs_task_definition', 't', { family: 'f', container_definitions: `[{"name": "a", "environment": [{"name": "PASSWORD", "value": ${deep('"x"')}}]}]` }));
    expect(notChecked(set)).toEqual([
      ['KL-AWS-05', 'error', 'aws_ecs_task_definition.t could not be checked by KL-AWS-05 (the container definitions JSON is nested deeper than 512 levels)'],
    ]);
  });
});

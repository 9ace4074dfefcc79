import fc from 'fast-check';
import { federatedIdentities } from '../../../lib/guardrails/identities';
import { NormalizedResource, ruleAppliesTo } from '../../../lib/guardrails/model';
import { unreadableCallNotes } from '../../../lib/guardrails/normalize/custom-resource';
import { CATALOG } from '../../../lib/guardrails/rules';
import { findTrusts } from '../../../lib/guardrails/trusts';
import { check, setOf } from './helpers';

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
        findTrusts(set);
        unreadableCallNotes([r]); // the CloudFormation normalizer's notes read custom resource calls too
        federatedIdentities(set);
      },
    ), { numRuns: 1500 });
  });
});

import fc from 'fast-check';
import { federatedIdentities } from '../../../lib/guardrails/identities';
import { NormalizedResource } from '../../../lib/guardrails/model';
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
    fc.constantFrom('*', '', '${var.x}', '${aws_iam_role.r.arn}', '{{resolve:secretsmanager:x}}', '{"Statement":{"Effect":"Allow","Action":"*"}}', 'Allow', 'sts:GetWebIdentityToken', "ALTER USER x SET PASSWORD = 'y'", 'arn:aws:iam::1:oidc-provider/h'),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::If', 'Statement', 'Effect', 'Action', 'NotAction', 'Principal', 'Federated', 'Condition', 'Variables', 'Environment', 'Name', 'Value', 'statement', 'condition', 'values'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

const TYPES = [...new Set(CATALOG.flatMap((r) => r.appliesTo))];
const KEYS = ['PolicyDocument', 'Policies', 'AssumeRolePolicyDocument', 'Environment', 'ContainerDefinitions', 'SecretString', 'UserName', 'Value', 'Type', 'Name',
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
        for (const rule of CATALOG.filter((x) => x.appliesTo.includes(type))) check(rule, r, set);
        findTrusts(set);
        federatedIdentities(set);
      },
    ), { numRuns: 1500 });
  });
});

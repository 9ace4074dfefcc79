import { KL_TR_05 } from '../../../lib/guardrails/rules/kl-tr-05-federated-credential';
import { check, checkSet, setOf, tf } from './helpers';

const ISSUER = 'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws';
const app = tf('azuread_application', 'etl', { display_name: 'etl' });
const fic = (name: string, props: Record<string, unknown> = {}) => tf('azuread_application_federated_identity_credential', name, {
  application_id: '${azuread_application.etl.id}',
  display_name: 'aws-etl-role',
  issuer: ISSUER,
  subject: 'arn:aws:iam::111122223333:role/workloads/etl',
  audiences: ['api://AzureADTokenExchange'],
  ...props,
});

describe('KL-TR-05 federated identity credential', () => {
  test('clean: a FIC done right', () => {
    const f = fic('ok');
    expect(check(KL_TR_05, f, setOf(app, f))).toEqual([]);
  });

  test.each([
    [{ issuer: `${ISSUER}/` }, /issuer ".*\/" is unusable: .*trailing slash.*\[issuer\.trailing-slash\]/],
    [{ issuer: 'http://issuer.example' }, /must use https/],
    [{ issuer: 'https://${var.issuer_host}/' }, /ends with "\/"/],
    [{ audiences: ['api://AzureADTokenExchange', 'other'] }, /has 2 audiences/],
    [{ audiences: [] }, /has 0 audiences/],
    [{ display_name: 'a b' }, /display_name "a b" is not a valid credential name/],
    [{ display_name: 'x' }, /not a valid credential name/],
    [{ subject: 'arn:aws:sts::111122223333:assumed-role/etl/session' }, /subject .* can never match: .*assumed-role session ARN/],
  ])('%j', (props, problem) => {
    const f = fic('bad', props);
    const hits = check(KL_TR_05, f, setOf(app, f));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('azuread_application.etl');
    expect(hits[0].message).toMatch(/^federated identity credential azuread_application_federated_identity_credential\.bad /);
    expect(hits[0].message).toMatch(problem);
    expect(hits[0].message).toMatch(/Fix: Use issuer = /);
  });

  test('unresolved values are not guessed at', () => {
    const f = fic('vars', { issuer: '${var.issuer}', audiences: '${var.audiences}', display_name: '${var.name}', subject: '${aws_iam_role.etl.arn}' });
    expect(check(KL_TR_05, f, setOf(app, f))).toEqual([]);
  });

  test('more than 20 FICs on one application: the ones past the 20th are reported', () => {
    const fics = Array.from({ length: 22 }, (_, i) => fic(`f${i}`, { display_name: `fic-${i}` }));
    const other = tf('azuread_application_federated_identity_credential', 'elsewhere', { application_id: '${azuread_application.other.id}', display_name: 'x-1', issuer: ISSUER, subject: 'arn:aws:iam::111122223333:role/x', audiences: ['api://AzureADTokenExchange'] });
    const hits = checkSet(KL_TR_05, setOf(app, ...fics, other));
    expect(hits.map((h) => h.resource)).toEqual(['azuread_application_federated_identity_credential.f20', 'azuread_application_federated_identity_credential.f21']);
    expect(hits[0].hit.message).toMatch(/is one of 22 federated identity credentials on application azuread_application\.etl in this configuration; Entra allows at most 20/);
  });

  test('count and for_each count toward the limit', () => {
    const many = fic('many', { count: 19 });
    const two = fic('two', { for_each: { a: 1, b: 2 }, display_name: '${each.key}' });
    expect(checkSet(KL_TR_05, setOf(app, many, two)).map((h) => h.resource)).toEqual(['azuread_application_federated_identity_credential.two']);
  });

  test('flexible FICs are checked and counted too', () => {
    const flex = tf('azuread_application_flexible_federated_identity_credential', 'flex', { application_id: '${azuread_application.etl.id}', display_name: 'flex', issuer: `${ISSUER}/`, audience: 'api://AzureADTokenExchange', claims_matching_expression: { value: "claims['sub'] matches 'arn:aws:iam::111122223333:role/*'", language_version: 1 } });
    expect(check(KL_TR_05, flex, setOf(app, flex))[0].message).toMatch(/trailing slash/);
  });
});

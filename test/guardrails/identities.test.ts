import { analysisContext } from '../../lib/guardrails/analysis';
import { federatedIdentities } from '../../lib/guardrails/identities';
import { KL_AZ_01 } from '../../lib/guardrails/rules/kl-az-01-application-password';
import { KL_AZ_02 } from '../../lib/guardrails/rules/kl-az-02-service-principal-password';
import { KL_SF_02 } from '../../lib/guardrails/rules/kl-sf-02-key-pair';
import { KL_SF_06 } from '../../lib/guardrails/rules/kl-sf-06-sql-credential';
import { checkSet, setOf, tf } from './rules/helpers';

const ISSUER = 'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws';

describe('federatedIdentities', () => {
  test('Entra application with a FIC, keyed by the application address', () => {
    const set = setOf(
      tf('azuread_application', 'etl', { display_name: 'etl' }),
      tf('azuread_application_federated_identity_credential', 'aws', { application_id: '${azuread_application.etl.id}', display_name: 'aws', issuer: ISSUER, subject: 'arn:aws:iam::111122223333:role/etl', audiences: ['api://AzureADTokenExchange'] }),
      tf('azuread_application', 'plain', { display_name: 'plain' }),
    );
    const ids = federatedIdentities(analysisContext(set));
    expect([...ids.keys()]).toEqual(['azuread_application.etl']);
    expect(ids.get('azuread_application.etl')).toBe(`federated identity credential azuread_application_federated_identity_credential.aws (issuer ${ISSUER}, subject arn:aws:iam::111122223333:role/etl)`);
  });

  test('Snowflake user with SET WORKLOAD_IDENTITY, resolved through the interpolation', () => {
    const set = setOf(
      tf('snowflake_service_user', 'etl', { name: 'ETL' }),
      tf('snowflake_execute', 'wif', { execute: "ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl' ISSUER = '" + ISSUER + "')" }),
      tf('snowflake_service_user', 'other', { name: 'OTHER' }),
    );
    const ids = federatedIdentities(analysisContext(set));
    expect([...ids.keys()]).toEqual(['snowflake_service_user.etl']);
    expect(ids.get('snowflake_service_user.etl')).toMatch(/^WORKLOAD_IDENTITY \(TYPE = AWS, ARN = arn:aws:iam::111122223333:role\/etl, ISSUER = https:.*\) set by snowflake_execute\.wif$/);
  });

  test('CREATE USER ... WORKLOAD_IDENTITY with a literal name not in the set', () => {
    const set = setOf(tf('snowflake_execute', 'create', { execute: "create user analytics type = service workload_identity = (type = aws arn = 'arn:aws:iam::1:role/a')" }));
    expect([...federatedIdentities(analysisContext(set)).keys()]).toEqual(['analytics']);
  });

  test('default_workload_identity on the user federates it exactly like the SQL route (provider blocks aws/azure/gcp/oidc)', () => {
    const set = setOf(
      // HCL shape: nested blocks as arrays
      tf('snowflake_service_user', 'etl', { name: 'ETL', default_workload_identity: [{ aws: [{ arn: 'arn:aws:iam::111122223333:role/etl' }] }] }),
      // Terraform JSON / cdktf shape: single nested blocks as objects
      tf('snowflake_user', 'ci', { name: 'CI', default_workload_identity: { oidc: { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/etl:environment:prod', oidc_audience_list: ['snowflake'] } } }),
      tf('snowflake_legacy_service_user', 'gcp', { name: 'GCP', default_workload_identity: [{ gcp: [{ subject: '1122334455' }] }] }),
      tf('snowflake_service_user', 'empty', { name: 'EMPTY', default_workload_identity: [] }),
      tf('snowflake_service_user', 'plain', { name: 'PLAIN' }),
    );
    const ids = federatedIdentities(analysisContext(set));
    expect([...ids.entries()]).toEqual([
      ['snowflake_service_user.etl', 'WORKLOAD_IDENTITY (TYPE = AWS, ARN = arn:aws:iam::111122223333:role/etl) set by snowflake_service_user.etl.default_workload_identity'],
      ['snowflake_user.ci', 'WORKLOAD_IDENTITY (TYPE = OIDC, ISSUER = https://token.actions.githubusercontent.com, SUBJECT = repo:acme/etl:environment:prod, OIDC_AUDIENCE_LIST = snowflake) set by snowflake_user.ci.default_workload_identity'],
      ['snowflake_legacy_service_user.gcp', 'WORKLOAD_IDENTITY (TYPE = GCP, SUBJECT = 1122334455) set by snowflake_legacy_service_user.gcp.default_workload_identity'],
    ]);
  });

  test('default_workload_identity: an RSA key next to it is a fallback on a federated identity (KL-SF-02 identity joins)', () => {
    const set = setOf(
      tf('snowflake_service_user', 'etl', { name: 'ETL', rsa_public_key: 'MIIBIjANBgkq', default_workload_identity: [{ aws: [{ arn: '${aws_iam_role.etl.arn}' }] }] }),
      tf('snowflake_user_programmatic_access_token', 'pat', { user: '${snowflake_service_user.etl.name}', name: 'ci' }),
    );
    const ids = federatedIdentities(analysisContext(set));
    expect(ids.get('snowflake_service_user.etl')).toBe('WORKLOAD_IDENTITY (TYPE = AWS, ARN = ${aws_iam_role.etl.arn}) set by snowflake_service_user.etl.default_workload_identity');
    expect(checkSet(KL_SF_02, set).map((h) => h.hit.identity)).toEqual(['snowflake_service_user.etl']);
  });

  test('no federated credential, no identities', () => {
    expect(federatedIdentities(analysisContext(setOf(tf('snowflake_service_user', 'etl', { name: 'ETL' })))).size).toBe(0);
  });

  test('the keys match the identity of fallback-credential hits (what the evaluator joins on)', () => {
    const set = setOf(
      tf('azuread_application', 'etl', { display_name: 'etl' }),
      tf('azuread_service_principal', 'etl', { client_id: '${azuread_application.etl.client_id}' }),
      tf('azuread_application_federated_identity_credential', 'aws', { application_id: '${azuread_application.etl.id}', display_name: 'aws', issuer: ISSUER, subject: 'arn:aws:iam::111122223333:role/etl', audiences: ['api://AzureADTokenExchange'] }),
      tf('azuread_application_password', 'leftover', { application_id: '${azuread_application.etl.id}' }),
      tf('azuread_service_principal_password', 'sp', { service_principal_id: '${azuread_service_principal.etl.id}' }),
      tf('snowflake_service_user', 'etl', { name: 'ETL', rsa_public_key: 'MII' }),
      tf('snowflake_execute', 'wif', { execute: "ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::1:role/etl')" }),
      tf('snowflake_execute', 'pat', { execute: 'ALTER USER "ETL" ADD PAT ci' }),
    );
    const ids = federatedIdentities(analysisContext(set));
    const identitiesOf = (hits: { hit: { identity?: string } }[]) => hits.map((h) => h.hit.identity);
    for (const identity of [...identitiesOf(checkSet(KL_AZ_01, set)), ...identitiesOf(checkSet(KL_AZ_02, set)), ...identitiesOf(checkSet(KL_SF_02, set)), ...identitiesOf(checkSet(KL_SF_06, set))]) {
      expect(ids.has(identity!)).toBe(true);
    }
  });
});

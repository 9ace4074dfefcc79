import * as fc from 'fast-check';
import { KeylessValidationError } from '../../lib/core/errors';
import { EntraWorkloadApplication } from '../../lib/terraform/entra/workload-application';
import { SnowflakeWorkloadIdentity } from '../../lib/terraform/snowflake/workload-identity';
import { SnowflakeWorkloadUser } from '../../lib/terraform/snowflake/workload-user';
import { isToken } from '../../lib/terraform/validation';
import { ACCOUNT, expectNoResources, ISSUER, newStack, only, resourcesOf, synth } from './support/harness';
import { CREDENTIAL_WORDS, lexSql } from './support/sql';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/etl-role`;
const INJECTIONS = ["'", '\\', ';', '\n', '\r', '"', ' ', '--', '/*', '${x}', '%{x}', '${TfToken[TOKEN.1]}', "' RSA_PUBLIC_KEY = 'k", "'; ALTER USER x SET PASSWORD = 'p'; --", ') ADD PROGRAMMATIC ACCESS TOKEN t', '\u0000', '\u2028', '.', '|'];

/** Arbitrary strings, biased towards almost-valid values carrying an injection somewhere. */
function hostile(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constant(valid),
    fc.tuple(fc.integer({ min: 0, max: valid.length }), fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 6 })).map(([at, inj, tail]) => valid.slice(0, at) + inj + tail + valid.slice(at)),
    fc.string({ maxLength: 16, unit: fc.constantFrom(...'aZ09:/._-@+=,\'"\\; \n$%{}()|'.split('')) }).map((s) => valid + s),
  );
}

/** Mostly the valid value, sometimes a hostile one. */
function maybeHostile(valid: string): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: fc.constant(valid), weight: 2 }, { arbitrary: hostile(valid), weight: 1 });
}

/** Every `${` or `%{` in any string of the configuration is one of the references the construct itself writes. */
function expectOnlyOwnReferences(json: any, allowed: RegExp): void {
  const walk = (v: any): void => {
    if (typeof v === 'string') {
      const stripped = v.replace(new RegExp(allowed.source, 'g'), '');
      expect(stripped).not.toMatch(/[$%]\{/);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(json.resource);
}

const RUNS = { numRuns: 250 };

const VALID = { roleArn: ROLE_ARN, issuerUrl: ISSUER, userName: 'ETL_USER', policyDatabase: 'SECURITY', policySchema: 'POLICIES', defaultRole: 'ETL_ROLE', defaultWarehouse: 'ETL_WH' };
type Inputs = typeof VALID;
const FIELDS = Object.keys(VALID) as (keyof Inputs)[];

/** Valid inputs with one to three fields replaced by hostile strings (so accepted runs are common too). */
const inputs: fc.Arbitrary<Inputs & { withIssuer: boolean }> = fc
  .tuple(fc.record(Object.fromEntries(FIELDS.map((f) => [f, hostile(VALID[f])])) as { [K in keyof Inputs]: fc.Arbitrary<string> }), fc.subarray(FIELDS, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([hostileValues, corrupt, withIssuer]) => ({ ...VALID, ...Object.fromEntries(corrupt.map((f) => [f, hostileValues[f]])), withIssuer }));

test('SnowflakeWorkloadUser: any input is a KeylessValidationError with nothing emitted, or exactly one intended statement', () => {
  let accepted = 0;
  fc.assert(
    fc.property(inputs, ({ roleArn, issuerUrl, userName, withIssuer, ...rest }) => {
      const { stack } = newStack();
      try {
        new SnowflakeWorkloadUser(stack, 'U', { userName, workloadIdentity: SnowflakeWorkloadIdentity.aws({ roleArn, ...(withIssuer ? { issuerUrl } : {}) }), ...rest });
      } catch (e) {
        expect(e).toBeInstanceOf(KeylessValidationError);
        expectNoResources(stack);
        return;
      }
      accepted++;
      const json = synth(stack, false);
      const [userId] = resourcesOf(json, 'snowflake_service_user')[0];
      const fqn = `\${snowflake_service_user.${userId}.fully_qualified_name}`;
      const exec = only(json, 'snowflake_execute');
      expect(exec.revert).toBe(`ALTER USER IF EXISTS ${fqn} UNSET WORKLOAD_IDENTITY`);
      expect(exec.execute.startsWith(`ALTER USER ${fqn} SET `)).toBe(true);
      const statement = exec.execute.replace(fqn, 'U');
      expect(statement).not.toContain(';');
      const lexed = lexSql(statement);
      expect(lexed.skeleton).toBe(withIssuer ? 'ALTER USER U SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = ? ISSUER = ?)' : 'ALTER USER U SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = ?)');
      expect(lexed.skeleton).not.toMatch(CREDENTIAL_WORDS);
      expect(lexed.literals).toEqual(withIssuer ? [roleArn, issuerUrl] : [roleArn]);
      if (isToken(userName) || Object.values(rest).some(isToken)) {
        return; // a whole token is passed through unchecked (with a warning); nothing to compare literally
      }
      expect(only(json, 'snowflake_service_user')).toEqual({ name: userName, comment: 'Managed by cdk-keyless: logs in with workload identity only', default_role: rest.defaultRole, default_warehouse: rest.defaultWarehouse });
      const policy = only(json, 'snowflake_authentication_policy');
      expect([policy.database, policy.schema, policy.name]).toEqual([rest.policyDatabase, rest.policySchema, `${userName}_AUTH_POLICY`]);
      expect(policy.authentication_methods).toEqual(['WORKLOAD_IDENTITY']);
      expect(policy.workload_identity_policy).toEqual({ allowed_providers: ['AWS'], allowed_aws_accounts: [roleArn.split(':')[4]] });
      expect(Object.keys(json.resource).join(',')).not.toMatch(/password|public_key|access_token|legacy/);
      expectOnlyOwnReferences(json, /\$\{snowflake_(service_user|authentication_policy)\.[A-Za-z0-9_]+\.(fully_qualified_name|name)\}/);
    }),
    RUNS,
  );
  expect(accepted).toBeGreaterThan(25);
});

test('SnowflakeWorkloadUser OIDC: subject and audiences never leave their literals', () => {
  let accepted = 0;
  fc.assert(
    fc.property(maybeHostile('repo:acme/etl:ref:refs/heads/main'), fc.array(maybeHostile('snowflakecomputing.com'), { minLength: 1, maxLength: 2 }), (subject, audiences) => {
      const { stack } = newStack();
      try {
        new SnowflakeWorkloadUser(stack, 'U', { userName: 'U', policyDatabase: 'D', policySchema: 'S', workloadIdentity: SnowflakeWorkloadIdentity.oidc({ issuerUrl: ISSUER, subject, audiences }) });
      } catch (e) {
        expect(e).toBeInstanceOf(KeylessValidationError);
        expectNoResources(stack);
        return;
      }
      accepted++;
      const statement = only(synth(stack, false), 'snowflake_execute').execute.replace(/^ALTER USER \$\{[^}]+\}/, 'ALTER USER U');
      const lexed = lexSql(statement);
      expect(lexed.skeleton).toBe(`ALTER USER U SET WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = ? SUBJECT = ? OIDC_AUDIENCE_LIST = (${audiences.map(() => '?').join(', ')}))`);
      expect(lexed.literals).toEqual([ISSUER, subject, ...audiences]);
    }),
    RUNS,
  );
  expect(accepted).toBeGreaterThan(25);
});

const TRUST = { credentialName: 'etl-graph', issuerUrl: ISSUER, roleArn: ROLE_ARN, description: 'AWS workload etl' };
const TRUST_FIELDS = Object.keys(TRUST) as (keyof typeof TRUST)[];
const trustInputs = fc
  .tuple(fc.record(Object.fromEntries(TRUST_FIELDS.map((f) => [f, hostile(TRUST[f])])) as { [K in keyof typeof TRUST]: fc.Arbitrary<string> }), fc.subarray(TRUST_FIELDS, { minLength: 1, maxLength: 2 }), fc.boolean())
  .map(([h, corrupt, withDescription]) => {
    const v = { ...TRUST, ...Object.fromEntries(corrupt.map((f) => [f, h[f]])) };
    return { ...v, description: withDescription ? v.description : undefined };
  });

test('EntraWorkloadApplication.trust: any input is a KeylessValidationError or a credential with exactly those fields', () => {
  let accepted = 0;
  fc.assert(
    fc.property(trustInputs, ({ credentialName, issuerUrl, roleArn, description }) => {
      const { stack } = newStack();
      const app = new EntraWorkloadApplication(stack, 'App', { displayName: 'data-platform' });
      try {
        app.trust({ credentialName, issuerUrl, roleArn, ...(description !== undefined ? { description } : {}) });
      } catch (e) {
        expect(e).toBeInstanceOf(KeylessValidationError);
        expect(resourcesOf(synth(stack, false), 'azuread_application_federated_identity_credential')).toHaveLength(0);
        return;
      }
      accepted++;
      const json = synth(stack, false);
      const [appId] = resourcesOf(json, 'azuread_application')[0];
      expect(only(json, 'azuread_application_federated_identity_credential')).toEqual({
        application_id: `\${azuread_application.${appId}.id}`,
        display_name: credentialName,
        issuer: issuerUrl,
        subject: roleArn,
        audiences: ['api://AzureADTokenExchange'],
        ...(description !== undefined ? { description } : {}),
      });
      expect(credentialName).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
      expect(issuerUrl.endsWith('/')).toBe(false);
      expectOnlyOwnReferences(json, /\$\{azuread_application\.[A-Za-z0-9_]+\.(id|client_id)\}/);
    }),
    RUNS,
  );
  expect(accepted).toBeGreaterThan(25);
});

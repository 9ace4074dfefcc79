import { KL_SF_05 } from '../../../lib/guardrails/rules/kl-sf-05-authentication-policy';
import { checkSet, setOf, tf } from './helpers';

const user = tf('snowflake_service_user', 'etl', { name: 'ETL' });
const wif = tf('snowflake_execute', 'etl_wif', {
  execute: "ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl' ISSUER = 'https://0b1c2d3e-0000-4000-8000-000000000000.tokens.sts.global.api.aws')",
  revert: 'ALTER USER IF EXISTS ${snowflake_service_user.etl.fully_qualified_name} UNSET WORKLOAD_IDENTITY',
});
const policy = (methods?: unknown) => tf('snowflake_authentication_policy', 'wif_only', { database: 'SEC', schema: 'POLICIES', name: 'WIF_ONLY', ...(methods !== undefined ? { authentication_methods: methods } : {}) });
const attachment = tf('snowflake_user_authentication_policy_attachment', 'etl', {
  user_name: '${snowflake_service_user.etl.name}',
  authentication_policy_name: '${snowflake_authentication_policy.wif_only.fully_qualified_name}',
});

describe('KL-SF-05 authentication policy for federated users', () => {
  test('clean: WIF-only policy attached to the federated user', () => {
    expect(checkSet(KL_SF_05, setOf(user, wif, policy(['WORKLOAD_IDENTITY']), attachment))).toEqual([]);
  });

  test('error on the policy when it allows other methods', () => {
    const hits = checkSet(KL_SF_05, setOf(user, wif, policy(['WORKLOAD_IDENTITY', 'KEYPAIR', 'password']), attachment));
    expect(hits).toHaveLength(1);
    expect(hits[0].resource).toBe('snowflake_authentication_policy.wif_only');
    expect(hits[0].hit.severity).toBeUndefined(); // the rule's severity: error
    // a policy finding is not a credential: no identity, so the evaluator never escalates it as a fallback next to federation
    expect(hits[0].hit.identity).toBeUndefined();
    expect(hits[0].hit.message).toMatch(/governs the federated user snowflake_service_user\.etl .* but allows KEYPAIR, PASSWORD besides WORKLOAD_IDENTITY/);
    expect(hits[0].hit.message).toMatch(/Fix: set authentication_methods = \["WORKLOAD_IDENTITY"\]/);
  });

  test('authentication_methods absent means ALL', () => {
    const hits = checkSet(KL_SF_05, setOf(user, wif, policy(), attachment));
    expect(hits[0].hit.message).toMatch(/allows ALL \(authentication_methods not set\)/);
  });

  test('an account-level policy governs federated users without their own', () => {
    const account = tf('snowflake_account_authentication_policy_attachment', 'acct', { authentication_policy: '${snowflake_authentication_policy.wif_only.fully_qualified_name}' });
    expect(checkSet(KL_SF_05, setOf(user, wif, policy(['ALL']), account)).map((h) => h.resource)).toEqual(['snowflake_authentication_policy.wif_only']);
    expect(checkSet(KL_SF_05, setOf(user, wif, policy(['WORKLOAD_IDENTITY']), account))).toEqual([]);
  });

  test('a policy attached by SQL (SET AUTHENTICATION POLICY) with a literal name counts', () => {
    const sqlAttach = tf('snowflake_execute', 'attach', { execute: 'ALTER USER ${snowflake_service_user.etl.fully_qualified_name} SET AUTHENTICATION POLICY SEC.POLICIES.WIF_ONLY' });
    expect(checkSet(KL_SF_05, setOf(user, wif, policy(['WORKLOAD_IDENTITY']), sqlAttach))).toEqual([]);
    expect(checkSet(KL_SF_05, setOf(user, wif, policy(['WORKLOAD_IDENTITY', 'OAUTH']), sqlAttach)).map((h) => h.resource)).toEqual(['snowflake_authentication_policy.wif_only']);
  });

  test('warning on the user when no policy is attached', () => {
    const hits = checkSet(KL_SF_05, setOf(user, wif, policy(['WORKLOAD_IDENTITY'])));
    expect(hits).toHaveLength(1);
    expect(hits[0].resource).toBe('snowflake_service_user.etl');
    expect(hits[0].hit.severity).toBe('warning');
    expect(hits[0].hit.message).toMatch(/snowflake_service_user\.etl is federated \(WORKLOAD_IDENTITY set by snowflake_execute\.etl_wif\) but no authentication policy is attached/);
  });

  test('warning on the execute when the federated user is not in the set', () => {
    const ext = tf('snowflake_execute', 'ext', { execute: "ALTER USER ANALYTICS SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/a')" });
    const hits = checkSet(KL_SF_05, setOf(ext));
    expect(hits.map((h) => [h.resource, h.hit.severity, h.hit.identity])).toEqual([['snowflake_execute.ext', 'warning', undefined]]);
    expect(hits[0].hit.message).toContain('ANALYTICS is federated');
  });

  test('a policy that governs no federated user is not judged', () => {
    expect(checkSet(KL_SF_05, setOf(user, policy(['PASSWORD'])))).toEqual([]);
  });

  test('an unresolved methods list is not guessed at', () => {
    expect(checkSet(KL_SF_05, setOf(user, wif, policy('${var.methods}'), attachment))).toEqual([]);
  });

  test('default_workload_identity federates the user for KL-SF-05 like SET WORKLOAD_IDENTITY', () => {
    const native = tf('snowflake_service_user', 'etl', { name: 'ETL', default_workload_identity: [{ aws: [{ arn: 'arn:aws:iam::111122223333:role/etl' }] }] });
    // no policy: a warning on the user, naming where the workload identity is set
    const missing = checkSet(KL_SF_05, setOf(native));
    expect(missing.map((h) => [h.resource, h.hit.severity])).toEqual([['snowflake_service_user.etl', 'warning']]);
    expect(missing[0].hit.message).toMatch(/^snowflake_service_user\.etl is federated \(WORKLOAD_IDENTITY set by snowflake_service_user\.etl\.default_workload_identity\) but no authentication policy/);
    // a policy that leaves KEYPAIR open: an error on the policy
    const open = checkSet(KL_SF_05, setOf(native, policy(['WORKLOAD_IDENTITY', 'KEYPAIR']), attachment));
    expect(open.map((h) => [h.resource, h.hit.severity])).toEqual([['snowflake_authentication_policy.wif_only', undefined]]);
    // WIF only: clean
    expect(checkSet(KL_SF_05, setOf(native, policy(['WORKLOAD_IDENTITY']), attachment))).toEqual([]);
  });
});
